"""Anonymous aggregates of assessment scores: the ONE place the anonymity rule is enforced.

Every page, export, PDF and API that shows more than a person's own answers reads its numbers
from here (README.md, "Anonymity", says the same in plain words):

* **Blocks of k.** For each dimension and question (today, ambition) the scores of a round
  are split into *units*: one leader group within one organisation (respondents without a
  group form a unit of their organisation, those with neither one of the round). Inside a
  unit the scores are taken in the order the responses were submitted and cut into blocks
  of k (k = the network's anonymity threshold, at least 3). Only complete blocks are
  released; a unit's last, incomplete block waits until k more have answered. A block never
  changes once formed, because later answers only append to the end.
* **When the round has closed**, the waiting scores of all units are pooled across the round
  and cut into blocks of k the same way; these count for the round as a whole only.
* A leader group shows its unit blocks, an organisation the unit blocks of its units, the
  round ("network") all unit blocks plus the pooled blocks. So every number shown is computed
  from a union of whole blocks, and the difference of any two numbers shown - a group and
  its organisation or network, the same group before and after one more submission, two
  overlapping selections - is again a sum over whole blocks of at least k people. Anything
  with fewer than k scores is a `Suppressed`, never a number.
* Only a fixed set of selections exists: round, organisation, leader group (and the national
  benchmark). There are no free filters. Free text is never read here.
* Responses submitted after the round closed are never counted, so a closed round's
  numbers cannot move.
* The national benchmark pools the released blocks of closed rounds of one instrument
  version across networks. It is shown only with at least BENCHMARK_MIN_NETWORKS networks
  and BENCHMARK_K scores, and never names or counts a network.

Means, spreads, gaps and changes leave here at the precision people see (one decimal,
presenter.shown): no page, chart coordinate, table, PDF or export can carry more. They are
computed exactly first: the database returns, per unit and block level, the count, sum
and sum of squares of the released scores (and counts per rounded score), and they are
combined here. Spread is the population standard deviation: how much the people in the
aggregate disagree.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from assessments.anonymity.presenter import hidden_value, shown
from assessments.models import AnswerKind, Dimension, Round
from assessments.scoring import distribution_offset

# The benchmark's own k: the number of scores and of networks it needs before it shows.
BENCHMARK_K = 20
BENCHMARK_MIN_NETWORKS = 3
RELEASED_SUMS_CACHE_SECONDS = 30 * 24 * 3600

KINDS = (AnswerKind.TODAY, AnswerKind.AMBITION)


@dataclass(frozen=True)
class Suppressed:
    """A value that may not be shown. It carries no number, so no template can leak one."""

    reason: str
    shown = False

    TOO_FEW = "too_few"
    TOO_FEW_NETWORKS = "too_few_networks"

    def __str__(self):
        return hidden_value()


@dataclass(frozen=True)
class CellStats:
    """The released scores of one dimension and question in one aggregate."""

    respondents: int
    mean: float
    spread: float
    distribution: tuple  # ((value, respondents), ...) for every value of the scale
    shown = True


@dataclass(frozen=True)
class DimensionResult:
    dimension: Dimension
    today: CellStats | Suppressed
    ambition: CellStats | Suppressed

    @property
    def gap(self):
        """Ambition mean minus today mean, when both may be shown."""
        if self.today.shown and self.ambition.shown:
            return shown(self.ambition.mean - self.today.mean)
        return Suppressed(Suppressed.TOO_FEW)

    def cell(self, kind):
        return self.today if kind == AnswerKind.TODAY else self.ambition


@dataclass
class Aggregate:
    """One selection (a group, an organisation, a round, the nation) for every dimension."""

    scope: str
    key: int | None
    dimensions: list

    @property
    def shown(self):
        return any(row.today.shown or row.ambition.shown for row in self.dimensions)

    @property
    def respondents(self):
        """The most scores released for any dimension: 0 when nothing may be shown."""
        return max((cell.respondents for row in self.dimensions
                    for cell in (row.today, row.ambition) if cell.shown), default=0)

    def by_code(self):
        return {row.dimension.code: row for row in self.dimensions}

    def overall(self, kind):
        """The mean of the dimension means for one question, only when every dimension shows."""
        cells = [row.cell(kind) for row in self.dimensions]
        if not cells or not all(cell.shown for cell in cells):
            return Suppressed(Suppressed.TOO_FEW)
        return shown(sum(cell.mean for cell in cells) / len(cells))


@dataclass
class RoundResults:
    """Every selection of one round, summed together in one statement; a group's or an
    organisation's aggregate is built when first asked for."""

    round: Round
    k: int
    final: bool
    dimensions: list
    network: Aggregate
    group_sums: dict = field(default_factory=dict, repr=False)
    organisation_sums: dict = field(default_factory=dict, repr=False)
    _built: dict = field(default_factory=dict, repr=False)

    def _selection(self, scope, key, sums):
        if (scope, key) not in self._built:
            self._built[scope, key] = (
                _aggregate(scope, key, self.dimensions, sums[key], self.round.instrument, self.k)
                if key in sums else _empty(scope, key, self.dimensions))
        return self._built[scope, key]

    def group(self, group_id):
        return self._selection("group", group_id, self.group_sums)

    def organisation(self, organisation_id):
        return self._selection("organisation", organisation_id, self.organisation_sums)

    @property
    def groups(self):
        """{group id: Aggregate} of every group with released scores."""
        return {key: self.group(key) for key in self.group_sums}

    @property
    def organisations(self):
        return {key: self.organisation(key) for key in self.organisation_sums}


