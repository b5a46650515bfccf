from django.core.management.base import BaseCommand

from reminders import services


class Command(BaseCommand):
    help = ("Plan and send the reminders that are due now: what Celery beat runs every five "
            "minutes, by hand (with the embedded default, where nothing runs periodically).")

    def handle(self, *args, **options):
        summary = services.dispatch()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in summary.items()))
