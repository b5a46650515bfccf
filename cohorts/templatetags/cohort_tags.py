"""Data for the cohorts' sections on tenancy's pages (included as partials there)."""

from django import template

from cohorts import selectors
from cohorts.policies import leader_groups_person_can_see_progress
from tenancy.policies import leader_groups_person_can_manage

register = template.Library()


@register.simple_tag(takes_context=True)
def group_schedule(context, group):
    """(modules of the group's cohorts, ids of gatherings whose calendar file the person may
    get, whether the person may see the group's progress, whether they may enrol in it)."""
    request = context["request"]
    cohort_modules, ics_ids = selectors.group_schedule(request.network, request.roles, group)
    sees_progress = leader_groups_person_can_see_progress(
        request.network, request.roles).filter(pk=group.pk).exists()
    enrols = leader_groups_person_can_manage(
        request.network, request.roles).filter(pk=group.pk).exists()
    return {"schedule": cohort_modules, "ics_ids": ics_ids, "sees_progress": sees_progress,
            "enrols": enrols}


@register.simple_tag(takes_context=True)
def organisation_cohorts(context, organisation):
    """The cohorts the organisation takes part in, with their modules, gatherings and
    assessment rounds (whose group results its coordinators may open)."""
    request = context["request"]
    return list(selectors.cohorts_of_organisation(request.network, organisation)
                .prefetch_related("cohort_modules__module", "cohort_modules__gathering",
                                  "rounds__instrument"))
