"""Look up journey objects inside the request's network and what the person may act on.

Every helper answers 404 for missing and forbidden alike. A leader acts only in the cohorts
their own groups take part in, and only for their own groups; followers (coordinators,
facilitators, admins) read a group's shared work through tenancy.access, never a reflection.
"""

from django.http import Http404

from cohorts.models import CohortModule
from modules.models import Initiative
from programmes.models import Activity
from tenancy.access import get_or_404, require_role
from tenancy.models import RoleKind
from tenancy.policies import led_group_ids


def access_cohort_module_as_leader(request, cohort_module_id):
    """A module of a cohort that one of the leader's groups takes part in."""
    require_role(request, RoleKind.LEADER)
    cohort_modules = (CohortModule.objects.for_network(request.network)
                      .filter(cohort__leader_groups__in=led_group_ids(request.roles))
                      .select_related("cohort", "module", "gathering").distinct())
    return get_or_404(cohort_modules, cohort_module_id)


def access_activity_in(cohort_module, activity_id, *kinds):
    """An activity of the cohort module's module (of one of the kinds, when given)."""
    activities = Activity.objects.filter(phase__module=cohort_module.module_id)
    if kinds:
        activities = activities.filter(kind__in=kinds)
    return get_or_404(activities.select_related("phase", "resource"), activity_id)


def access_own_group(request, group_id):
    """One of the leader's own groups (from the roles already loaded: no query)."""
    require_role(request, RoleKind.LEADER)
    for role in request.roles:
        if role.kind == RoleKind.LEADER and str(role.leader_group_id) == str(group_id):
            return role.leader_group
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
    require_role(request, RoleKind.LEADER)
    initiatives = (Initiative.objects.for_network(request.network)
                   .filter(leader_group__in=led_group_ids(request.roles))
                   .select_related("leader_group", "module", "cohort"))
    return get_or_404(initiatives, initiative_id)
