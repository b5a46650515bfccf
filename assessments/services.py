"""Writes on rounds, and the lock on a network's anonymity threshold.

A leader's answers are written by assessments/taking/services.py.
"""

from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from assessments.models import PollAnswer, Response, Round
from tenancy import audit
from tenancy.scoping import platform_wide

# A round's times decide which answers count and which are pooled once it closes; moving them
# afterwards would re-cut released numbers (README, "Anonymity"), so the form and the service
# both refuse it with these sentences.
ROUND_CLOSED_TIMES_LOCKED = gettext_lazy(
    "The round has closed, so its times stay as they are: its results may not change.")
CLOSES_IN_THE_PAST = gettext_lazy(
    "A round can close now or later, never in the past: that would change which answers "
    "count after people have seen the results.")
OPENS_AT_LOCKED = gettext_lazy(
    "Leaders have started answering, so the opening time stays as it is: moving it would "
    "change which answers count.")
ANONYMITY_THRESHOLD_LOCKED = gettext_lazy(
    "People have already answered in this network, so its anonymity threshold can no longer "
    "change.")


# --- rounds ----------------------------------------------------------------------------------


def _times(round_):
    """A round's times for the audit trail, in UTC whatever zone the form gave them in."""
    return {field: getattr(round_, field).astimezone(UTC).isoformat(timespec="minutes")
            for field in ("opens_at", "closes_at")}


@transaction.atomic
def schedule_round(cohort, *, instrument, name, opens_at, closes_at, purpose, gathering=None):
    round_ = Round.objects.create(
        network_id=cohort.network_id, cohort=cohort, instrument=instrument, name=name,
        opens_at=opens_at, closes_at=closes_at, purpose=purpose, gathering=gathering)
    audit.record(audit.EventKind.ROUND_SCHEDULED, network=cohort.network_id, target=round_,
                 cohort=cohort.name, **_times(round_))
    return round_


def round_time_errors(round_, *, opens_at, closes_at, now=None):
    """{field: sentence} of the time changes that may not happen: a closed round keeps its
    times, a closing time may move later or to now but never into the past, and the opening
    time stays once anyone has started answering."""
    now = now or timezone.now()
    errors = {}
    if round_times_are_locked(round_, now) and (opens_at, closes_at) != (
            round_.opens_at, round_.closes_at):
        errors["closes_at"] = ROUND_CLOSED_TIMES_LOCKED
    elif closes_at != round_.closes_at and closes_at < now:
        errors["closes_at"] = CLOSES_IN_THE_PAST
    if opens_at != round_.opens_at and round_has_answers(round_):
        errors["opens_at"] = OPENS_AT_LOCKED
    return errors


def round_has_answers(round_):
    """Someone has started answering (a response exists, submitted or not)."""
    return Response.objects.for_network(round_.network_id).filter(round=round_).exists()


def update_round(round_, *, name, opens_at, closes_at, purpose, gathering=None, now=None):
    """Raises ValidationError (by field) for a time change round_time_errors refuses."""
    errors = round_time_errors(round_, opens_at=opens_at, closes_at=closes_at, now=now)
    if errors:
        raise ValidationError(errors)
    before = _times(round_)
    round_.name, round_.opens_at, round_.closes_at = name, opens_at, closes_at
    round_.purpose, round_.gathering = purpose, gathering
    if round_.opens_at > (now or timezone.now()):  # moved back into the future: it opens again
        round_.opening_recorded_at = None
    with transaction.atomic():
        round_.save(update_fields=["custom_name", "opens_at", "closes_at", "purpose", "gathering",
                                   "opening_recorded_at"])
        after = _times(round_)
        changed = {f"{field}_was": before[field]
                   for field in after if after[field] != before[field]}
        audit.record(audit.EventKind.ROUND_CHANGED, network=round_.network_id, target=round_,
                     **changed, **after)
    return round_


def record_rounds_opening_and_closing(now=None):
    """Celery beat, every minute (config/celery_app.py): each round that opened or closed by
    its times since the last run gets its "round opened" or "round closed" event, once. The
    event is claimed by setting the round's *_recorded_at in the same transaction, where it is
    still empty, so parallel runs or a redelivered task record nothing twice. Only the listing
    reads across networks. Answers how many events were recorded."""
    now = now or timezone.now()
    recorded = 0
    for field, moment, kind in (("opening_recorded_at", "opens_at", audit.EventKind.ROUND_OPENED),
                                ("closing_recorded_at", "closes_at", audit.EventKind.ROUND_CLOSED)):
        with platform_wide():
            due = list(Round.objects.filter(**{f"{moment}__lte": now, f"{field}__isnull": True})
                       .order_by(moment, "pk").values_list("pk", "network_id"))
        recorded += sum(_record_round_moment(round_id, network_id, field, kind, now)
                        for round_id, network_id in due)
    return recorded


@transaction.atomic
def _record_round_moment(round_id, network_id, field, kind, now):
    rounds = Round.objects.for_network(network_id).filter(pk=round_id)
    if not rounds.filter(**{f"{field}__isnull": True}).update(**{field: now}):
        return 0  # another run recorded it
    round_ = rounds.select_related("cohort").get()
    audit.record(kind, network=network_id, target=round_, scheduled=True,
                 cohort=round_.cohort.name, **_times(round_))
    return 1


def round_times_are_locked(round_, now=None):
    """A closed round keeps its times: reopening it would dissolve the blocks its leftover
    answers were pooled into (assessments/anonymity/aggregation.py) and so move published
    numbers."""
    return round_.closes_at <= (now or timezone.now())


def anonymity_threshold_is_locked(network):
    """A network's k is fixed once anyone has submitted in a cohort's round, or answered a
    poll or an evaluation: aggregates are cut into blocks of k, and two cuts of the same
    answers with different k could be differenced. Personal rounds are never cut, and must
    not show through this lock."""
    return (Response.objects.for_network(network).filter(
                submitted_at__isnull=False, round__in=Round.objects.for_network(network)).exists()
            or PollAnswer.objects.for_network(network).exists())


def delete_round(round_):
    """Only a round nobody has started answering can go: answers are never thrown away."""
    with transaction.atomic():
        if round_has_answers(round_):
            return False
        audit.record(audit.EventKind.ROUND_DELETED, network=round_.network_id, target=round_,
                     **_times(round_))
        round_.delete()
    return True


def refuse_changing_a_locked_threshold(sender, instance, **kwargs):
    """pre_save guard on Network: the admin form says the same in words (assessments/admin.py)."""
    if instance.pk is None:
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list(
        "anonymity_threshold", flat=True).first()
    if stored is not None and stored != instance.anonymity_threshold and \
            anonymity_threshold_is_locked(instance):
        raise ValidationError(ANONYMITY_THRESHOLD_LOCKED)


# --- exports ---------------------------------------------------------------------------------


def record_results_export(network, round_, rows, file_format):
    """A round's released group results leave Bro as a file: who took which, in which
    format, and how many rows."""
    audit.record(audit.EventKind.RESULTS_EXPORTED, network=network, target=round_, rows=rows,
                 format=file_format)
