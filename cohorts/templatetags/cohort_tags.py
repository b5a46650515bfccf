"""Data for the cohorts' sections on tenancy's pages (included as partials there)."""

from django import template

from cohorts import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_cohorts(context, organisation):
    """The cohorts the organisation takes part in, with their modules, gatherings and
    assessment rounds (whose group results its coordinators may open)."""
    request = context["request"]
    return list(selectors.cohorts_of_organisation(request.network, organisation)
                .prefetch_related("cohort_modules__module", "cohort_modules__gathering",
                                  "rounds__instrument"))
