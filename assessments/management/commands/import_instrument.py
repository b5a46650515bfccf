from django.core.management.base import BaseCommand, CommandError

from assessments.instruments_io import (
    InstrumentFileError,
    InstrumentVersionConflict,
    import_instrument,
    read_instrument_file,
)


class Command(BaseCommand):
    help = ("Check an instrument file (see assessments/instruments/FORMAT.md) and load it as a "
            "new instrument version. Loading the same version again with the same content "
            "changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .toml file")

    def handle(self, *args, path, **options):
        try:
            result = import_instrument(read_instrument_file(path))
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        except (InstrumentFileError, InstrumentVersionConflict) as error:
            raise CommandError(str(error)) from None
        instrument = result.instrument
        if result.created:
            self.stdout.write(self.style.SUCCESS(
                f"Loaded {instrument.slug} version {instrument.version}."))
        else:
            self.stdout.write(
                f"{instrument.slug} version {instrument.version} is loaded already; "
                "nothing changed.")
