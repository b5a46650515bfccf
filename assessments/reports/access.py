"""Look-ups for the report pages; 404 for missing and forbidden alike (see tenancy/access.py;
the rules are in assessments/policies.py)."""

from assessments import policies
from cohorts.policies import cohorts_person_can_follow
from tenancy.access import get_or_404


def access_group_for_reports(request, group_id):
    return get_or_404(
        policies.groups_person_can_report_on(request.network, request.roles)
        .select_related("organisation"), group_id)


def access_cohort_for_reports(request, cohort_id):
    return get_or_404(cohorts_person_can_follow(request.network, request.roles), cohort_id)


def access_report(request, report_id):
    return get_or_404(
        policies.reports_person_can_see(request.network, request.roles)
        .select_related("cohort", "leader_group", "network"), report_id)
