"""{% report_links group=… %} / {% report_links cohort=… %}: links to the report pages the
person may open, for other pages to include (the group's page, the results pages). Renders
nothing for someone who may not have the report."""

from django import template

from assessments.reports import access as report_access
from tenancy.models import RoleKind

register = template.Library()


@register.inclusion_tag("assessments/reports/_links.html", takes_context=True)
def report_links(context, group=None, cohort=None):
    request = context["request"]
    network, roles = request.network, request.roles
    links = {"network": network, "groups": [], "cohort": None}
    if group is not None and report_access.groups_person_can_report_on(
            network, roles).filter(pk=group.pk).exists():
        links["groups"] = [group]
    if cohort is not None:
        if report_access.cohorts_person_can_report_on(network, roles).filter(
                pk=cohort.pk).exists():
            links["cohort"] = cohort
        led = [role.leader_group for role in roles if role.kind == RoleKind.LEADER]
        in_cohort = set(cohort.leader_groups.filter(pk__in=[g.pk for g in led])
                        .values_list("pk", flat=True))
        links["groups"] += [g for g in led if g.pk in in_cohort and g not in links["groups"]]
    return links
