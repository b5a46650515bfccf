"""Starting a personal round: a leader takes an instrument on their own, outside the cohort's
rounds, to follow their own development (README, "Personal rounds")."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from assessments.models import Instrument, Response, Round
from assessments.policies import personal_rounds_of

# Long enough to finish at one's own pace; a new one can be started once it is submitted.
PERSONAL_ROUND_OPEN_FOR = timedelta(days=365)


@transaction.atomic
def start_personal_round(network, person, instrument_slug, *, now=None):
    """The person's open, unsubmitted personal round of the instrument, or a new one with its
    newest version. Returns None for an instrument that does not exist."""
    now = now or timezone.now()
    instrument = Instrument.objects.filter(slug=instrument_slug).order_by("-version").first()
    if instrument is None:
        return None
    # One at a time per person, so a double click starts one round, not two.
    get_user_model().objects.select_for_update().filter(pk=person.pk).first()
    open_round = (
        personal_rounds_of(network, person)
        .filter(instrument__slug=instrument_slug, opens_at__lte=now, closes_at__gt=now)
        .exclude(
            Exists(
                Response.objects.for_network(network).filter(
                    round=OuterRef("pk"), submitted_at__isnull=False
                )
            )
        )
        .order_by("-opens_at")
        .first()
    )
    if open_round is not None:
        return open_round
    return Round.personal.create(
        network_id=getattr(network, "pk", network),
        owner=person,
        instrument=instrument,
        name="",
        opens_at=now,
        closes_at=now + PERSONAL_ROUND_OPEN_FOR,
    )
