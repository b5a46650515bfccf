"""Look-ups for scheduling and taking rounds; 404 for missing and forbidden alike (see
tenancy/access.py; the rules are in assessments/policies.py).

Each leader reaches only their own response: no URL names a response, so nobody can ask for
someone else's.
"""

from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.http import Http404

from assessments.models import Instrument, Response, Round
from assessments.policies import (
    rounds_led_groups_can_take,
    rounds_of_groups_and_person_to_answer,
    rounds_person_can_answer,
    rounds_person_runs,
    rounds_with_group_results_for,
)
from cohorts.models import CohortGroup
from cohorts.policies import cohorts_person_can_follow
from tenancy.access import get_or_404, one_allowed_or_404
from tenancy.rows import compiled_once, instances


def access_cohort_to_schedule(request, cohort_id):
    return get_or_404(cohorts_person_can_follow(request.network, request.roles), cohort_id)


def access_round_to_schedule(request, round_id):
    return _with_instrument_and_network(get_or_404(
        rounds_person_runs(request.network, request.roles).select_related("cohort"), round_id),
        request.network)


def access_round_to_run(request, round_id):
    """A round the person runs (rounds_person_runs), with its instrument, cohort and network.

    The gathering screen's look-up, made on every poll of every screen (issue 11), so one
    query without the ORM's per-request work, as own_response_to_answer: the rule is still
    rounds_person_runs's, as the SQL the ORM makes of it, compiled once per process for each
    network, person and pair of roles it depends on (network admin, facilitator)."""
    try:
        policy_sql, policy_params = _rounds_run_sql(request.network, request.roles)
    except EmptyResultSet:
        raise Http404 from None
    found = instances(
        Round, f"found.network_id = %s AND found.id = %s AND found.id IN ({policy_sql})",
        [request.network.pk, round_id, *policy_params], related=("cohort",))
    if not found:
        raise Http404
    return _with_instrument_and_network(found[0], request.network)


_ROUNDS_RUN_SQL = {}


def _rounds_run_sql(network, roles):
    """(sql, params) of the ids of the rounds the person runs; remembered per process."""
    key = (network.pk, roles.person.pk, roles.is_admin, roles.is_facilitator)
    if key not in _ROUNDS_RUN_SQL:
        if len(_ROUNDS_RUN_SQL) >= 4096:
            _ROUNDS_RUN_SQL.clear()
        _ROUNDS_RUN_SQL[key] = (rounds_person_runs(network, roles).values("pk")
                                .query.sql_with_params())
    return _ROUNDS_RUN_SQL[key]


def access_round_to_take(request, round_id):
    """A round of the person's cohorts, or one of their personal rounds."""
    return _with_instrument_and_network(get_or_404(
        rounds_person_can_answer(request.network, request.roles, request.user), round_id),
        request.network)


def own_response_to_answer(request, round_id):
    """The leader's own response in a round they may take, with its round and instrument;
    None when there is none (access_round_to_take then tells 404 from "not started").

    The busiest read of a gathering (issue 11), so it is one query built without the ORM's
    per-request work: the rule is still rounds_person_can_answer's, as the SQL the ORM makes
    of it, compiled once per process for each network, set of led groups and person; the
    instrument is read once per process."""
    try:
        policy_sql, policy_params = _answerable_rounds_sql(
            request.network.pk, tuple(request.roles.led_group_ids), request.user.pk)
    except EmptyResultSet:
        return None
    found = instances(
        Response, "found.network_id = %s AND found.round_id = %s AND found.person_id = %s"
        f" AND found.round_id IN ({policy_sql})",
        [request.network.pk, round_id, request.user.pk, *policy_params], related=("round",))
    if not found:
        return None
    response = found[0]
    response.round.instrument = _published_instrument(response.round.instrument_id)
    return response


