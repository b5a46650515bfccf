"""Look-ups for scheduling and taking rounds; 404 for missing and forbidden alike (see
tenancy/access.py; the rules are in assessments/policies.py).

Each leader reaches only their own response: no URL names a response, so nobody can ask for
someone else's.
"""

from functools import lru_cache

from django.db import connection

from assessments.models import Instrument, Response, Round
from assessments.policies import (
    rounds_led_groups_can_take,
    rounds_person_can_take,
    rounds_person_runs,
)
from cohorts.models import CohortGroup
from cohorts.policies import cohorts_person_can_follow
from tenancy.access import get_or_404


def access_cohort_to_schedule(request, cohort_id):
    return get_or_404(cohorts_person_can_follow(request.network, request.roles), cohort_id)


def access_round_to_schedule(request, round_id):
    return get_or_404(
        rounds_person_runs(request.network, request.roles)
        .select_related("instrument", "cohort"), round_id)


def access_round_to_take(request, round_id):
    return get_or_404(
        rounds_person_can_take(request.network, request.roles).select_related("instrument"),
        round_id)


def own_response_to_answer(request, round_id):
    """The leader's own response in a round they may take, with its round and instrument;
    None when there is none (access_round_to_take then tells 404 from "not started").

    The busiest read of a gathering (issue 11), so it is one query built without the ORM's
    per-request work: the rule is still rounds_person_can_take's, as the SQL the ORM makes of
    it, compiled once per process for each network and set of led groups; the instrument is
    read once per process, as a published version never changes (instruments_io)."""
    led_group_ids = tuple(request.roles.led_group_ids)
    if not led_group_ids:
        return None
    policy_sql, policy_params = _takeable_rounds_sql(request.network.pk, led_group_ids)
    with connection.cursor() as cursor:
        cursor.execute(_OWN_RESPONSE_SQL.format(takeable=policy_sql),
                       [request.network.pk, round_id, request.user.pk, *policy_params])
        row = cursor.fetchone()
    if row is None:
        return None
    response_end = len(_RESPONSE_FIELDS)
    round_end = response_end + len(_ROUND_FIELDS)
    response = Response.from_db(connection.alias, _RESPONSE_FIELDS, row[:response_end])
    round_ = Round.from_db(connection.alias, _ROUND_FIELDS, row[response_end:round_end])
    round_.instrument = _published_instrument(round_.instrument_id, row[round_end])
    response.round = round_
    return response


@lru_cache(maxsize=4096)
def _takeable_rounds_sql(network_id, led_group_ids):
    """(sql, params) of the ids of the rounds that leaders of these groups may take."""
    return (rounds_led_groups_can_take(network_id, list(led_group_ids)).values("pk")
            .query.sql_with_params())


@lru_cache(maxsize=64)
def _published_instrument(instrument_id, published_at):
    """Keyed by the moment of publishing too, so a reused id never meets an old version."""
    return Instrument.objects.get(pk=instrument_id, published_at=published_at)


def _columns(model, alias):
    quote = connection.ops.quote_name
    return [f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields]


_RESPONSE_FIELDS = [field.attname for field in Response._meta.concrete_fields]
_ROUND_FIELDS = [field.attname for field in Round._meta.concrete_fields]
_OWN_RESPONSE_SQL = (
    "SELECT {columns}, instrument.published_at FROM {response} response"
    " JOIN {round} round_ ON round_.id = response.round_id"
    " JOIN {instrument} instrument ON instrument.id = round_.instrument_id"
    " WHERE response.network_id = %s AND response.round_id = %s AND response.person_id = %s"
    " AND response.round_id IN ({{takeable}})"
).format(columns=", ".join(_columns(Response, "response") + _columns(Round, "round_")),
         response=Response._meta.db_table, round=Round._meta.db_table,
         instrument=Instrument._meta.db_table)


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
