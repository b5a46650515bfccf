"""Publishing an instrument version from a staff page: the file is checked (instruments_io),
stored as a new version's rows and recorded in the audit trail. A published version never
changes, so every round keeps the version it was scheduled with."""

from django.db import transaction

from assessments.instruments_io import import_instrument
from tenancy import audit


def publish_instrument(parsed):
    """Store a checked file (instruments_io.parse_instrument) as a new version; the same
    version with the same content again changes nothing and records nothing. Raises
    instruments_io.InstrumentVersionConflict for a version loaded with other content."""
    with transaction.atomic():
        result = import_instrument(parsed)
        if result.created:
            instrument = result.instrument
            audit.record(
                audit.EventKind.INSTRUMENT_PUBLISHED,
                target=instrument,
                slug=instrument.slug,
                version=instrument.version,
                dimensions=instrument.dimensions.count(),
            )
    return result
