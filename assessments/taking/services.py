"""Writes on a leader's response and answers.

A leader's answers are saved the moment they are given and can be changed until the round
closes or they submit; submitting happens once, whatever double clicks or open tabs do, and
stores the scores. Every write on a response locks that response's row (and only that row, so
300 leaders answering in the same room do not wait for each other).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.anonymity.blocks import release_unit_blocks
from assessments.models import Answer, DimensionScore, Response
from assessments.scoring import score_answers, score_rows


class AnswerRefused(Exception):
    """An answer or a submit that may not happen; `reason` says why (see REASONS)."""

    REASONS = ("not_open", "closed", "submitted", "invalid")

    def __init__(self, reason):
        assert reason in self.REASONS, reason
        self.reason = reason
        super().__init__(reason)


def start_response(round_, person, leader_group, *, organisation=None):
    """The person's response in the round, created on first use with the group and
    organisation they answer for; an existing response keeps its own."""
    organisation = organisation or (leader_group.organisation if leader_group else None)
    try:
        with transaction.atomic():
            response, _created = Response.objects.for_network(round_.network_id).get_or_create(
                round=round_, person=person,
                defaults={"network_id": round_.network_id, "leader_group": leader_group,
                          "organisation": organisation})
    except IntegrityError:  # a second tab started at the same moment
        response = Response.objects.for_network(round_.network_id).get(
            round=round_, person=person)
    return response


def _lock(response):
    """The response's row, locked until the transaction ends, with its round (not locked)."""
    return (Response.objects.for_network(response.network_id)
            .select_for_update(of=("self",))
            .select_related("round", "round__instrument", "round__network")
            .get(pk=response.pk))


def _check_can_change(response, now):
    if response.submitted_at is not None:
        raise AnswerRefused("submitted")
    if now < response.round.opens_at:
        raise AnswerRefused("not_open")
    if response.round.has_closed(now):
        raise AnswerRefused("closed")


def save_answers(response, answers, *, now=None):
    """Upsert answers: `answers` is a list of (item, kind, value) with value an int on the
    scale or None for "don't know". All or nothing; raises AnswerRefused."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(response)
        _check_can_change(locked, now)
        instrument = locked.round.instrument
        rows = []
        # The last answer per item and question wins; one upsert may not touch a row twice.
        latest = {(item.pk, kind): (item, kind, value) for item, kind, value in answers}
        for item, kind, value in latest.values():
            valid_value = (instrument.allow_dont_know if value is None
                           else instrument.scale_min <= value <= instrument.scale_max)
            if (item.dimension.instrument_id != instrument.pk
                    or kind not in instrument.answer_kinds or not valid_value):
                raise AnswerRefused("invalid")
            rows.append(Answer(response=locked, item=item, kind=kind, value=value,
                               dont_know=value is None))
        Answer.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["response", "item", "kind"],
            update_fields=["value", "dont_know", "answered_at"])
    return len(rows)


def submit_response(response, *, require_open=True, now=None):
    """Submit once and store the scores (score_answers -> DimensionScore rows); when this
    completes a block of k in the leader's unit, the block is released in the same
    transaction (anonymity/blocks.py).

    Returns True if this call submitted, False if the response was submitted already (a
    double click, a second tab): then nothing changes. With require_open (the default) a
    round that is not open refuses (AnswerRefused); loaders of past rounds pass False."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(response)
        if locked.submitted_at is not None:
            return False
        if require_open:
            _check_can_change(locked, now)
        answers = locked.answers.values_list("item__dimension_id", "kind", "value")
        DimensionScore.objects.bulk_create(score_rows(locked, score_answers(answers)))
        locked.submitted_at = now
        locked.save(update_fields=["submitted_at", "updated_at"])
        release_unit_blocks(locked.round, locked.leader_group_id, locked.organisation_id)
    response.submitted_at = locked.submitted_at
    return True
