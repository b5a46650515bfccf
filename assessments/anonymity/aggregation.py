"""Anonymous aggregates of assessment scores: the ONE place the anonymity rule is enforced.

Every page, export, PDF and API that shows more than a person's own answers reads its numbers
from here (README.md, "Anonymity", says the same in plain words):

* **Released blocks only.** Numbers are read from the stored blocks of k respondents
  (ReleasedBlock / ReleasedScore, written by blocks.py, which holds the rule: blocks of k
  people in submission order per unit, pooled blocks once the round closed, a block's cell
  only when all k of its people scored it), or from their sums per selection that blocks.py
  keeps with them (ReleasedTotal). Nothing here reads a person's scores or answers.
* A leader group shows its unit blocks, an organisation the unit blocks of its units, the
  round ("network") all unit blocks plus the pooled blocks. So every number shown is computed
  from a union of whole blocks, and the difference of any two numbers shown - a group and
  its organisation or network, the same group before and after one more submission, two
  overlapping selections, before and after a deletion - is again a sum over whole blocks of
  k people. Anything else is a `Suppressed`, never a number.
* Only a fixed set of selections exists: round, organisation, leader group (and the national
  benchmark). There are no free filters. Free text is never read here.
* Released rows are never changed, so a number once shown never moves; a round's numbers
  only grow by whole blocks while it is open and stop when it has closed.
* The national benchmark pools the released blocks of closed rounds of one instrument
  version across networks. It is shown only with at least BENCHMARK_MIN_NETWORKS networks
  and BENCHMARK_K scores, and never names or counts a network.

Means, spreads, gaps and changes leave here at the precision people see (one decimal,
presenter.shown): no page, chart coordinate, table, PDF or export can carry more. They are
computed exactly first: the database adds up the stored count, sum and sum of squares
per cell (and counts per rounded score) of the blocks in a selection, and they are
combined here. Spread is the population standard deviation: how much the people in the
aggregate disagree.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from assessments.anonymity.blocks import release_pooled_blocks
from assessments.anonymity.presenter import hidden_value, shown
from assessments.models import (
    AnswerKind,
    Dimension,
    PollBlock,
    ReleasedTotal,
    Round,
    TotalScope,
)
from tenancy.rows import compiled_once
from tenancy.scoping import platform_wide

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
    selection_dimensions: list = None  # a group's and an organisation's (None: `dimensions`)
    _built: dict = field(default_factory=dict, repr=False)

    def _selection(self, scope, key, sums):
        if (scope, key) not in self._built:
            dimensions = (self.dimensions if self.selection_dimensions is None
                          else self.selection_dimensions)
            self._built[scope, key] = (
                _aggregate(scope, key, dimensions, sums[key], self.round.instrument, self.k)
                if key in sums else _empty(scope, key, dimensions))
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
    """The version's dimensions with their areas, in order; read once per process, as a
    published version never changes (the same rule as taking.selectors.layout_of)."""
    return list(_dimensions(instrument.pk, instrument.published_at))


@lru_cache(maxsize=64)
def _dimensions(instrument_id, published_at):
    return tuple(Dimension.objects.filter(instrument_id=instrument_id)
                 .select_related("area").order_by("position"))


def round_results(round, *, dimensions=None, now=None, group_ids=None, organisation_ids=None,
                  selection_dimensions=None):
    """The round's aggregate, each organisation's and each leader group's, read from the
    released totals only: the stored sums of each selection's whole blocks (blocks.py), one
    row per dimension, question and value reached, whatever the size of the network (1 query,
    2 without the instrument's dimensions; the first read after the round closed releases its
    pooled blocks first). A page reads only what it shows: `dimensions` may be some of the
    instrument's; `group_ids` and `organisation_ids` name the selections to read besides the
    round (None: all of them), `selection_dimensions` the dimensions read for them (None:
    `dimensions`); their aggregates then list only these."""
    now = now or timezone.now()
    instrument = round.instrument
    network = round.network
    k = network.anonymity_threshold
    if dimensions is None:
        dimensions = instrument_dimensions(instrument)
    release_pooled_blocks(round, now)
    if selection_dimensions is not None and not selection_dimensions:
        group_ids = organisation_ids = ()
    whole = defaultdict(_Sums)
    sums = {TotalScope.GROUP: defaultdict(lambda: defaultdict(_Sums)),
            TotalScope.ORGANISATION: defaultdict(lambda: defaultdict(_Sums))}
    for scope, key, dimension_id, kind, bucket, count, total, squares in _released_totals(
            network, round, dimensions, group_ids, organisation_ids, selection_dimensions):
        cells = whole if scope == TotalScope.ROUND else sums[scope][key]
        cells[dimension_id, kind].add(bucket, count, total, squares)
    return RoundResults(
        round=round, k=k, final=round.pooled_at is not None, dimensions=dimensions,
        network=_aggregate("round", None, dimensions, whole, instrument, k),
        group_sums=dict(sums[TotalScope.GROUP]),
        organisation_sums=dict(sums[TotalScope.ORGANISATION]),
        selection_dimensions=selection_dimensions)


def _released_totals(network, round, dimensions, group_ids, organisation_ids,
                     selection_dimensions):
    """The ReleasedTotal rows round_results reads, as tuples. Read on every results page, so
    the query is compiled once per process for what it asks (issue 11)."""
    ids = [d.pk for d in dimensions]
    selection_ids = ids if selection_dimensions is None else [
        d.pk for d in selection_dimensions]

    def query():
        selections = Q(scope=TotalScope.ROUND, dimension__in=ids)
        for scope, keys in ((TotalScope.GROUP, group_ids),
                            (TotalScope.ORGANISATION, organisation_ids)):
            if keys is None:
                selections |= Q(scope=scope, dimension__in=selection_ids)
            elif keys:
                selections |= Q(scope=scope, key__in=list(keys), dimension__in=selection_ids)
        return (ReleasedTotal.objects.for_network(network).filter(selections, round=round)
                .values_list("scope", "key", "dimension_id", "kind", "bucket", "count",
                             "total", "squares"))

    compiled = compiled_once(
        ("released_totals", network.pk, round.pk, tuple(ids), tuple(selection_ids),
         None if group_ids is None else tuple(group_ids),
         None if organisation_ids is None else tuple(organisation_ids)), query)
    if compiled is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        return cursor.fetchall()


def _released_sums_of_closed_rounds(round_ids):
    """{round id: [(dimension id, kind, bucket, count, sum, sum of squares), ...]} of the
    released blocks of closed rounds: their stored round totals, in one statement."""
    sums = {round_id: [] for round_id in round_ids}
    with platform_wide():  # deliberately across networks (an anonymised benchmark)
        rows = list(ReleasedTotal.objects.filter(round_id__in=round_ids,
                                                 scope=TotalScope.ROUND)
                    .values_list("round_id", "dimension_id", "kind", "bucket", "count",
                                 "total", "squares"))
    for round_id, *row in rows:
        sums[round_id].append(tuple(row))
    return sums


def national_benchmark(instrument, *, dimensions=None, now=None):
    """The released blocks of every closed round of this instrument version, across
    networks; suppressed unless BENCHMARK_MIN_NETWORKS networks and BENCHMARK_K scores are
    in a cell. It reads every network on purpose (an anonymised cross-network benchmark).

    A closed round's released blocks never change, so each round's sums are added up once
    and kept in the cache (keyed by when its blocks were pooled); a page then costs one small
    query. A closed round nobody has read yet is pooled first."""
    now = now or timezone.now()
    if dimensions is None:
        dimensions = instrument_dimensions(instrument)
    with platform_wide():  # deliberately across networks: each closed round's own blocks
        closed = list(Round.objects.filter(instrument=instrument, closes_at__lte=now)
                      .select_related("network", "instrument"))
        for round_ in closed:
            release_pooled_blocks(round_, now)
    keys = {f"assessments:released:{round_.pk}:{round_.pooled_at.timestamp()}":
            (round_.pk, round_.network_id) for round_ in closed}
    found = cache.get_many(list(keys))
    missing = {pk: key for key, (pk, _network) in keys.items() if key not in found}
    if missing:
        computed = _released_sums_of_closed_rounds(sorted(missing))
        fresh = {missing[pk]: rows for pk, rows in computed.items()}
        cache.set_many(fresh, timeout=RELEASED_SUMS_CACHE_SECONDS)
        found |= fresh
    sums = defaultdict(_Sums)
    networks = defaultdict(set)
    for key, rows in found.items():
        network_id = keys[key][1]
        for dimension_id, kind, bucket, count, total, squares in rows:
            cell = (dimension_id, kind)
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


def poll_results(network, polls):
    """{poll id: CellStats or Suppressed} of polls of the network, read from their released
    blocks only (one query): the counts per value of whole blocks of k, with the mean and
    spread at the precision shown. A poll with fewer than k released answers is Suppressed."""
    polls = list(polls)
    if not polls:
        return {}
    sums = {poll.pk: _Sums() for poll in polls}
    rows = (PollBlock.objects.for_network(network)
            .filter(poll__in=[poll.pk for poll in polls]).values_list("poll_id", "counts"))
    for poll_id, counts in rows:
        for value, count in counts.items():
            value = int(value)
            sums[poll_id].add(value, count, value * count, value * value * count)
    return {poll.pk: sums[poll.pk].stats(poll, network.anonymity_threshold) for poll in polls}
