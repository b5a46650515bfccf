"""Pages for cohorts, their schedule and gatherings, enrolment of leaders, and progress."""

import csv
import io
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts import enrolment, policies, selectors, services
from cohorts.access import (
    access_cohort_module_to_configure,
    access_cohort_to_configure,
    access_cohort_to_follow,
    access_gathering_to_see,
    access_group_to_enrol,
    access_group_to_see_progress,
    access_leader_group_to_follow,
    access_leader_to_manage,
)
from cohorts.forms import (
    CohortEditForm,
    CohortForm,
    CohortModuleForm,
    CopyCohortForm,
    LeaderGroupCreateForm,
    LeaderListForm,
    MoveLeaderForm,
    ParticipantsForm,
)
from cohorts.ics import Event, calendar
from tenancy import selectors as tenancy_selectors
from tenancy import services as tenancy_services
from tenancy.access import access_organisation_to_manage, network_roles
from tenancy.emails import absolute_url
from tenancy.models import LeaderGroup, RoleKind
from tenancy.policies import leader_groups_person_can_manage
from tenancy.translated import translated


def _url(request, name, **kwargs):
    return reverse(name, kwargs={"network_slug": request.network.slug, **kwargs})


# --- Network admins: cohorts and their schedule -------------------------------------------


@network_roles(RoleKind.NETWORK_ADMIN)
def cohort_list(request):
    return render(request, "cohorts/cohort_list.html",
                  {"cohorts": selectors.network_cohorts(request.network)})


@network_roles(RoleKind.NETWORK_ADMIN)
def cohort_create(request):
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cohort = services.create_cohort(
            request.network, programme=data["programme"], name=data["name"],
            starts_on=data["starts_on"], modules=data["modules"],
            competence_wheel=data["competence_wheel"])
        messages.success(request, _("%(name)s is created with suggested dates. Check the "
                                    "dates of each module.") % {"name": cohort.name})
        return redirect(_url(request, "cohort_detail", cohort_id=cohort.pk))
    return render(request, "cohorts/cohort_form.html", {"form": form})


def _group_overview(request, cohort, schedule):
    """Completion per group and phase of the module running now (for admins, facilitators)."""
    current = selectors.current_cohort_module(schedule)
    groups = cohort.leader_groups.select_related("organisation").order_by(
        "organisation__name", "name")
    table = selectors.progress(request.network, cohort, groups, [current] if current else [])
    return current, table


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def cohort_detail(request, cohort_id):
    """The cohort's schedule, who takes part and how far each group has come."""
    cohort = access_cohort_to_follow(request, cohort_id)
    schedule = selectors.cohort_schedule(cohort)
    current, overview = _group_overview(request, cohort, schedule)
    return render(request, "cohorts/cohort_detail.html", {
        "cohort": cohort,
        "schedule": schedule,
        "current": current,
        "overview": overview,
        "organisations": cohort.organisations.order_by("name"),
        "facilitators": cohort.facilitators.order_by("name"),
        "can_configure": request.roles.is_admin,
    })


@network_roles(RoleKind.NETWORK_ADMIN)
def cohort_edit(request, cohort_id):
    cohort = access_cohort_to_configure(request, cohort_id)
    form = CohortEditForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        services.update_cohort(cohort, **form.cleaned_data)
        messages.success(request, _("The cohort is saved."))
        return redirect(_url(request, "cohort_detail", cohort_id=cohort.pk))
    return render(request, "cohorts/cohort_edit.html", {"cohort": cohort, "form": form})


