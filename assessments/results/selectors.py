"""Reads for the results pages and the gathering screen.

A person's own scores are read here directly (they are theirs); everything about other people
comes from assessments.anonymity.aggregation, which alone decides what may be shown.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone

from assessments.anonymity.aggregation import (
    compare,
    instrument_dimensions,
    national_benchmark,
    round_results,
)
from assessments.anonymity.presenter import group_labels, labels_of
from assessments.models import ReleasedBlock, Response, Round
from assessments.scoring import gap, overall_score
from cohorts.models import CohortGroup
from cohorts.policies import cohorts_person_can_follow
from tenancy.models import LeaderGroup, Organisation
from tenancy.rows import compiled_once, instances_read, rows_of_each

# What a page made from released blocks shows changes only when one of these does: the number
# submitted (released blocks' people, stored, and those still waiting: submitted_count) and
# the round's latest released block. Asked on every request: plain SQL, one statement.
_RELEASED_STATE = """
SELECT (SELECT coalesce(sum(respondents), 0) FROM assessments_releasedblock
        WHERE network_id = %(network)s AND round_id = %(round)s)
     + (SELECT count(*) FROM assessments_response
        WHERE network_id = %(network)s AND round_id = %(round)s
          AND submitted_at IS NOT NULL AND released_block_id IS NULL),
       (SELECT max(id) FROM assessments_releasedblock
        WHERE network_id = %(network)s AND round_id = %(round)s)
"""

# The group results page also shows the change since the cohort's earlier round of the
# instrument and the national benchmark: the earlier round (its name, its latest block and
# whether it still waits to be pooled), and the set of closed rounds of the instrument version
# (across networks, as the benchmark reads them: ids and pooling times only) with how many of
# them wait to be pooled. Plain SQL that SQLite (the demo) runs too.
_RESULTS_STATE = _RELEASED_STATE.rstrip() + """,
       earlier.id, earlier.pooled_at, earlier.name, earlier.purpose,
       earlier.closes_at <= %(now)s AND earlier.pooled_at IS NULL,
       (SELECT max(id) FROM assessments_releasedblock
        WHERE network_id = %(network)s AND round_id = earlier.id),
       closed.rounds, closed.ids, closed.squares, closed.pooled, closed.waiting
FROM (SELECT count(*) AS rounds, sum(id) AS ids, sum(id * id) AS squares,
             max(pooled_at) AS pooled,
             sum(CASE WHEN pooled_at IS NULL THEN 1 ELSE 0 END) AS waiting
      FROM assessments_round WHERE instrument_id = %(instrument)s AND closes_at <= %(now)s
     ) AS closed
LEFT JOIN (
    SELECT earlier.id, earlier.pooled_at, earlier.name, earlier.purpose, earlier.closes_at
    FROM assessments_round earlier
    JOIN assessments_instrument instrument ON instrument.id = earlier.instrument_id
    WHERE earlier.network_id = %(network)s AND earlier.cohort_id = %(cohort)s
      AND instrument.slug = %(slug)s AND earlier.opens_at < %(opens)s
    ORDER BY earlier.opens_at DESC LIMIT 1) AS earlier ON 1 = 1
