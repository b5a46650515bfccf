"""Released blocks: the stored, immutable facts every aggregate is read from.

The rule (README.md, "Anonymity", says it in plain words):

* **A block is k people.** Inside a unit (one leader group within one organisation; people
  without a group form a unit of their organisation, those with neither one of the round) the
  submitted responses are taken in submission order, and each k of them that have not yet been
  released form the next block. When a round closes, the people still waiting in all units
  are pooled in submission order and cut into blocks of k the same way (kind "pooled"; these
  count for the round as a whole only). A response submitted after the round closed never
  joins a block.
* **A block's cell is all of its k people or nothing.** For each dimension and question a
  block contributes a cell only when every one of its k people has a score there (someone
  who answered "don't know" to every statement of a dimension has none). So every number
  shown is a sum over whole blocks of k people, and whether a cell shows is decided by the
  block as a whole, at the moment its k-th person completes it: the pattern of "not shown"
  moves only when k people arrive together and says something about those k, never about
  the last of them alone.
* **Written once, never changed.** A block and its sums are written in one transaction when
  its k-th person submits (`release_unit_blocks`, called by taking/services.submit_response
  under the response's row lock plus a lock on the unit), and the pooled blocks at the first
  read after the round closed (`release_pooled_blocks`, idempotent: a conditional update of
  Round.pooled_at decides who pools, a unique constraint backs it). Nothing updates or deletes
  them afterwards: deleting a person, a group or an organisation, moving a leader, editing a
  round or changing k leaves them as they are, because rows hold plain ids, not foreign keys
  to people, groups or organisations.

Layout: one ReleasedScore row per block, dimension, question and value reached (bucket),
holding count, sum and sum of squares. Any selection (a group, an organisation, the round,
the nation) is then one GROUP BY in the database over rows that are already sums; the counts
per value come out of the same rows. (A JSON of sums per block would mean fetching and adding
every block in Python.) So that a page does not add up every block of a round on each
request, the same GROUP BY is kept per selection (the round, each leader group, each
organisation) in ReleasedTotal, rewritten from the selection's blocks by `refresh_totals` in
the transaction that releases a block: derived rows, always equal to the blocks' sums.
"""

import math
import zlib
from collections import Counter, defaultdict

from django.db import connection, transaction
from django.utils import timezone

from assessments.models import (
    BlockKind,
    DimensionScore,
    PollAnswer,
    PollBlock,
    ReleasedBlock,
    ReleasedScore,
    Response,
    Round,
    TotalScope,
)
from assessments.scoring import distribution_offset

POOL = "pool"
# Advisory lock keys: a round's (shared by submits, exclusive while pooling) in the one-key
# space, a unit's as (round id, hash of the unit) in the two-key space (they never overlap);
# a round's totals (exclusive while they are rewritten) in the one-key space too.
_ROUND_LOCK_BASE = 0x42524F << 32
_TOTALS_LOCK_BASE = 0x425254 << 32


# --- the rule, as pure functions (the data migration uses them too) --------------------------

def unit_of(group_id, organisation_id):
    """The unit a response is released in."""
    return f"{group_id or '-'}/{organisation_id or '-'}"


