from django.core.management.base import BaseCommand

from assessments.instruments_io import load_shipped_instruments


class Command(BaseCommand):
    help = ("Load Bro's three shipped instruments. Safe to run again: loaded versions stay as "
            "they are.")

    def handle(self, *args, **options):
        for result in load_shipped_instruments():
            instrument = result.instrument
            state = "loaded" if result.created else "already loaded"
            self.stdout.write(f"{instrument.slug} version {instrument.version}: {state}")
