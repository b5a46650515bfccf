"""Who may ask for and download reports; look-ups answer 404 for missing and forbidden alike
(see tenancy/access.py).

A leader group's report: the network's admins, the facilitators of the report's cohort and the
group's own leaders. A network report (a cohort with every group): admins and the cohort's
facilitators. Coordinators get neither: a report is a file that travels, and DESIGN.md section
3 gives them their organisation's groups only, not the network's.
"""

from django.db.models import Q

from assessments.models import Report, ReportKind
from cohorts.models import Cohort
from cohorts.selectors import cohorts_facilitated_by
from tenancy.access import get_or_404
from tenancy.models import LeaderGroup
from tenancy.policies import is_network_admin, led_group_ids


def groups_person_can_report_on(network, roles):
    groups = LeaderGroup.objects.for_network(network)
    if is_network_admin(roles):
        return groups
    return groups.filter(
        Q(pk__in=led_group_ids(roles))
        | Q(cohorts__in=cohorts_facilitated_by(network, roles))).distinct()


def group_cohorts_person_can_report_on(network, roles, group):
    """The cohorts of one group for which the person may have its report made."""
    cohorts = Cohort.objects.for_network(network).filter(leader_groups=group)
    if is_network_admin(roles) or group.pk in led_group_ids(roles):
        return cohorts.order_by("-starts_on", "pk")
    return cohorts.filter(pk__in=cohorts_facilitated_by(network, roles).values("pk")).order_by(
        "-starts_on", "pk")


def cohorts_person_can_report_on(network, roles):
    """Cohorts whose network report the person may have made."""
    if is_network_admin(roles):
        return Cohort.objects.for_network(network)
    return cohorts_facilitated_by(network, roles)


def reports_person_can_see(network, roles):
    reports = Report.objects.for_network(network)
    if is_network_admin(roles):
        return reports
    return reports.filter(
        Q(kind=ReportKind.GROUP, leader_group__in=led_group_ids(roles))
        | Q(cohort__in=cohorts_facilitated_by(network, roles).values("pk")))


def access_group_for_reports(request, group_id):
    return get_or_404(
        groups_person_can_report_on(request.network, request.roles)
        .select_related("organisation"), group_id)


def access_cohort_for_reports(request, cohort_id):
    return get_or_404(cohorts_person_can_report_on(request.network, request.roles), cohort_id)


def access_report(request, report_id):
    return get_or_404(
        reports_person_can_see(request.network, request.roles)
        .select_related("cohort", "leader_group", "network"), report_id)
