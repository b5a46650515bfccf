"""{% report_links group=… %} / {% report_links cohort=… %}: links to the report pages the
person may open, for other pages to include (the group's page, the results pages). Renders
nothing for someone who may not have the report; assessments.policies decides."""

from django import template

from assessments.policies import report_links_for

register = template.Library()


@register.inclusion_tag("assessments/reports/_links.html", takes_context=True)
def report_links(context, group=None, cohort=None, follows_cohort=None,
                 leads_in_cohort=False):
    request = context["request"]
    return report_links_for(request.network, request.roles, group=group, cohort=cohort,
                            follows_cohort=follows_cohort, leads_in_cohort=leads_in_cohort)
