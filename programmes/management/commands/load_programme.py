from django.core.management.base import BaseCommand, CommandError

from programmes.loader import DEFAULT_PATH, ProgrammeFileError, load_programme


class Command(BaseCommand):
    help = ("Create or update a programme and its shared resources from a programme file "
            "(TOML). Loading the same file again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH),
                            help="the programme file (default: the standard programme)")

    def handle(self, *args, path, **options):
        try:
            result = load_programme(path)
        except ProgrammeFileError as error:
            raise CommandError(
                f"The programme file is refused, nothing was changed. {error}") from None
        for label in sorted(set(result.created) | set(result.updated) | set(result.unchanged)):
            self.stdout.write(f"  {label}: {result.created[label]} created, "
                              f"{result.updated[label]} updated, "
                              f"{result.unchanged[label]} unchanged")
        for stale in result.stale:
            self.stdout.write(self.style.WARNING(
                f"  {stale} is no longer in the file; it is kept (leaders' work points at it)"))
        summary = (f"Programme {result.programme.slug}: "
                   + ("nothing changed." if not result.changed else "loaded."))
        self.stdout.write(self.style.SUCCESS(summary))
