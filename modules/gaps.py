"""A leader group's gaps (ambition minus today, per dimension) and whether the gap an initiative
addresses narrowed between two rounds.

Every number comes from assessments.anonymity.aggregation: the group's released blocks, as on
the results pages. Nothing here reads a score or an answer, so a group below k shows "not
shown", and a change is only told when both rounds' gaps may be shown; the words "narrowed" or
"did not narrow" compare two numbers the group's results already show.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.anonymity.aggregation import instrument_dimensions, round_results
from assessments.models import Round


class Trend:
    """What an initiative's dimension did between the round before it and the latest one."""

    NARROWED = "narrowed"
    NOT_NARROWED = "not_narrowed"
    NOT_SHOWN = "not_shown"  # one of the two rounds' gaps may not be shown (fewer than k)
    WAITING = "waiting"  # no round of the instrument has closed since the initiative began
    NO_BASELINE = "no_baseline"  # no round had closed before the initiative began

    LABELS = {
        NARROWED: _("The gap narrowed"),
        NOT_NARROWED: _("The gap did not narrow"),
        NOT_SHOWN: _("not shown"),
        WAITING: _("Waiting for a later round to close"),
        NO_BASELINE: _("No closed round from before the initiative"),
    }


@dataclass
class DimensionTrend:
    dimension: object
    trend: str
    earlier: Round | None = None
    later: Round | None = None

    @property
    def label(self):
        return Trend.LABELS[self.trend]


@dataclass
class GapRow:
    """One dimension of the group's latest round: its released result and the initiatives
    that address it."""

    result: object  # aggregation.DimensionResult
    initiatives: list = field(default_factory=list)  # [(initiative, DimensionTrend)]


@dataclass
class InstrumentGaps:
    round: Round
    aggregate: object  # the group's aggregation.Aggregate
    rows: list
    k: int


class GroupGaps:
    """The rounds of a group's cohorts and their released results, read once per round."""

    def __init__(self, network, group, now=None):
        self.network = network
        self.group = group
        self.now = now or timezone.now()
        self.rounds = list(
            Round.objects.for_network(network)
            .filter(cohort__leader_groups=group, opens_at__lte=self.now)
            .select_related("instrument", "network").order_by("opens_at", "pk"))
        self._dimensions = {}
        self._results = {}

    def _results_of(self, round_):
        if round_.pk not in self._results:
            instrument = round_.instrument
            if instrument.pk not in self._dimensions:
                self._dimensions[instrument.pk] = instrument_dimensions(instrument)
            self._results[round_.pk] = round_results(
                round_, dimensions=self._dimensions[instrument.pk], now=self.now)
        return self._results[round_.pk]

    def group_aggregate(self, round_):
        return self._results_of(round_).group(self.group.pk)

    def latest_rounds(self):
        """The latest opened round of each instrument (by slug), in the order they opened."""
        latest = {}
        for round_ in self.rounds:
            latest[round_.instrument.slug] = round_
        return sorted(latest.values(), key=lambda round_: round_.opens_at)

    def instruments(self, initiatives=()):
        """Per instrument: the latest round's gaps of the group, and (initiative, its
        DimensionTrend) on each dimension (matched by code, so an initiative made on an
        earlier version counts). The initiatives have been through attach_trends."""
        by_code = {}
        for initiative in initiatives:
            for trend in initiative.trends:
                dimension = trend.dimension
                by_code.setdefault((dimension.instrument.slug, dimension.code), []).append(
                    (initiative, trend))
        shown = []
        for round_ in self.latest_rounds():
            aggregate = self.group_aggregate(round_)
            slug = round_.instrument.slug
            rows = [GapRow(result, by_code.get((slug, result.dimension.code), []))
                    for result in aggregate.dimensions]
            shown.append(InstrumentGaps(round_, aggregate, rows, self.network.anonymity_threshold))
        return shown

    def trend(self, initiative, dimension):
        """Whether the group's gap in `dimension` narrowed from the last round of its
        instrument that closed before the initiative was made to the latest closed one."""
        closed = [round_ for round_ in self.rounds
                  if round_.instrument.slug == dimension.instrument.slug
                  and round_.has_closed(self.now)]
        before = [round_ for round_ in closed if round_.closes_at <= initiative.created_at]
        if not before:
            return DimensionTrend(dimension, Trend.NO_BASELINE)
        earlier = before[-1]
        later = max(closed, key=lambda round_: round_.closes_at)
        if later.closes_at <= earlier.closes_at:
            return DimensionTrend(dimension, Trend.WAITING, earlier)
        gaps = []
        for round_ in (earlier, later):
            row = self.group_aggregate(round_).by_code().get(dimension.code)
            gaps.append(row.gap if row is not None else None)
        if not all(gap is not None and getattr(gap, "shown", True) for gap in gaps):
            return DimensionTrend(dimension, Trend.NOT_SHOWN, earlier, later)
        trend = Trend.NARROWED if gaps[1] < gaps[0] else Trend.NOT_NARROWED
        return DimensionTrend(dimension, trend, earlier, later)

    def attach_trends(self, initiatives):
        """Give each initiative `.trends`: a DimensionTrend per dimension it addresses."""
        for initiative in initiatives:
            initiative.trends = [self.trend(initiative, dimension)
                                 for dimension in initiative.dimensions.all()]
        return initiatives