@dataclass(frozen=True)
class Change:
    """Later minus earlier for one dimension code and question, when both may be shown."""

    code: str
    today: float | Suppressed
    ambition: float | Suppressed


def compare(earlier, later):
    """{code: Change} for the dimensions whose codes match in two aggregates (instrument
    versions may differ; a dimension in only one of them has no change)."""
    earlier_rows = earlier.by_code()
    changes = {}
    for row in later.dimensions:
        before = earlier_rows.get(row.dimension.code)
        if before is None:
            continue
        changes[row.dimension.code] = Change(
            row.dimension.code,
            *(_difference(before.cell(kind), row.cell(kind)) for kind in KINDS))
    return changes


def _difference(before, after):
    if before.shown and after.shown:
        return shown(after.mean - before.mean)
    return Suppressed(Suppressed.TOO_FEW)


# The released rows of DimensionScore, tagged with the level at which they may count:
# 1 = inside a complete block of its unit (counts for group, organisation and round),
# 2 = inside a complete block of the pool of waiting scores of a closed round (round only),
# 0 = waiting (counts nowhere). Raw SQL because the ORM cannot express windows over a
# filtered window; every caller names the network(s) explicitly in its WHERE clause.
_SCORED = """
WITH scored AS (
    SELECT s.round_id, s.network_id, s.dimension_id,
           CASE WHEN s.kind = 'today' THEN 0 ELSE 1 END AS kind_index,
           s.leader_group_id AS group_id, s.organisation_id, s.score,
           r.submitted_at, r.id AS response_id, n.anonymity_threshold AS k
    FROM assessments_dimensionscore s
    JOIN assessments_response r ON r.id = s.response_id
    JOIN assessments_round rd ON rd.id = s.round_id
    JOIN tenancy_network n ON n.id = s.network_id
    WHERE {where} AND r.submitted_at IS NOT NULL AND r.submitted_at <= rd.closes_at
), in_units AS (
    SELECT scored.*,
           ROW_NUMBER() OVER (PARTITION BY round_id, dimension_id, kind_index, group_id,
                                           organisation_id
                              ORDER BY submitted_at, response_id) AS unit_position,
           COUNT(*) OVER (PARTITION BY round_id, dimension_id, kind_index, group_id,
                                       organisation_id) AS unit_size
    FROM scored
), blocked AS (
    SELECT in_units.*,
           CASE WHEN unit_position <= (unit_size / k) * k THEN 1 ELSE 0 END AS in_unit_block
    FROM in_units
)"""

