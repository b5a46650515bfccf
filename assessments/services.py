"""Writes on rounds, and the lock on a network's anonymity threshold.

A leader's answers are written by assessments/taking/services.py.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from assessments.models import Response, Round

ANONYMITY_THRESHOLD_LOCKED = gettext_lazy(
    "People have already answered in this network, so its anonymity threshold can no longer "
    "change.")


# --- rounds ----------------------------------------------------------------------------------


def schedule_round(cohort, *, instrument, name, opens_at, closes_at, purpose, gathering=None):
    return Round.objects.create(
        network_id=cohort.network_id, cohort=cohort, instrument=instrument, name=name,
        opens_at=opens_at, closes_at=closes_at, purpose=purpose, gathering=gathering)


def update_round(round_, *, name, opens_at, closes_at, purpose, gathering=None):
    round_.name, round_.opens_at, round_.closes_at = name, opens_at, closes_at
    round_.purpose, round_.gathering = purpose, gathering
    round_.save(update_fields=["name", "opens_at", "closes_at", "purpose", "gathering"])
    return round_


def round_times_are_locked(round_, now=None):
    """A closed round keeps its times: reopening it would dissolve the blocks its leftover
    answers were pooled into (assessments/anonymity/aggregation.py) and so move published
    numbers."""
    return round_.closes_at <= (now or timezone.now())


def anonymity_threshold_is_locked(network):
    """A network's k is fixed once anyone has submitted: aggregates are cut into blocks of k,
    and two cuts of the same answers with different k could be differenced."""
    return Response.objects.for_network(network).filter(submitted_at__isnull=False).exists()


def delete_round(round_):
    """Only a round nobody has started answering can go: answers are never thrown away."""
    with transaction.atomic():
        if Response.objects.for_network(round_.network_id).filter(round=round_).exists():
            return False
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
