"""Who may schedule rounds and who may take them; look-ups answer 404 for missing and
forbidden alike (see tenancy/access.py).

Rounds are scheduled by the network's admins and by the facilitators of the round's cohort.
A round is taken only by leaders of the groups in its cohort, and each of them reaches only
their own response: no URL names a response, so nobody can ask for someone else's.
"""

from django.db.models import Exists, OuterRef

from assessments.models import Round
from cohorts.models import Cohort, CohortGroup
from cohorts.selectors import cohorts_facilitated_by
from tenancy.access import get_or_404
from tenancy.models import RoleKind
from tenancy.policies import led_group_ids, role_kinds


def cohorts_person_can_schedule_in(network, roles):
    if RoleKind.NETWORK_ADMIN in role_kinds(roles):
        return Cohort.objects.for_network(network)
    return cohorts_facilitated_by(network, roles)


def rounds_person_can_schedule(network, roles):
    return Round.objects.for_network(network).filter(
        cohort__in=cohorts_person_can_schedule_in(network, roles))


def rounds_person_can_take(network, roles):
    """Rounds of the cohorts that one of the person's leader groups is in."""
    return Round.objects.for_network(network).filter(Exists(CohortGroup.objects.filter(
        cohort_id=OuterRef("cohort_id"), leadergroup_id__in=led_group_ids(roles))))


def access_cohort_to_schedule(request, cohort_id):
    return get_or_404(cohorts_person_can_schedule_in(request.network, request.roles),
                       cohort_id)


def access_round_to_schedule(request, round_id):
    return get_or_404(
        rounds_person_can_schedule(request.network, request.roles)
        .select_related("instrument", "cohort"), round_id)


def access_round_to_take(request, round_id):
    return get_or_404(
        rounds_person_can_take(request.network, request.roles).select_related("instrument"),
        round_id)


def groups_to_answer_for(request, round_):
    """The person's leader groups in the round's cohort, the one with an organisation first:
    a leader in two groups answers once, for the group they choose."""
    in_cohort = set(CohortGroup.objects.for_network(request.network).filter(
        cohort_id=round_.cohort_id, leadergroup_id__in=led_group_ids(request.roles))
        .values_list("leadergroup_id", flat=True))
    groups = [role.leader_group for role in request.roles
              if role.kind == RoleKind.LEADER and role.leader_group_id in in_cohort]
    return sorted(groups, key=lambda group: (group.organisation_id is None, group.name, group.pk))


def organisation_answered_for(request, group):
    """The group's organisation; for a group across organisations, the organisation of the
    leader's own group, so organisation aggregates still count the leader once."""
    if group.organisation_id:
        return group.organisation
    return next((role.leader_group.organisation for role in request.roles
                 if role.kind == RoleKind.LEADER and role.leader_group.organisation_id), None)
