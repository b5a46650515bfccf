"""Reads for the results pages and the gathering screen.

A person's own scores are read here directly (they are theirs); everything about other people
comes from assessments.anonymity.aggregation, which alone decides what may be shown.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from assessments.anonymity.aggregation import (
    compare,
    instrument_dimensions,
    national_benchmark,
    round_results,
)
from assessments.anonymity.presenter import group_labels
from assessments.models import DimensionScore, ReleasedBlock, Response, Round
from assessments.scoring import gap, overall_score
from cohorts.models import CohortGroup
from cohorts.policies import cohorts_person_can_follow
from tenancy.models import LeaderGroup, Organisation


def submitted_count(round):
    """How many submitted: the people of the released blocks (stored, so erasing one of them
    later does not change it, README "Your data (GDPR)") and those still waiting; one query."""
    network = round.network

    def total(queryset, aggregate):
        return Coalesce(Subquery(queryset.filter(round=OuterRef("pk")).order_by()
                                 .values("round").annotate(n=aggregate).values("n")), 0)

    released = total(ReleasedBlock.objects.for_network(network), Sum("respondents"))
    waiting = total(Response.objects.for_network(network)
                    .filter(submitted_at__isnull=False, released_block__isnull=True), Count("pk"))
    return sum(Round.objects.for_network(network).filter(pk=round.pk)
               .values_list(released, waiting).get())


# --- The leader's own results ----------------------------------------------------------

@dataclass
class OwnRow:
    dimension: object
    today: float | None
    ambition: float | None
    earlier_today: float | None = None
    earlier_ambition: float | None = None

    @property
    def gap(self):
        return gap(self.today, self.ambition)

    @property
    def change(self):
        if self.today is None or self.earlier_today is None:
            return None
        return self.today - self.earlier_today


@dataclass
class AreaScore:
    """An area's overall scores; the page shows their generation (scoring.level_of, once)."""

    area: object
    today: float | None
    ambition: float | None


@dataclass
class OwnResults:
    response: Response | None
    rows: list = field(default_factory=list)
    earlier_round: Round | None = None
    areas: list = field(default_factory=list)
    overall_today: float | None = None
    overall_ambition: float | None = None


def _scores_by_dimension(network, response):
    scores = {}
    for dimension_id, kind, score in (DimensionScore.objects.for_network(network)
                                      .filter(response=response)
                                      .values_list("dimension_id", "kind", "score")):
        scores[dimension_id, kind] = score
    return scores


def _earlier_response(network, person, round):
    """The person's latest submitted response to an earlier cohort round of the same
    instrument (any version); personal rounds are compared on the development page."""
    return (Response.objects.for_network(network)
            .filter(person=person, submitted_at__isnull=False,
                    round__in=Round.objects.for_network(network),
                    round__instrument__slug=round.instrument.slug,
                    round__opens_at__lt=round.opens_at)
            .select_related("round").order_by("-round__opens_at").first())


def own_results(network, person, round, dimensions):
    """The person's own scores in the round, per area and overall, and the change since their
    earlier round of the same instrument (dimensions matched by code)."""
    response = (Response.objects.for_network(network)
                .filter(round=round, person=person, submitted_at__isnull=False).first())
    if response is None:
        return OwnResults(None)
    scores = _scores_by_dimension(network, response)
    earlier = _earlier_response(network, person, round)
    earlier_scores = {}
    if earlier is not None:
        codes = {d.pk: d.code for d in earlier.round.instrument.dimensions.all()}
        earlier_scores = {(codes[dimension_id], kind): score for (dimension_id, kind), score
                          in _scores_by_dimension(network, earlier).items()}
    rows = [OwnRow(d, scores.get((d.pk, "today")), scores.get((d.pk, "ambition")),
                   earlier_scores.get((d.code, "today")),
                   earlier_scores.get((d.code, "ambition")))
            for d in dimensions]
    areas = {}
    for row in rows:
        areas.setdefault(row.dimension.area, []).append(row)
    return OwnResults(
        response, rows, earlier.round if earlier else None,
        [AreaScore(area, overall_score(r.today for r in area_rows),
                   overall_score(r.ambition for r in area_rows))
         for area, area_rows in areas.items()],
        overall_score(row.today for row in rows), overall_score(row.ambition for row in rows))


@dataclass
class LeaderPage:
    round: Round
    dimensions: list
    own: OwnResults
    group: object  # an Aggregate (all suppressed when the leader answered for no group)
    network: object
    k: int

    @property
    def comparison(self):
        """(dimension, own row or None, group result, network result) per dimension."""
        own = self.own.rows or [None] * len(self.dimensions)
        return list(zip(self.dimensions, own, self.group.dimensions, self.network.dimensions,
                        strict=True))


