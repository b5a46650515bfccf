"""Pages of one gathering's people: leaders say whether they come, facilitators mark at the
door who came (a page made for a tablet: one large button per leader, no JavaScript needed),
coordinators see their organisation's leaders; the list as CSV or Excel; and a leader puts
away a message on What's next."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cohorts import policies, selectors, services
from cohorts.access import access_gathering_registrations, access_gathering_to_register
from cohorts.models import CohortMessage
from tenancy.access import get_or_404, network_roles
from tenancy.models import RoleKind
from tenancy.spreadsheet import spreadsheet_response
from tenancy.translated import translated


def _back(request, default):
    back = request.POST.get("next") or default
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return default
    return back


def _leader_home(request):
    return reverse("leader_home", kwargs={"network_slug": request.network.slug})


@network_roles(RoleKind.LEADER)
def gathering_register(request, gathering_id):
    """A leader's "I am coming" or "I am not coming" (POST), from What's next or the module."""
    gathering = access_gathering_to_register(request, gathering_id)
    if request.method == "POST" and request.POST.get("coming") in ("yes", "no"):
        services.register_for_gathering(request.network, gathering, request.user,
                                        request.POST["coming"] == "yes")
    return redirect(_back(request, _leader_home(request)))


def _attendance(request, gathering):
    groups = policies.registered_groups_person_can_see(request.network, request.roles, gathering)
    return selectors.gathering_attendance(request.network, gathering, groups)


def _runs(request, gathering):
    return policies.gatherings_person_runs(request.network, request.roles).filter(
        pk=gathering.pk).exists()


@network_roles(RoleKind.COORDINATOR, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def gathering_attendance(request, gathering_id):
    """Who is coming and who came. Those who run the gathering see every leader of its
    cohort and mark attendance (POST: person, attended); coordinators see their
    organisation's leaders and mark nothing."""
    gathering = access_gathering_registrations(request, gathering_id)
    runs = _runs(request, gathering)
    attendance = _attendance(request, gathering)
    if request.method == "POST":
        if not runs:
            raise Http404
        row = next((row for row in attendance.rows
                    if str(row.person.pk) == request.POST.get("person")), None)
        if row is None:
            raise Http404
        services.mark_attendance(request.network, gathering, row.person,
                                 request.POST.get("attended") == "1")
        return redirect(f"{request.path}#leader-{row.person.pk}")
    return render(request, "cohorts/gathering_attendance.html", {
        "gathering": gathering, "cohort_module": gathering.cohort_module,
        "attendance": attendance, "runs": runs})


@network_roles(RoleKind.COORDINATOR, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def gathering_attendance_export(request, gathering_id, file_format="csv"):
    """The same list as the page, as CSV or Excel; recorded in the audit trail."""
    gathering = access_gathering_registrations(request, gathering_id)
    attendance = _attendance(request, gathering)
    answers = {True: _("Coming"), False: _("Not coming"), None: _("No answer")}
    header = [_("Name"), _("Email"), _("Organisation"), _("Leader group"), _("Answer"),
              _("Came")]
    rows = [[row.person.name, row.person.email,
             row.group.organisation.name if row.group.organisation else "", row.group.name,
             answers[row.coming], _("Yes") if row.attended else _("No")]
            for row in attendance.rows]
    services.record_attendance_export(request.network, gathering, len(rows), file_format)
    return spreadsheet_response(
        file_format, header, rows, filename=f"attendance-gathering-{gathering.pk}",
        sheet_title=translated(gathering.cohort_module.module.title) or _("Attendance"))


@network_roles(RoleKind.LEADER)
def message_dismiss(request, message_id):
    """Put a message away (POST): What's next no longer shows it."""
    message = get_or_404(CohortMessage.objects.for_network(request.network).filter(
        cohort__leader_groups__in=request.roles.led_group_ids).distinct(), message_id)
    if request.method == "POST":
        services.dismiss_message(request.network, message, request.user)
    return redirect(_back(request, _leader_home(request)))