# Live rounds: only unit blocks count. A bucket is the distribution value of a score
# (FLOOR(score + scoring.distribution_offset), the generation reached for generations).
_LIVE = _SCORED + """, released AS (
    SELECT blocked.*, in_unit_block AS release_level, FLOOR(score + %s) AS bucket
    FROM blocked
)
"""

# Closed rounds: the waiting scores of all units are pooled and cut into blocks as well.
_FINAL = _SCORED + """, pooled AS (
    SELECT blocked.*,
           ROW_NUMBER() OVER (PARTITION BY round_id, dimension_id, kind_index, in_unit_block
                              ORDER BY submitted_at, response_id) AS pool_position,
           COUNT(*) OVER (PARTITION BY round_id, dimension_id, kind_index, in_unit_block)
               AS pool_size
    FROM blocked
), released AS (
    SELECT pooled.*,
           CASE WHEN in_unit_block = 1 THEN 1
                WHEN pool_position <= (pool_size / k) * k THEN 2
                ELSE 0 END AS release_level,
           FLOOR(score + %s) AS bucket
    FROM pooled
)
"""

_ROUND_SELECT = """
SELECT dimension_id, kind_index, group_id, organisation_id, release_level, bucket,
       COUNT(*), SUM(score), SUM(score * score)
FROM released WHERE release_level > 0
GROUP BY dimension_id, kind_index, group_id, organisation_id, release_level, bucket
"""

_CLOSED_ROUND_SELECT = """
SELECT round_id, dimension_id, kind_index, bucket, COUNT(*), SUM(score), SUM(score * score)
FROM released WHERE release_level > 0
GROUP BY round_id, dimension_id, kind_index, bucket
"""


class _Sums:
    __slots__ = ("buckets", "count", "squares", "total")

    def __init__(self):
        self.count = 0
        self.total = 0.0
        self.squares = 0.0
        self.buckets = defaultdict(int)

    def add(self, bucket, count, total, squares):
        self.count += count
        self.total += total
        self.squares += squares
        self.buckets[int(bucket)] += count

    def stats(self, instrument, k):
        if self.count < k:
            return Suppressed(Suppressed.TOO_FEW)
        mean = self.total / self.count
        spread = math.sqrt(max(0.0, self.squares / self.count - mean * mean))
        distribution = tuple(
            (value, self.buckets.get(value, 0))
            for value in range(instrument.scale_min, instrument.scale_max + 1))
        return CellStats(self.count, shown(mean), shown(spread), distribution)


def _aggregate(scope, key, dimensions, sums, instrument, k):
    rows = []
    for dimension in dimensions:
        cells = [sums[dimension.pk, kind].stats(instrument, k) if (dimension.pk, kind) in sums
                 else Suppressed(Suppressed.TOO_FEW) for kind in KINDS]
        rows.append(DimensionResult(dimension, *cells))
    return Aggregate(scope, key, rows)


def _empty(scope, key, dimensions):
    return Aggregate(scope, key, [
        DimensionResult(d, Suppressed(Suppressed.TOO_FEW), Suppressed(Suppressed.TOO_FEW))
        for d in dimensions])


def instrument_dimensions(instrument):
    return list(instrument.dimensions.select_related("area").order_by("position"))