@lru_cache(maxsize=4096)
def _answerable_rounds_sql(network_id, led_group_ids, person_id):
    """(sql, params) of the ids of the rounds whose test pages the person may open."""
    return (rounds_of_groups_and_person_to_answer(network_id, list(led_group_ids), person_id)
            .values("pk").query.sql_with_params())


@lru_cache(maxsize=64)
def _published_instrument(instrument_id):
    """A published instrument version is never deleted, and changes only by texts added in a
    language it lacked (instruments_io): its id is key enough. Such texts show in a process
    once it restarts, as the instrument's layout and dimensions read once per process do."""
    return Instrument.objects.get(pk=instrument_id)


def groups_to_answer_for(request, round_):
    """The person's leader groups in the round's cohort, the one with an organisation first:
    a leader in two groups answers once, for the group they choose."""
    in_cohort = set(CohortGroup.objects.for_network(request.network).filter(

        cohort_id=round_.cohort_id, leadergroup_id__in=request.roles.led_group_ids)
        .values_list("leadergroup_id", flat=True))
    groups = [group for group in request.roles.led_groups if group.pk in in_cohort]
    return sorted(groups, key=lambda group: (group.organisation_id is None, group.name, group.pk))


def organisation_answered_for(request, group):
    """The group's organisation; for a group across organisations, the organisation of the
    leader's own group, so organisation aggregates still count the leader once."""
    if group.organisation_id:
        return group.organisation
    return next((led.organisation for led in request.roles.led_groups
                 if led.organisation_id), None)


def round_with_group_results(request, round_id):
    """A round whose group results the person may see (rounds_with_group_results_for), with
    its instrument, cohort and network, and `person_runs`: whether they run it and may open
    its gathering screen (rounds_person_runs). Read on every view of the results page, so
    the policies' SQL is compiled once per process for the person's roles (issue 11)."""
    network, roles = request.network, request.roles
    allowed = compiled_once(("rounds_with_group_results_for", roles.key),
                            lambda: rounds_with_group_results_for(network, roles).values("pk"))
    runs = compiled_once(("rounds_person_runs", roles.key),
                         lambda: rounds_person_runs(network, roles).values("pk"))
    runs_sql, runs_params = (f"found.id IN ({runs[0]})", runs[1]) if runs else ("1 = 0", [])
    return _one_round(network, round_id, allowed, extra=(("person_runs", runs_sql),),
                      extra_params=runs_params)


def round_to_read_own_results(request, round_id, own_reads):
    """A round of the person's cohorts (rounds_person_can_take) for their own results page,
    with its instrument, cohort and network, and its latest released block (`last_block`, 0
    without one: the key of the group's and network's part, views.assessment_results); its
    policy compiled once per process. `own_reads`: statements of the person's own rows in it,
    read in the same round trip: (round, [their rows])."""
    network, led = request.network, tuple(request.roles.led_group_ids)
    allowed = compiled_once(("rounds_led_groups_can_take", network.pk, led),
                            lambda: rounds_led_groups_can_take(network, list(led)).values("pk"))
    round, rows = one_allowed_or_404(Round, network, round_id, allowed, related=("cohort",),
                                     extra=(("last_block", _LAST_BLOCK),), also=own_reads)
    return _with_instrument_and_network(round, network), rows


_LAST_BLOCK = """coalesce((SELECT max(block.id) FROM assessments_releasedblock block
    WHERE block.network_id = found.network_id AND block.round_id = found.id), 0)"""


def _one_round(network, round_id, allowed, extra=(), extra_params=()):
    """The round `round_id` among those of the compiled policy `allowed`; 404 otherwise."""
    return _with_instrument_and_network(one_allowed_or_404(
        Round, network, round_id, allowed, related=("cohort",), extra=extra,
        extra_params=extra_params), network)


def _with_instrument_and_network(round, network):
    """The round with its instrument read once per process (its definition alone is 30-65 KB
    of JSON to send and decode on every request otherwise: issue 11) and the request's
    network, which the look-up named."""
    round.instrument = _published_instrument(round.instrument_id)
    round.network = network
    return round