"""


def released_state(round):
    """(How many submitted, the round's latest released block id or 0), in one statement:
    the people of the released blocks (stored, so erasing one of them later does not change
    it, README "Your data (GDPR)") and those still waiting."""
    with connection.cursor() as cursor:
        cursor.execute(_RELEASED_STATE, {"network": round.network_id, "round": round.pk})
        submitted, block = cursor.fetchone()
    return int(submitted), block or 0


def submitted_count(round):
    """How many submitted (released_state)."""
    return released_state(round)[0]


def waits_for_pooling(round, now):
    """A closed round whose remaining answers are not pooled yet: the first read pools them,
    so what it shows is made afresh."""
    return round.pooled_at is None and round.has_closed(now)


def common_key(network, round, language):
    """What every part made from a round's released blocks depends on besides its blocks: the
    round, the language, k and when the round was pooled (live.part_key, group_results_state)."""
    return (f"{round.pk}:{language}:{network.anonymity_threshold}:"
            f"{round.pooled_at and round.pooled_at.timestamp()}")


@dataclass
class ResultsState:
    """What the group results page shows besides its numbers, and the key of the part made
    from released blocks (None: made afresh, as something waits to be pooled)."""

    submitted: int
    groups: list  # [(label, group id)], as far as the person may follow them
    organisations: list  # [(name, id)] the person coordinates
    key: str | None
    last_block: int = 0  # the round's latest released block (in the key too)


def group_results_state(network, roles, round, position, language, now=None):
    """Everything the group results page's numbers depend on, in two small queries sent
    together (the state, the groups; a third for coordinators: their organisations): the
    round's released blocks and the number submitted, the earlier round's blocks (the
    change), the closed rounds of the benchmark, the groups and organisations shown with their
    names, the dimension compared, the language and k. Released blocks never change, so the
    same key means the same part."""
    now = now or timezone.now()
    instrument = round.instrument
    state = (_RESULTS_STATE, {
        "network": network.pk, "round": round.pk, "cohort": round.cohort_id,
        "instrument": instrument.pk, "slug": instrument.slug,
        "opens": connection.ops.adapt_datetimefield_value(round.opens_at),
        "now": connection.ops.adapt_datetimefield_value(now)})
    shown_groups = _shown_groups_sql(network, roles, round)
    (row, *_), *group_rows = rows_of_each([state, *([shown_groups] if shown_groups else [])])
    submitted, block, earlier, earlier_waits, earlier_block, closed, closed_waiting = (
        row[0], row[1], row[2:6], row[6], row[7], row[8:12], row[12])
    labelled = _labelled(group_rows[0] if group_rows else [])
    organisations = []
    if roles.coordinated_organisation_ids:
        organisations = list(Organisation.objects.for_network(network)
                             .filter(pk__in=roles.coordinated_organisation_ids)
                             .order_by("name").values_list("name", "pk"))
    fresh = waits_for_pooling(round, now) or earlier_waits or closed_waiting
    shown = hashlib.sha256(repr(
        (network.name, network.slug, instrument.published_at, earlier, earlier_block, closed,
         organisations, labelled)
    ).encode()).hexdigest()[:40]
    key = None if fresh else (
        f"assessments:group-results:{common_key(network, round, language)}:{position}:"
        f"{block or 0}:{shown}")  # not the number submitted: the page writes it outside
    return ResultsState(submitted, labelled, organisations, key, block or 0)


def _shown_groups_sql(network, roles, round):
    """(sql, params) of the groups the person may follow in the round (_visible_groups:
    id, name, organisation's name), compiled once per process for the roles and round (issue
    11); None when there can be none."""
    return compiled_once(
        ("visible_groups", roles.key, round.pk, round.cohort_id),
        lambda: _visible_groups_query(network, roles, round, _groups_with_blocks(network, round))
        .values_list("pk", "name", "organisation__name"))


def _labelled(rows):
    """[(label, group id)] of _shown_groups_sql's rows."""
    return list(zip(labels_of([(name, organisation) for _pk, name, organisation in rows]),
                    [pk for pk, _name, _organisation in rows], strict=True))


def _groups_with_blocks(network, round):
    """The groups with a released block in the round (a group may have left the cohort)."""
    return (ReleasedBlock.objects.for_network(network)
            .filter(round=round, leader_group_id__isnull=False).values("leader_group_id"))


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


def own_results_read(network, person, round_id):
    """own_results in two steps, for a caller that reads the person's rows in the same round
    trip as the round itself (views.assessment_results, tenancy.rows.rows_of_each): the
    statements, and finish(their rows, dimensions) giving the OwnResults. They read the
    person's submitted response to the round and their latest to an earlier cohort round of
    the same instrument (any version; personal rounds are compared on the development page),
    with the scores of both, and depend on the round's id alone (issue 11)."""
    where = ("found.network_id = %s AND found.person_id = %s AND found.submitted_at IS NOT NULL"
             f" AND (found.round_id = %s OR found.round_id IN ({_EARLIER_ROUNDS}))")
    where_params = [network.pk, person.pk, round_id, round_id, network.pk]
    responses_read, build = instances_read(
        Response, where, where_params, related=("round",),
        extra=(("group_block", _GROUP_BLOCK), ("score_rows", _SCORES[connection.vendor])))

    def finish(rows, dimensions):
        (response_rows,) = rows
        responses = build(response_rows)
        response = next((r for r in responses if r.round_id == round_id), None)
        earlier = max((r for r in responses if r.round_id != round_id),
                      key=lambda r: r.round.opens_at, default=None)
        return _own_results(response, earlier, dimensions)

    return [responses_read], finish


# The cohort rounds of the same instrument (any version) that opened before the round.
_EARLIER_ROUNDS = """SELECT earlier.id FROM assessments_round earlier
    JOIN assessments_round this ON this.id = %s
    JOIN assessments_instrument this_version ON this_version.id = this.instrument_id
    JOIN assessments_instrument earlier_version ON earlier_version.id = earlier.instrument_id
    WHERE earlier.network_id = %s AND earlier.owner_id IS NULL
      AND earlier_version.slug = this_version.slug AND earlier.opens_at < this.opens_at"""


# The latest block released for the response's group in its round (its group's totals
# change only with these: blocks.py), the key of the group's part of the own results page.
_GROUP_BLOCK = """coalesce((SELECT max(block.id) FROM assessments_releasedblock block
    WHERE block.network_id = found.network_id AND block.round_id = found.round_id
      AND block.leader_group_id = found.leader_group_id), 0)"""

# A response's scores in its own row, as JSON: [[dimension id, its code, kind, score], ...]
# (None or "[]" without any), so the page reads them in the same statement (issue 11). Each
# score must come back as exactly the float stored (the generation is read off their mean):
# PostgreSQL writes floats in JSON exactly; SQLite's JSON keeps 15 digits, so there the score
# goes as text with 21 (quote()).
_SCORES_OF_RESPONSE = """FROM assessments_dimensionscore score
    JOIN assessments_dimension dimension ON dimension.id = score.dimension_id
    WHERE score.network_id = found.network_id AND score.response_id = found.id"""
_SCORES = {
    "postgresql": "(SELECT json_agg(json_build_array(score.dimension_id, dimension.code,"
                  f" score.kind, score.score)) {_SCORES_OF_RESPONSE})",
    "sqlite": "(SELECT json_group_array(json_array(score.dimension_id, dimension.code,"
              f" score.kind, quote(score.score))) {_SCORES_OF_RESPONSE})",
}


def _scores_of(response, by_code=False):
    """{(dimension id, kind): score} of a response read with _SCORES; by the dimension's code
    with `by_code` (an earlier round's, maybe of another version)."""
    rows = response.score_rows
    rows = json.loads(rows) if isinstance(rows, str) else rows or ()
    return {(code if by_code else dimension_id, kind): float(score)
            for dimension_id, code, kind, score in rows}


def own_results(network, person, round, dimensions):
    """The person's own scores in the round, per area and overall, and the change since their
    earlier round of the same instrument (dimensions matched by code); one round trip."""
    statements, finish = own_results_read(network, person, round.pk)
    return finish(rows_of_each(statements), dimensions)


def _own_results(response, earlier, dimensions):
    if response is None:
        return OwnResults(None)
    scores = _scores_of(response)
    earlier_scores = _scores_of(earlier, by_code=True) if earlier is not None else {}
    rows = [OwnRow(d, scores.get((d.id, "today")), scores.get((d.id, "ambition")),
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
    """The leader's own results and the group they answered for; the group's and the
    network's numbers are read apart (together), as they are shared by every leader."""

    round: Round
    dimensions: list
    own: OwnResults
    group_id: int | None
    k: int


def _own_group_id(roles, round, response):
    """The group the leader answered for; before they answer, their group in the cohort."""
    if response is not None:
        return response.leader_group_id
    return (CohortGroup.objects.for_network(round.network_id)
            .filter(cohort_id=round.cohort_id, leadergroup_id__in=roles.led_group_ids)
            .order_by("leadergroup__name").values_list("leadergroup_id", flat=True).first())


def leader_page(network, roles, round, own_finish, own_rows):
    """The leader's page from the rows of own_results_read, read with the round."""
    dimensions = instrument_dimensions(round.instrument)
    own = own_finish(own_rows, dimensions)
    return LeaderPage(round, dimensions, own, _own_group_id(roles, round, own.response),
                      network.anonymity_threshold)


def together(round, dimensions, group_id):
    """(the group's Aggregate, the network's), from the released totals only: all suppressed
    for a leader who answered for no group (group_id None: the network's alone)."""
    results = round_results(round, dimensions=dimensions,
                            group_ids=[] if group_id is None else [group_id],
                            organisation_ids=[])
    return results.group(group_id), results.network


def together_keys(network, round, own, group_id, language, now=None):
    """The cache keys of the network's and the group's part of the leader's own results page
    (views.assessment_results), or (None, None) when they must be made afresh (a closed round
    whose remaining answers are not pooled yet). They are made from released blocks only, so
    besides common_key (round, language, k, pooling) the network's depends on the round's
    latest released block (`round.last_block`) and the network's name (a chart's title), the
    group's on the group's latest block (the round's before the leader has answered)."""
    if waits_for_pooling(round, now or timezone.now()):
        return None, None
    common = common_key(network, round, language)
    name = hashlib.sha256(network.name.encode()).hexdigest()[:16]
    group_block = round.last_block if own.response is None else own.response.group_block
    return (f"assessments:own-results-network:{common}:{round.last_block}:{name}",
            f"assessments:own-results-group:{common}:{group_id}:{group_block}")


# --- Group results and the gathering screen ----------------------------------------------

@dataclass
class Selection:
    """One selection shown side by side: its label and its aggregate."""

    label: str
    aggregate: object
    group_id: int | None = None


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
    name, then by when it was made. `group_ids_with_results`: ids, or a query of them."""
    if not isinstance(group_ids_with_results, QuerySet):
        group_ids_with_results = list(group_ids_with_results)
    return (LeaderGroup.objects.for_network(network)
            .filter(Q(pk__in=group_ids_with_results) | Q(cohorts=cohort_id))
            .select_related("organisation").distinct().order_by("name", "pk"))


def _visible_groups(network, roles, round, group_ids_with_results, person_runs_round=False):
    """The round's groups (round_groups) as far as the person may follow them: all of them for
    the people who follow the round's cohort, their organisation's groups for coordinators.
    Whoever runs the round follows its cohort (policies.rounds_person_runs), so for them
    (`person_runs_round`, when the round was found through that policy) it is all of them."""
    if person_runs_round:
        return list(round_groups(network, round.cohort_id, group_ids_with_results))
    return list(_visible_groups_query(network, roles, round, group_ids_with_results))


def _visible_groups_query(network, roles, round, group_ids_with_results):
    follows_cohort = Exists(
        cohorts_person_can_follow(network, roles).filter(pk=round.cohort_id))
    return round_groups(network, round.cohort_id, group_ids_with_results).filter(
        follows_cohort | Q(organisation__in=roles.coordinated_organisation_ids))


def _earlier_round(network, round):
    """The cohort's latest earlier round of the same instrument (any version)."""
    return (Round.objects.for_network(network)
            .filter(cohort_id=round.cohort_id, instrument__slug=round.instrument.slug,
                    opens_at__lt=round.opens_at)
            .select_related("instrument", "network").order_by("-opens_at").first())


def group_results_page(network, roles, round, *, with_change=True, with_benchmark=False,
                       dimension_position=None, state=None, with_submitted=True,
                       person_runs_round=False):
    """The network, the person's organisations and the groups they may follow side by side.
    With `dimension_position` (1, 2, ...) the groups and organisations are read for that one
    dimension only (`page.shown_dimensions`), with 0 not at all: a page reads what it shows,
    so it costs the same whatever the size of the network. `state` (group_results_state)
    brings the groups, organisations and number submitted already read; without it and
    without `with_submitted` the page's `submitted` is None (the gathering screen reads it on
    every poll, live.py)."""
    dimensions = instrument_dimensions(round.instrument)
    shown_dimensions = dimensions
    if dimension_position is not None:
        shown_dimensions = dimensions[min(dimension_position, len(dimensions)) - 1:][:1] \
            if dimension_position > 0 else []
    results = round_results(round, dimensions=dimensions,
                            selection_dimensions=shown_dimensions)
    if state is None:
        groups = _visible_groups(network, roles, round, results.group_sums, person_runs_round)
        labelled = list(zip(group_labels(groups), [group.pk for group in groups], strict=True))
        organisations = []
        if roles.coordinated_organisation_ids:
            organisations = list(Organisation.objects.for_network(network)
                                 .filter(pk__in=roles.coordinated_organisation_ids)
                                 .order_by("name").values_list("name", "pk"))
        submitted = submitted_count(round) if with_submitted else None
    else:
        labelled, organisations, submitted = state.groups, state.organisations, state.submitted
    page = GroupResultsPage(
        round, dimensions, results, Selection(network.name, results.network),
        [Selection(label, results.group(pk), pk) for label, pk in labelled],
        [Selection(name, results.organisation(pk)) for name, pk in organisations],
        submitted, shown_dimensions=shown_dimensions)
    if with_change:
        earlier = _earlier_round(network, round)
        if earlier is not None:
            page.earlier_round = earlier
            page.network_change = compare(round_results(earlier).network, results.network)
    if with_benchmark:
        page.benchmark = national_benchmark(round.instrument, dimensions=dimensions)
    return page