def whole_blocks(ordered_ids, k):
    """The ids cut into blocks of k in order; an incomplete last block waits."""
    return [ordered_ids[start:start + k] for start in range(0, len(ordered_ids) // k * k, k)]


def block_cells(scores, size, offset):
    """{(dimension id, kind, bucket): [count, sum, sum of squares]} of one block, from its
    people's (dimension id, kind, score) rows: only cells all `size` people scored."""
    by_cell = defaultdict(list)
    for dimension_id, kind, score in scores:
        by_cell[dimension_id, kind].append(score)
    cells = {}
    for (dimension_id, kind), values in by_cell.items():
        if len(values) != size:
            continue
        for value in values:
            sums = cells.setdefault((dimension_id, kind, math.floor(value + offset)), [0, 0, 0])
            sums[0] += 1
            sums[1] += value
            sums[2] += value * value
    return cells


# A selection's sums over its released blocks, written into ReleasedTotal (one row per
# dimension, question and bucket). {key} is the selection's key ({group_by} groups by it when
# it is a column), {where} chooses its blocks; the data migration runs the same statements
# over every round at once.
TOTALS_SQL = """
INSERT INTO assessments_releasedtotal
    (network_id, round_id, scope, "key", dimension_id, kind, bucket, count, total, squares)
SELECT s.network_id, s.round_id, %s, {key}, s.dimension_id, s.kind, s.bucket,
       SUM(s.count), SUM(s.total), SUM(s.squares)
FROM assessments_releasedscore s JOIN assessments_releasedblock b ON b.id = s.block_id
WHERE {where}
GROUP BY s.network_id, s.round_id, s.dimension_id, s.kind, s.bucket{group_by}
ON CONFLICT (round_id, scope, "key", dimension_id, kind, bucket)
DO UPDATE SET count = excluded.count, total = excluded.total, squares = excluded.squares
"""
# (scope, key column, which blocks): the round all its blocks, a group or an organisation
# the unit blocks of its units (README "Anonymity": parents show only whole blocks).
TOTAL_SELECTIONS = (
    (TotalScope.ROUND, "0", "TRUE"),
    (TotalScope.GROUP, "b.leader_group_id",
     f"b.kind = '{BlockKind.UNIT}' AND b.leader_group_id IS NOT NULL"),
    (TotalScope.ORGANISATION, "b.organisation_id",
     f"b.kind = '{BlockKind.UNIT}' AND b.organisation_id IS NOT NULL"),
)


# --- writing ---------------------------------------------------------------------------------

def _lock(sql, *params):
    """A PostgreSQL advisory lock for the transaction. SQLite (the demo) has none and needs
    none: it lets one transaction write at a time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _write_block(round_, *, kind, unit, position, group_id, organisation_id, response_ids):
    scores = (DimensionScore.objects.for_network(round_.network_id)
              .filter(response_id__in=response_ids).values_list("dimension_id", "kind", "score"))
    block = ReleasedBlock.objects.create(
        network_id=round_.network_id, round=round_, kind=kind, unit=unit, position=position,
        leader_group_id=group_id, organisation_id=organisation_id,
        respondents=len(response_ids))
    ReleasedScore.objects.bulk_create(
        ReleasedScore(network_id=round_.network_id, block=block, round=round_,
                      dimension_id=dimension_id, kind=score_kind, bucket=bucket, count=count,
                      total=total, squares=squares)
        for (dimension_id, score_kind, bucket), (count, total, squares)
        in block_cells(scores, len(response_ids),
                       distribution_offset(round_.instrument)).items())
    Response.objects.for_network(round_.network_id).filter(pk__in=response_ids).update(
        released_block=block)
    return block


def _waiting(round_):
    return (Response.objects.for_network(round_.network_id)
            .filter(round=round_, submitted_at__isnull=False, submitted_at__lte=round_.closes_at,
                    released_block__isnull=True)
            .order_by("submitted_at", "pk"))


def totals_sql(scope, key, where):
    """The statement writing one kind of selection's totals for the blocks `where` chooses."""
    group_by = "" if scope == TotalScope.ROUND else f", {key}"
    return TOTALS_SQL.format(key=key, where=where, group_by=group_by)


def refresh_totals(round_, group_id=None, organisation_id=None):
    """Rewrite the round's totals, and the group's and the organisation's when given, from
    their released blocks; inside the transaction that released them. Releases of one round
    take turns here, so each statement sees the blocks the others committed before it."""
    _lock("SELECT pg_advisory_xact_lock(%s)", _TOTALS_LOCK_BASE + round_.pk)
    keys = {TotalScope.ROUND: None, TotalScope.GROUP: group_id,
            TotalScope.ORGANISATION: organisation_id}
    with connection.cursor() as cursor:
        for scope, key, where in TOTAL_SELECTIONS:
            if scope != TotalScope.ROUND and keys[scope] is None:
                continue
            selection = f"s.network_id = %s AND s.round_id = %s AND {where}"
            params = [scope, round_.network_id, round_.pk]
            if scope != TotalScope.ROUND:
                selection += f" AND {key} = %s"
                params.append(keys[scope])
            cursor.execute(totals_sql(scope, key, selection), params)


def refresh_every_total(round_):
    """Rewrite all of the round's totals from its blocks at once (for loaders, see
    release_round)."""
    _lock("SELECT pg_advisory_xact_lock(%s)", _TOTALS_LOCK_BASE + round_.pk)
    with connection.cursor() as cursor:
        for scope, key, where in TOTAL_SELECTIONS:
            cursor.execute(totals_sql(scope, key, f"s.network_id = %s AND s.round_id = %s "
                                                  f"AND {where}"),
                           [scope, round_.network_id, round_.pk])


def release_unit_blocks(round_, group_id, organisation_id, *, with_totals=True):
    """Release the blocks one unit can fill now (at most one at a submit). Runs inside the
    caller's transaction; once the round's leftovers were pooled, nothing more is released.
    `with_totals=False` leaves the totals to the caller (release_round writes them once).
    A personal round releases nothing, ever: its one leader's answers are theirs alone."""
    if round_.is_personal:
        return []
    _lock("SELECT pg_advisory_xact_lock_shared(%s)", _ROUND_LOCK_BASE + round_.pk)
    if Round.objects.for_network(round_.network_id).filter(
            pk=round_.pk, pooled_at__isnull=False).exists():
        return []
    unit = unit_of(group_id, organisation_id)
    _lock("SELECT pg_advisory_xact_lock(%s, %s)", round_.pk,
          zlib.crc32(unit.encode()) - 2 ** 31)
    waiting = list(_waiting(round_).filter(leader_group_id=group_id,
                                           organisation_id=organisation_id)
                   .values_list("pk", flat=True))
    k = round_.network.anonymity_threshold
    if len(waiting) < k:
        return []
    last = (ReleasedBlock.objects.for_network(round_.network_id)
            .filter(round=round_, unit=unit).order_by("-position")
            .values_list("position", flat=True).first() or 0)
    released = [_write_block(round_, kind=BlockKind.UNIT, unit=unit, position=last + index,
                             group_id=group_id, organisation_id=organisation_id,
                             response_ids=ids)
                for index, ids in enumerate(whole_blocks(waiting, k), start=1)]
    if with_totals:
        refresh_totals(round_, group_id, organisation_id)
    return released


def lock_before_removing(response):
    """Erasure removes a person's responses: a waiting one is removed under the locks a
    release takes (the round's shared, the unit's), so no block is cut from a list that still
    holds it. A released one needs none: its block is a stored fact that stays as it is."""
    if response.released_block_id is not None:
        return
    _lock("SELECT pg_advisory_xact_lock_shared(%s)", _ROUND_LOCK_BASE + response.round_id)
    unit = unit_of(response.leader_group_id, response.organisation_id)
    _lock("SELECT pg_advisory_xact_lock(%s, %s)", response.round_id,
          zlib.crc32(unit.encode()) - 2 ** 31)


def release_pooled_blocks(round_, now=None):
    """The closing job: once the round has closed, pool everyone still waiting and release
    their whole blocks. Idempotent and race-safe; a no-op (no query) once done, and for a
    personal round."""
    now = now or timezone.now()
    if round_.is_personal or round_.pooled_at is not None or now < round_.closes_at:
        return
    with transaction.atomic():
        _lock("SELECT pg_advisory_xact_lock(%s)", _ROUND_LOCK_BASE + round_.pk)
        won = (Round.objects.for_network(round_.network_id)
               .filter(pk=round_.pk, pooled_at__isnull=True).update(pooled_at=now))
        if won:
            waiting = list(_waiting(round_).values_list("pk", flat=True))
            for position, ids in enumerate(
                    whole_blocks(waiting, round_.network.anonymity_threshold), start=1):
                _write_block(round_, kind=BlockKind.POOLED, unit=POOL, position=position,
                             group_id=None, organisation_id=None, response_ids=ids)
            refresh_totals(round_)
    round_.pooled_at = now if won else (Round.objects.for_network(round_.network_id)
                                        .values_list("pooled_at", flat=True).get(pk=round_.pk))


def release_round(round_, now=None):
    """Every block a round can release now, in submission order: for loaders that write
    responses directly (seeds, demo data, tests)."""
    with transaction.atomic():
        units = (Response.objects.for_network(round_.network_id)
                 .filter(round=round_, submitted_at__isnull=False, released_block__isnull=True)
                 .values_list("leader_group_id", "organisation_id").distinct())
        for group_id, organisation_id in list(units):
            release_unit_blocks(round_, group_id, organisation_id, with_totals=False)
        refresh_every_total(round_)
    release_pooled_blocks(round_, now)


# --- polls and gathering evaluations ----------------------------------------------------------

def release_poll_blocks(poll):
    """Release the blocks of k a poll's waiting answers fill now (at most one per answer):
    the same rule as a unit of a round, with the whole poll as its one unit. Runs inside the
    caller's transaction, which holds the poll's row lock (polls/services.py), so ids follow
    the order the answers were given; an evaluation's items are locked together, so each
    item's blocks hold the same people. Leftovers below k are never released (nothing to
    pool them with: the poll is already the whole gathering)."""
    waiting = list(PollAnswer.objects.for_network(poll.network_id)
                   .filter(poll=poll, released_block__isnull=True).order_by("pk")
                   .values_list("pk", "value"))
    blocks = whole_blocks(waiting, poll.network.anonymity_threshold)
    if not blocks:
        return []
    last = (PollBlock.objects.for_network(poll.network_id).filter(poll=poll)
            .order_by("-position").values_list("position", flat=True).first() or 0)
    released = []
    for index, answers in enumerate(blocks, start=1):
        counts = Counter(value for _pk, value in answers)
        block = PollBlock.objects.create(
            network_id=poll.network_id, poll=poll, position=last + index,
            respondents=len(answers), counts={str(value): n for value, n in counts.items()})
        PollAnswer.objects.for_network(poll.network_id).filter(
            pk__in=[pk for pk, _value in answers]).update(released_block=block)
        released.append(block)
    return released
