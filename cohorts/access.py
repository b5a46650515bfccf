"""Look cohorts, gatherings and leaders up inside request.network and what the person may act
on; missing and forbidden both answer 404 (see tenancy.access)."""


from cohorts import policies
from cohorts.models import Cohort, CohortModule
from tenancy.access import get_or_404, one_allowed_or_404
from tenancy.policies import leader_groups_person_can_manage
from tenancy.rows import compiled_once


def access_cohort_to_configure(request, cohort_id):
    return get_or_404(
        policies.cohorts_person_can_configure(request.network, request.roles)
        .select_related("programme"), cohort_id)


def access_cohort_to_follow(request, cohort_id):
    """A cohort the person runs (cohorts_person_can_follow), with its programme. Read on every
    view of the cohort page, so the policy's SQL is compiled once per process for the
    person's roles (issue 11)."""
    network, roles = request.network, request.roles
    allowed = compiled_once(("cohorts_person_can_follow", roles.key),
                            lambda: policies.cohorts_person_can_follow(network, roles).values("pk"))
    return one_allowed_or_404(Cohort, network, cohort_id, allowed, related=("programme",))


def access_cohort_module_to_configure(request, cohort_module_id):
    cohorts = policies.cohorts_person_can_configure(request.network, request.roles)
    return get_or_404(
        CohortModule.objects.for_network(request.network).filter(cohort__in=cohorts)
        .select_related("cohort", "module", "gathering"), cohort_module_id)


def access_own_activity_to_edit(request, activity_id):
    return get_or_404(
        policies.own_activities_person_can_edit(request.network, request.roles)
        .select_related("phase", "cohort_module__cohort", "cohort_module__module",
                        "cohort_module__network"), activity_id)


def access_gathering_to_see(request, gathering_id):
    return get_or_404(
        policies.gatherings_person_can_see(request.network, request.roles)
        .select_related("cohort_module__cohort", "cohort_module__module"), gathering_id)


def access_group_to_see_progress(request, group_id):
    return get_or_404(
        policies.leader_groups_person_can_see_progress(request.network, request.roles)
        .select_related("organisation"), group_id)


def access_group_to_enrol(request, group_id):
    return get_or_404(
        leader_groups_person_can_manage(request.network, request.roles)
        .select_related("organisation"), group_id)


def access_leader_to_manage(request, leader_role_id):
    return get_or_404(
        policies.leader_roles_person_can_manage(request.network, request.roles)
        .select_related("person", "leader_group__organisation"), leader_role_id)



def access_leader_group_to_follow(request, group_id):
    return get_or_404(
        policies.leader_groups_person_can_follow(request.network, request.roles)
        .select_related("organisation"), group_id)


def access_gathering_to_run(request, gathering_id):
    return get_or_404(
        policies.gatherings_person_runs(request.network, request.roles)
        .select_related("cohort_module__cohort", "cohort_module__module"), gathering_id)


def access_gathering_to_register(request, gathering_id):
    return get_or_404(
        policies.gatherings_person_can_register_for(request.network, request.roles),
        gathering_id)


def access_gathering_registrations(request, gathering_id):
    return get_or_404(
        policies.gatherings_with_registrations_for(request.network, request.roles)
        .select_related("cohort_module__cohort", "cohort_module__module"), gathering_id)
