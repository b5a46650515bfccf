"""{% report_links group=… %} / {% report_links cohort=… %}: links to the report pages the
person may open, for other pages to include (the group's page, the results pages). Renders
nothing for someone who may not have the report; assessments.policies decides."""

from collections import namedtuple

from django import template

from assessments.policies import report_links_for
from tenancy.templatetags.bro import filled

register = template.Library()

# What the links show of a group or cohort: the fragment is rendered once per process for
# these (tenancy.templatetags.bro.layout_fragment), so a rename makes a new one (issue 11).
Linked = namedtuple("Linked", "pk name")


@register.simple_tag(takes_context=True)
def report_links(context, group=None, cohort=None, follows_cohort=None,
                 leads_in_cohort=False):
    request = context["request"]
    links = report_links_for(request.network, request.roles, group=group, cohort=cohort,
                             follows_cohort=follows_cohort, leads_in_cohort=leads_in_cohort)
    if not links["groups"] and links["cohort"] is None:
        return ""
    cohort = links["cohort"]
    return filled(context, "assessments/reports/_links.html",
                  network_slug=links["network"].slug,
                  groups=tuple(Linked(group.pk, group.name) for group in links["groups"]),
                  cohort=None if cohort is None else Linked(cohort.pk, cohort.name))