def round_results(round, *, dimensions=None, now=None):
    """The round's aggregate, each organisation's and each leader group's (2 queries, or 1
    when the caller already has the instrument's dimensions)."""
    now = now or timezone.now()
    instrument = round.instrument
    network = round.network
    k = network.anonymity_threshold
    if dimensions is None:
        dimensions = instrument_dimensions(instrument)
    final = round.closes_at <= now
    # The network is named on the round (its scores carry the same one): the planner then
    # estimates the round's rows right and joins the responses by hash.
    sql = ((_FINAL if final else _LIVE).format(where="rd.network_id = %s AND s.round_id = %s")
           + _ROUND_SELECT)
    params = [network.pk, round.pk, distribution_offset(instrument)]
    whole = defaultdict(_Sums)
    groups = defaultdict(lambda: defaultdict(_Sums))
    organisations = defaultdict(lambda: defaultdict(_Sums))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for (dimension_id, kind_index, group_id, organisation_id, level, bucket,
             count, total, squares) in cursor.fetchall():
            cell = (dimension_id, KINDS[kind_index])
            whole[cell].add(bucket, count, total, squares)
            if level != 1:
                continue
            if group_id is not None:
                groups[group_id][cell].add(bucket, count, total, squares)
            if organisation_id is not None:
                organisations[organisation_id][cell].add(bucket, count, total, squares)
    return RoundResults(
        round=round, k=k, final=final, dimensions=dimensions,
        network=_aggregate("round", None, dimensions, whole, instrument, k),
        group_sums=dict(groups), organisation_sums=dict(organisations))


def _released_sums_of_closed_rounds(round_ids, instrument):
    """{round id: [(dimension id, kind index, bucket, count, sum, sum of squares), ...]} of
    the released scores of closed rounds, in one statement."""
    placeholders = ", ".join(["%s"] * len(round_ids))
    sql = _FINAL.format(where=f"s.round_id IN ({placeholders})") + _CLOSED_ROUND_SELECT
    sums = {round_id: [] for round_id in round_ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*round_ids, distribution_offset(instrument)])
        for round_id, *row in cursor.fetchall():
            sums[round_id].append(tuple(row))
    return sums


def national_benchmark(instrument, *, dimensions=None, now=None):
    """The released blocks of every closed round of this instrument version, across
    networks; suppressed unless BENCHMARK_MIN_NETWORKS networks and BENCHMARK_K scores are
    in a cell. It reads every network on purpose (an anonymised cross-network benchmark).

    A closed round's released sums never change, so each round's are computed once and kept
    in the cache (keyed by its closing time and k); a page then costs one small query."""
    now = now or timezone.now()
    if dimensions is None:
        dimensions = instrument_dimensions(instrument)
    # Round.unscoped: deliberately across networks; only ids and closing times are read.
    closed = Round.unscoped.filter(instrument=instrument, closes_at__lte=now).values_list(
        "pk", "network_id", "closes_at", "network__anonymity_threshold")
    keys = {f"assessments:released:{pk}:{closes_at.timestamp()}:{k}": (pk, network_id)
            for pk, network_id, closes_at, k in closed}
    found = cache.get_many(list(keys))
    missing = {pk: key for key, (pk, _network) in keys.items() if key not in found}
    if missing:
        computed = _released_sums_of_closed_rounds(sorted(missing), instrument)
        fresh = {missing[pk]: rows for pk, rows in computed.items()}
        cache.set_many(fresh, timeout=RELEASED_SUMS_CACHE_SECONDS)
        found |= fresh
    sums = defaultdict(_Sums)
    networks = defaultdict(set)
    for key, rows in found.items():
        network_id = keys[key][1]
        for dimension_id, kind_index, bucket, count, total, squares in rows:
            cell = (dimension_id, KINDS[kind_index])
            sums[cell].add(bucket, count, total, squares)
            networks[cell].add(network_id)
    rows = []
    for dimension in dimensions:
        cells = []
        for kind in KINDS:
            cell = (dimension.pk, kind)
            if len(networks.get(cell, ())) < BENCHMARK_MIN_NETWORKS:
                cells.append(Suppressed(Suppressed.TOO_FEW_NETWORKS))
            else:
                cells.append(sums[cell].stats(instrument, BENCHMARK_K))
        rows.append(DimensionResult(dimension, *cells))
    return Aggregate("national", None, rows)
