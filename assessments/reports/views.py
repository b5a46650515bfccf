"""Report pages: ask for a group's or the network's report, follow it while it is made, and
download it through a view that checks who may (never a public /media/ address)."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import policies
from assessments.models import Report, ReportKind, ReportStatus
from assessments.reports import access as report_access
from assessments.reports import services as report_services
from assessments.reports.document import download_name
from assessments.reports.forms import CohortChoiceForm
from tenancy.access import network_roles
from tenancy.models import RoleKind

RECENT_REPORTS = 20
POLL_SECONDS = 2


def _detail_url(request, report):
    return reverse("report_detail", kwargs={"network_slug": request.network.slug,
                                            "report_id": report.pk})


def _recent(reports):
    return list(reports.select_related("requested_by").order_by("-requested_at", "-pk")
                [:RECENT_REPORTS])


@network_roles(RoleKind.LEADER, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def group_reports(request, group_id):
    """The group's reports per cohort, and a button to have a new one made."""
    group = report_access.access_group_for_reports(request, group_id)
    cohorts = policies.group_cohorts_person_can_report_on(
        request.network, request.roles, group)
    if request.method == "POST":
        form = CohortChoiceForm(request.POST, cohorts=cohorts)
        if not form.is_valid():
            raise Http404
        report = report_services.request_report(
            request.network, request.user, form.cleaned_data["cohort"], group)
        return redirect(_detail_url(request, report))
    cohorts = list(cohorts)
    reports = _recent(Report.objects.for_network(request.network).filter(
        kind=ReportKind.GROUP, leader_group=group, cohort__in=cohorts))
    sections = [{"cohort": cohort, "reports": [r for r in reports if r.cohort_id == cohort.pk]}
                for cohort in cohorts]
    return render(request, "assessments/reports/group.html",
                  {"group": group, "sections": sections})


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def cohort_reports(request, cohort_id):
    """The cohort's network reports (the network and every group), and a button for a new one."""
    cohort = report_access.access_cohort_for_reports(request, cohort_id)
    if request.method == "POST":
        report = report_services.request_report(request.network, request.user, cohort)
        return redirect(_detail_url(request, report))
    reports = _recent(Report.objects.for_network(request.network).filter(
        kind=ReportKind.NETWORK, cohort=cohort))
    return render(request, "assessments/reports/cohort.html",
                  {"cohort": cohort, "reports": reports})


@network_roles(RoleKind.LEADER, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def report_detail(request, report_id):
    """Where a report stands; htmx asks for the status part every 2 s while it is made."""
    report = report_access.access_report(request, report_id)
    context = {"report": report, "poll_seconds": POLL_SECONDS,
               "can_retry": report_services.can_retry(report),
               "stale": report_services.is_stale(report)}
    template = "assessments/reports/detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@network_roles(RoleKind.LEADER, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def report_retry(request, report_id):
    """Have a failed (or stuck) report made again (POST)."""
    report = report_access.access_report(request, report_id)
    if request.method == "POST":
        report_services.retry_report(report)
    return redirect(_detail_url(request, report))


@network_roles(RoleKind.LEADER, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def report_download(request, report_id):
    """The PDF as an attachment, to those who may see the report; before it is ready, its
    page."""
    report = report_access.access_report(request, report_id)
    if report.status != ReportStatus.READY or not report.file:
        return redirect(_detail_url(request, report))
    try:
        stored = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    report_services.record_download(report, request.user)
    response = FileResponse(stored, as_attachment=True, filename=download_name(report),
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response
