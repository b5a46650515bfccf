"""Erase what each network's retention period has run out for (Celery beat does it daily);
with --dry-run, only list who would be erased."""

from django.core.management.base import BaseCommand

from gdpr import services


class Command(BaseCommand):
    help = "Erase personal data past each network's retention period (--dry-run lists it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be erased, erase nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        due = services.erase_due_personal_data(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        for network, people in due:
            self.stdout.write(
                f"{network.slug} (keeps {network.retention_months} months): "
                f"{verb.lower()} {len(people)}"
            )
            for person in people:
                self.stdout.write(f"  #{person.pk} {person.name} <{person.email}>")
        total = sum(len(people) for _network, people in due)
        self.stdout.write(f"{verb} {total} person(s) in {len(due)} network(s).")