def _own_group_id(roles, round, response):
    """The group the leader answered for; before they answer, their group in the cohort."""
    if response is not None:
        return response.leader_group_id
    return (CohortGroup.objects.for_network(round.network_id)
            .filter(cohort_id=round.cohort_id, leadergroup_id__in=roles.led_group_ids)
            .order_by("leadergroup__name").values_list("leadergroup_id", flat=True).first())


def leader_page(network, roles, person, round):
    dimensions = instrument_dimensions(round.instrument)
    own = own_results(network, person, round, dimensions)
    group_id = _own_group_id(roles, round, own.response)
    results = round_results(round, dimensions=dimensions, group_ids=[group_id],
                            organisation_ids=[])
    return LeaderPage(round, dimensions, own, results.group(group_id), results.network,
                      results.k)


# --- Group results and the gathering screen ----------------------------------------------

@dataclass
class Selection:
    """One selection shown side by side: its label and its aggregate."""

    label: str
    aggregate: object
    group: LeaderGroup | None = None


@dataclass
class GroupResultsPage:
    round: Round
    dimensions: list
    results: object
    network: Selection
    groups: list
    organisations: list
    submitted: int | None
    earlier_round: Round | None = None
    network_change: dict = field(default_factory=dict)
    benchmark: object = None  # the national Aggregate, on the results page only
    shown_dimensions: list = None  # those the groups and organisations were read for

    @property
    def k(self):
        return self.results.k


def round_groups(network, cohort_id, group_ids_with_results):
    """The groups a cohort's results show, in the order every page and the PDF show them:
    every group of the cohort and every group with results (a group may have left it), by
    name, then by when it was made."""
    return (LeaderGroup.objects.for_network(network)
            .filter(Q(pk__in=list(group_ids_with_results)) | Q(cohorts=cohort_id))
            .select_related("organisation").distinct().order_by("name", "pk"))


def _visible_groups(network, roles, round, group_ids_with_results, person_runs_round=False):
    """The round's groups (round_groups) as far as the person may follow them: all of them for
    the people who follow the round's cohort, their organisation's groups for coordinators.
    Whoever runs the round follows its cohort (policies.rounds_person_runs), so for them
    (`person_runs_round`, when the round was found through that policy) it is all of them."""
    groups = round_groups(network, round.cohort_id, group_ids_with_results)
    if person_runs_round:
        return list(groups)
    follows_cohort = Exists(
        cohorts_person_can_follow(network, roles).filter(pk=round.cohort_id))
    return list(groups.filter(
        follows_cohort | Q(organisation__in=roles.coordinated_organisation_ids)))


def _earlier_round(network, round):
    """The cohort's latest earlier round of the same instrument (any version)."""
    return (Round.objects.for_network(network)
            .filter(cohort_id=round.cohort_id, instrument__slug=round.instrument.slug,
                    opens_at__lt=round.opens_at)
            .select_related("instrument", "network").order_by("-opens_at").first())


def group_results_page(network, roles, round, *, with_change=True, with_benchmark=False,
                       dimension_position=None, with_submitted=True, person_runs_round=False):
    """The network, the person's organisations and the groups they may follow side by side.
    With `dimension_position` (1, 2, ...) the groups and organisations are read for that one
    dimension only (`page.shown_dimensions`), with 0 not at all: a page reads what it shows,
    so it costs the same whatever the size of the network. Without `with_submitted` the
    page's `submitted` is None (the gathering screen reads it on every poll, live.py)."""
    dimensions = instrument_dimensions(round.instrument)
    shown_dimensions = dimensions
    if dimension_position is not None:
        shown_dimensions = dimensions[min(dimension_position, len(dimensions)) - 1:][:1] \
            if dimension_position > 0 else []
    results = round_results(round, dimensions=dimensions,
                            selection_dimensions=shown_dimensions)
    groups = _visible_groups(network, roles, round, results.group_sums, person_runs_round)
    organisations = []
    coordinated = roles.coordinated_organisation_ids
    if coordinated:
        organisations = [
            Selection(organisation.name, results.organisation(organisation.pk))
            for organisation in Organisation.objects.for_network(network)
            .filter(pk__in=coordinated).order_by("name")]
    page = GroupResultsPage(
        round, dimensions, results, Selection(network.name, results.network),
        [Selection(label, results.group(group.pk), group)
         for label, group in zip(group_labels(groups), groups, strict=True)],
        organisations, submitted_count(round) if with_submitted else None,
        shown_dimensions=shown_dimensions)
    if with_change:
        earlier = _earlier_round(network, round)
        if earlier is not None:
            page.earlier_round = earlier
            page.network_change = compare(round_results(earlier).network, results.network)
    if with_benchmark:
        page.benchmark = national_benchmark(round.instrument, dimensions=dimensions)
    return page