@network_roles(RoleKind.NETWORK_ADMIN)
def cohort_module_edit(request, cohort_module_id):
    cohort_module = access_cohort_module_to_configure(request, cohort_module_id)
    form = CohortModuleForm(request.POST or None, cohort_module=cohort_module)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_cohort_module(
                cohort_module, prework_opens_on=data["prework_opens_on"],
                postwork_due_on=data["postwork_due_on"], starts_at=data["starts_at"],
                ends_at=data["ends_at"], place=data["place"], online_url=data["online_url"],
                agenda=data["agenda"], speakers=data["speakers"], resources=data["resources"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The dates of %(module)s are saved.")
                             % {"module": translated(cohort_module.module.title)})
            return redirect(_url(request, "cohort_detail", cohort_id=cohort_module.cohort_id))
    return render(request, "cohorts/cohort_module_form.html",
                  {"cohort_module": cohort_module, "cohort": cohort_module.cohort, "form": form})


@network_roles(RoleKind.NETWORK_ADMIN)
def cohort_participants(request, cohort_id):
    cohort = access_cohort_to_configure(request, cohort_id)
    form = ParticipantsForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        services.set_participants(cohort, **form.cleaned_data)
        messages.success(request, _("Who takes part in %(name)s is saved.")
                         % {"name": cohort.name})
        return redirect(_url(request, "cohort_detail", cohort_id=cohort.pk))
    return render(request, "cohorts/cohort_participants.html", {"cohort": cohort, "form": form})


@network_roles(RoleKind.NETWORK_ADMIN)
def cohort_copy(request, cohort_id):
    """Last year's cohort as the start of this year's: every date moved, the rest kept."""
    cohort = access_cohort_to_configure(request, cohort_id)
    form = CopyCohortForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        copy = services.copy_cohort(cohort, name=data["name"], days=data["days"],
                                    include_groups=data["include_groups"])
        messages.success(request, _("%(name)s is created. Check its dates and who takes part.")
                         % {"name": copy.name})
        return redirect(_url(request, "cohort_detail", cohort_id=copy.pk))
    return render(request, "cohorts/cohort_copy.html", {"cohort": cohort, "form": form})


# --- A leader group's page ----------------------------------------------------------------


@network_roles.any
def leader_group_detail(request, group_id):
    """A group's leaders and schedule, for everyone who follows the group."""
    group = access_leader_group_to_follow(request, group_id)
    schedule, ics_ids = selectors.group_schedule(request.network, request.roles, group)
    return render(request, "tenancy/leader_group_detail.html", {
        "group": group,
        "leaders": tenancy_selectors.leaders_of_groups(request.network, [group]),
        "schedule": schedule,
        "ics_ids": ics_ids,
        "sees_progress": policies.leader_groups_person_can_see_progress(
            request.network, request.roles).filter(pk=group.pk).exists(),
        "enrols": leader_groups_person_can_manage(
            request.network, request.roles).filter(pk=group.pk).exists(),
    })


# --- Calendar files -----------------------------------------------------------------------


@network_roles.any
def gathering_ics(request, gathering_id):
    """The gathering as a calendar event; the UID stays the same when its dates change, so a
    calendar updates the event instead of adding a second one."""
    gathering = access_gathering_to_see(request, gathering_id)
    cohort_module = gathering.cohort_module
    module = translated(cohort_module.module.title)
    description = [gathering.agenda.strip()]
    if gathering.speakers.strip():
        description.append(_("Speakers:") + "\n" + gathering.speakers.strip())
    if gathering.online_url:
        description.append(_("Online:") + " " + gathering.online_url)
    host = urlsplit(settings.SITE_URL).hostname or "bro"
    event = Event(
        uid=f"gathering-{gathering.pk}@{host}",
        stamp=timezone.now(),
        starts_at=gathering.starts_at,
        ends_at=gathering.ends_at,
        summary=_("%(cohort)s: gathering, %(module)s")
        % {"cohort": cohort_module.cohort.name, "module": module},
        location=gathering.place or gathering.online_url,
        url=gathering.online_url or absolute_url(
            reverse("network_home", kwargs={"network_slug": request.network.slug})),
        description="\n\n".join(part for part in description if part),
    )
    response = HttpResponse(calendar([event]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gathering-{gathering.pk}.ics"'
    return response


# --- Facilitators -------------------------------------------------------------------------


@network_roles(RoleKind.FACILITATOR)
def facilitator_home(request):
    """The cohorts a facilitator runs: gatherings with agendas, and each group's completion
    per phase of the module running now."""
    cohorts = []
    for cohort in request.roles.facilitated_cohorts.select_related("programme") \
            .order_by("-starts_on"):
        schedule = selectors.cohort_schedule(cohort)
        current, overview = _group_overview(request, cohort, schedule)
        cohorts.append({"cohort": cohort, "schedule": schedule, "current": current,
                        "overview": overview})
    return render(request, "cohorts/facilitator_home.html", {"cohorts": cohorts})


# --- Progress -----------------------------------------------------------------------------


def _choose(items, wanted, default):
    return next((item for item in items if str(item.pk) == wanted), default)


def _default_cohort(cohorts):
    today = timezone.localdate()
    return next((c for c in cohorts if c.starts_on <= today), cohorts[0] if cohorts else None)


def _progress_context(request, cohorts, groups, *, all_modules=False):
    cohorts = list(cohorts)
    cohort = _choose(cohorts, request.GET.get("cohort"), _default_cohort(cohorts))
    schedule = list(cohort.cohort_modules.select_related("module", "gathering")
                    .order_by("position")) if cohort else []
    current = _choose(schedule, request.GET.get("module"),
                      selectors.current_cohort_module(schedule) if schedule else None)
    modules = schedule if all_modules else [current] if current else []
    return {
        "cohorts": cohorts, "cohort": cohort, "schedule": schedule, "current": current,
        "progress": selectors.progress(request.network, cohort, groups, modules),
    }


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def organisation_progress(request, organisation_id):
    """A coordinator's view of their organisation's leaders: who has done what, per group."""
    organisation = access_organisation_to_manage(request, organisation_id)
    groups = organisation.leader_groups.order_by("name")
    context = _progress_context(
        request, selectors.cohorts_of_organisation(request.network, organisation), groups)
    return render(request, "cohorts/organisation_progress.html", {
        **context, "organisation": organisation, "can_manage": True,
        "csv_url": _url(request, "organisation_progress_csv", organisation_id=organisation.pk),
    })


@network_roles(RoleKind.COORDINATOR, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def group_progress(request, group_id):
    group = access_group_to_see_progress(request, group_id)
    cohorts = policies.cohorts_of_group_person_can_see_progress(
        request.network, request.roles, group).order_by("-starts_on")
    context = _progress_context(request, cohorts, [group])
    can_manage = leader_groups_person_can_manage(request.network, request.roles) \
        .filter(pk=group.pk).exists()
    return render(request, "cohorts/group_progress.html", {
        **context, "group": group, "can_manage": can_manage,
        "csv_url": _url(request, "group_progress_csv", group_id=group.pk),
    })


def _safe_cell(value):
    """Keep a spreadsheet from reading a name as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _progress_csv(progress, filename):
    """One row per leader; UTF-8 with a byte order mark and semicolons, as Excel in Norway and
    Denmark expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    header = [_("Name"), _("Email"), _("Title"), _("Organisation"), _("Leader group")]
    for column in progress.columns:
        header.append(_("%(module)s – %(phase)s (done of %(total)s)") % {
            "module": translated(column.cohort_module.module.title),
            "phase": column.phase.get_kind_display(), "total": column.total})
    header.append(_("Assessments submitted (of %(count)s opened)")
                  % {"count": progress.rounds_open})
    writer.writerow(header)
    for block in progress.groups:
        if not block.in_cohort:
            continue
        for row in block.rows:
            organisation = block.group.organisation.name if block.group.organisation else ""
            writer.writerow([_safe_cell(value) for value in (
                row.person.name, row.person.email, row.person.title, organisation,
                block.group.name)] + [cell.done for cell in row.cells]
                + [row.assessments_submitted])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def organisation_progress_csv(request, organisation_id):
    organisation = access_organisation_to_manage(request, organisation_id)
    context = _progress_context(
        request, selectors.cohorts_of_organisation(request.network, organisation),
        organisation.leader_groups.select_related("organisation").order_by("name"),
        all_modules=True)
    return _progress_csv(context["progress"], f"progress-organisation-{organisation.pk}.csv")


@network_roles(RoleKind.COORDINATOR, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def group_progress_csv(request, group_id):
    group = access_group_to_see_progress(request, group_id)
    cohorts = policies.cohorts_of_group_person_can_see_progress(
        request.network, request.roles, group).order_by("-starts_on")
    context = _progress_context(request, cohorts, [group], all_modules=True)
    return _progress_csv(context["progress"], f"progress-group-{group.pk}.csv")


# --- Enrolment ----------------------------------------------------------------------------


def _after_enrolment(request, group):
    if group.organisation_id:
        return _url(request, "organisation_detail", organisation_id=group.organisation_id)
    return _url(request, "network_groups")


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def leader_import(request, group_id):
    """Enrol many leaders at once from pasted rows or a CSV file: check every row, show what
    would happen, and enrol only the list that was checked."""
    group = access_group_to_enrol(request, group_id)
    form = LeaderListForm(request.POST or None, request.FILES or None)
    context = {"group": group, "form": form}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if form.cleaned_data["file"]:
            try:
                text = enrolment.decode_upload(form.cleaned_data["file"].read())
            except enrolment.UnreadableFile as error:
                form.add_error("file", str(error))
                return render(request, "cohorts/leader_import.html", context, status=400)
        parsed = enrolment.parse_leaders(text)
        checked = enrolment.fingerprint(text)
        confirmed = "enrol" in request.POST and form.cleaned_data["checked"] == checked
        if parsed.ok and confirmed:
            try:
                plan = services.enrol_leaders(request.network, group, parsed.leaders,
                                              invited_by=request.user)
            except IntegrityError:
                messages.error(request, _("Someone enrolled some of these people at the same "
                                          "moment. Check the list again."))
            else:
                messages.success(request, _enrolled_message(plan, group))
                return redirect(_after_enrolment(request, group))
        plan = selectors.enrolment_plan(request.network, group, parsed.leaders) \
            if parsed.ok else None
        form = LeaderListForm(initial={"text": enrolment.normalise_text(text),
                                       "checked": checked if parsed.ok else ""})
        context.update(form=form, parsed=parsed, plan=plan)
        return render(request, "cohorts/leader_import.html", context,
                      status=200 if parsed.ok else 400)
    return render(request, "cohorts/leader_import.html", context)


def _enrolled_message(plan, group):
    parts = [ngettext("%(count)s leader is enrolled in %(group)s.",
                      "%(count)s leaders are enrolled in %(group)s.", plan.to_enrol)
             % {"count": plan.to_enrol, "group": group.name}]
    if plan.invitees:
        parts.append(ngettext("%(count)s invitation is on its way.",
                              "%(count)s invitations are on their way.", len(plan.invitees))
                     % {"count": len(plan.invitees)})
    if plan.enrolled or plan.invited:
        count = len(plan.enrolled) + len(plan.invited)
        parts.append(ngettext("%(count)s was already enrolled.",
                              "%(count)s were already enrolled.", count) % {"count": count})
    return " ".join(parts)


@network_roles(RoleKind.NETWORK_ADMIN)
def network_groups(request):
    """Every leader group of the network; a network admin creates groups here, also across
    organisations, and enrols leaders in any of them."""
    form = LeaderGroupCreateForm(request.POST or None, network=request.network)
    if request.method == "POST" and form.is_valid():
        group = tenancy_services.create_leader_group(request.network, **form.cleaned_data)
        messages.success(request, _("%(name)s is created.") % {"name": group.name})
        return redirect(_url(request, "network_groups"))
    groups = (LeaderGroup.objects.for_network(request.network).select_related("organisation")
              .order_by("organisation__name", "name"))
    return render(request, "cohorts/network_groups.html", {"groups": groups, "form": form})


def _back_to_leaders(request, group):
    if group.organisation_id:
        return _url(request, "organisation_progress", organisation_id=group.organisation_id)
    return _url(request, "group_progress", group_id=group.pk)


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def leader_move(request, leader_role_id):
    role = access_leader_to_manage(request, leader_role_id)
    group = role.leader_group
    groups = LeaderGroup.objects.for_network(request.network).exclude(pk=group.pk)
    groups = groups.filter(organisation=group.organisation_id) if group.organisation_id \
        else groups.filter(organisation__isnull=True)
    form = MoveLeaderForm(request.POST or None, groups=groups.order_by("name"))
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["leader_group"]
        try:
            services.move_leader(role, target)
        except services.AlreadyInGroup as error:
            form.add_error("leader_group", str(error))
        else:
            messages.success(request, _("%(name)s is moved to %(group)s.")
                             % {"name": role.person, "group": target.name})
            return redirect(_back_to_leaders(request, target))
    return render(request, "cohorts/leader_move.html", {
        "role": role, "form": form, "back": _back_to_leaders(request, group)})


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def leader_remove(request, leader_role_id):
    """GET asks to confirm; POST removes the leader from the group."""
    role = access_leader_to_manage(request, leader_role_id)
    group = role.leader_group
    if request.method == "POST":
        services.remove_leader(role)
        messages.success(request, _("%(name)s is no longer in %(group)s.")
                         % {"name": role.person, "group": group.name})
        return redirect(_back_to_leaders(request, group))
    return render(request, "cohorts/leader_remove.html",
                  {"role": role, "back": _back_to_leaders(request, group)})

