from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.instruments_io import export_instrument
from assessments.models import Instrument


class Command(BaseCommand):
    help = "Write a loaded instrument version back as its file (the latest version by default)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version here is the instrument's version, not Django's: let ours replace it.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--version", dest="instrument_version", type=int,
                            help="the version to export (default: the latest)")
        parser.add_argument("-o", "--output", help="write to this file instead of the console")

    def handle(self, *args, slug, instrument_version, output, **options):
        versions = Instrument.objects.filter(slug=slug).order_by("-version")
        if instrument_version is not None:
            versions = versions.filter(version=instrument_version)
        instrument = versions.first()
        if instrument is None:
            raise CommandError(f"No instrument {slug!r}"
                               + (f" version {instrument_version}" if instrument_version else "")
                               + " is loaded.")
        text = export_instrument(instrument)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(
                f"Wrote {slug} version {instrument.version} to {output}."))
        else:
            self.stdout.write(text, ending="")
