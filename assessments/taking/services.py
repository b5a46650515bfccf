"""Writes on a leader's response and answers.

A leader's answers are saved the moment they are given and can be changed until the round
closes or they submit; submitting happens once, whatever double clicks or open tabs do, and
stores the scores. Every write on a response locks that response's row (and only that row, so
300 leaders answering in the same room do not wait for each other).
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from assessments.anonymity.blocks import release_unit_blocks
from assessments.models import Answer, DimensionScore, Response
from assessments.scoring import score_answers, score_rows
from assessments.taking.selectors import layout_of


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
    """Upsert answers: `answers` is a list of (item or item id, kind, value) with value an int
    on the scale or None for "don't know". All or nothing; raises AnswerRefused.

    Returns the item id of every answer the response holds afterwards (one per item and
    question), for the progress the leader sees. Only answers that changed are written."""
    now = now or timezone.now()
    _check_can_change(response, now)
    instrument = response.round.instrument
    dimension_of_item = layout_of(instrument).dimension_of_item
    # The last answer per item and question wins; one upsert may not touch a row twice.
    latest = {}
    for item, kind, value in answers:
        item_id = getattr(item, "pk", item)
        valid_value = (instrument.allow_dont_know if value is None
                       else instrument.scale_min <= value <= instrument.scale_max)
        if (item_id not in dimension_of_item or kind not in instrument.answer_kinds
                or not valid_value):
            raise AnswerRefused("invalid")
        latest[(item_id, kind)] = value
    if connection.vendor == "postgresql":
        answered = _upsert_in_one_statement(response, latest, now)
    else:
        answered = _upsert_locked(response, latest, now)
    if answered is None:
        raise AnswerRefused("submitted")
    return answered


# One statement, so an autosave is one round trip (issue 11): it takes the response row FOR
# SHARE, so it waits for a submit in progress (FOR UPDATE, see _lock) and then finds the
# response submitted and writes nothing; it writes only the answers that changed; and it
# returns the item ids of all the response's answers, plus one marker row while the response
# is still open. (The table's own rows are read from the statement's snapshot, which does not
# include what the same statement inserts: those come from RETURNING.)
_UPSERT = """
WITH target AS (
    SELECT id FROM assessments_response WHERE id = %s AND submitted_at IS NULL FOR SHARE
), saved AS (
    INSERT INTO assessments_answer (response_id, item_id, kind, value, dont_know, answered_at)
    SELECT target.id, given.item_id, given.kind, given.value, given.value IS NULL, %s
    FROM target CROSS JOIN (VALUES {values}) AS given (item_id, kind, value)
    ON CONFLICT (response_id, item_id, kind) DO UPDATE
        SET value = EXCLUDED.value, dont_know = EXCLUDED.dont_know,
            answered_at = EXCLUDED.answered_at
        WHERE assessments_answer.value IS DISTINCT FROM EXCLUDED.value
    RETURNING item_id, kind
)
SELECT item_id, kind FROM assessments_answer WHERE response_id = %s
UNION SELECT item_id, kind FROM saved
UNION ALL SELECT NULL, NULL FROM target
"""


def _upsert_in_one_statement(response, latest, now):
    """The answers' item ids after the upsert, or None when the response was submitted."""
    values = ", ".join(["(%s::integer, %s::varchar, %s::smallint)"] * len(latest)) or None
    params = [response.pk]
    if values is None:  # nothing to write: only whether the response is open, and its answers
        sql = ("SELECT item_id, kind FROM assessments_answer WHERE response_id = %s "
               "UNION ALL SELECT NULL, NULL FROM assessments_response "
               "WHERE id = %s AND submitted_at IS NULL")
        params += [response.pk]
    else:
        sql = _UPSERT.format(values=values)
        params.append(now)
        for (item_id, kind), value in latest.items():
            params += [item_id, kind, value]
        params.append(response.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if (None, None) not in rows:
        return None
    return [item_id for item_id, _kind in rows if item_id is not None]


def _upsert_locked(response, latest, now):
    """The same for databases without data-modifying WITH (SQLite, the demo's default)."""
    with transaction.atomic():
        locked = _lock(response)
        if locked.submitted_at is not None:
            return None
        Answer.objects.bulk_create(
            [Answer(response=locked, item_id=item_id, kind=kind, value=value,
                    dont_know=value is None, answered_at=now)
             for (item_id, kind), value in latest.items()],
            update_conflicts=True, unique_fields=["response", "item", "kind"],
            update_fields=["value", "dont_know", "answered_at"])
        return list(locked.answers.values_list("item_id", flat=True))


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
