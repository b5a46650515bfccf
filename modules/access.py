"""Look up journey objects inside the request's network and what the person may act on.

Every helper answers 404 for missing and forbidden alike. A leader acts only in the cohorts
their own groups take part in, and only for their own groups; followers (coordinators,
facilitators, admins) read a group's shared work through cohorts.access, never a reflection.
"""

from django.http import Http404

from cohorts.models import CohortModule, Gathering
from cohorts.policies import cohorts_person_can_follow, leader_groups_person_can_follow
from modules.models import Initiative
from programmes.models import Activity
from tenancy.access import get_or_404


def access_cohort_module_as_leader(request, cohort_module_id):
    """A module of a cohort that one of the leader's groups takes part in."""
    cohort_modules = (CohortModule.objects.for_network(request.network)
                      .filter(cohort__leader_groups__in=request.roles.led_group_ids)
                      .select_related("cohort", "module", "gathering").distinct())
    return get_or_404(cohort_modules, cohort_module_id)


def access_activity_in(cohort_module, activity_id, *kinds):
    """An activity of the cohort module's module, standard or its own (of one of the kinds,
    when given)."""
    activities = Activity.objects.run_in(cohort_module.network_id, [cohort_module.pk]).filter(
        phase__module=cohort_module.module_id)
    if kinds:
        activities = activities.filter(kind__in=kinds)
    return get_or_404(activities.select_related("phase", "resource"), activity_id)


def access_own_group(request, group_id):
    """One of the leader's own groups (from the roles already loaded: no query)."""
    for group in request.roles.led_groups:
        if str(group.pk) == str(group_id):
            return group
    raise Http404


def access_group_cohort_module(request, group_id, cohort_module_id):
    """The leader's own group and a module of a cohort that this group takes part in."""
    group = access_own_group(request, group_id)
    cohort_modules = (CohortModule.objects.for_network(request.network)
                      .filter(cohort__leader_groups=group)
                      .select_related("cohort", "module", "gathering"))
    return group, get_or_404(cohort_modules, cohort_module_id)


def access_initiative_to_edit(request, initiative_id):
    """An initiative of one of the leader's own groups."""
    initiatives = (Initiative.objects.for_network(request.network)
                   .filter(leader_group__in=request.roles.led_group_ids)
                   .select_related("leader_group", "module", "cohort"))
    return get_or_404(initiatives, initiative_id)


def access_initiative_to_follow(request, initiative_id):
    """An initiative of a group the person may follow (its leaders, its coordinator, the
    facilitators and admins of its cohorts)."""
    initiatives = (Initiative.objects.for_network(request.network)
                   .filter(leader_group__in=leader_groups_person_can_follow(
                       request.network, request.roles))
                   .select_related("leader_group__organisation", "module", "cohort", "owner"))
    return get_or_404(initiatives, initiative_id)


def access_gathering_to_run(request, gathering_id):
    """A gathering of a cohort the person runs (its facilitators, the network's admins)."""
    gatherings = (Gathering.objects.for_network(request.network)
                  .filter(cohort_module__cohort__in=cohorts_person_can_follow(
                      request.network, request.roles))
                  .select_related("cohort_module__cohort", "cohort_module__module"))
    return get_or_404(gatherings, gathering_id)
