"""Pages for cohorts, their schedule and gatherings, and enrolment of leaders (the cohort page,
the facilitator's home and progress are in modules.progress_views)."""

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
    access_gathering_to_see,
    access_group_to_enrol,
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
from tenancy.access import network_roles
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


# --- Enrolment ----------------------------------------------------------------------------


def _after_enrolment(request, group):
    if group.organisation_id:
        return _url(request, "organisation_detail", organisation_id=group.organisation_id)
    return _url(request, "network_groups")


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def leader_import(request, group_id):
    """Enrol many leaders at once from pasted rows, a CSV file or an Excel workbook: check every
    row, show what would happen, and enrol only the list that was checked."""
    group = access_group_to_enrol(request, group_id)
    form = LeaderListForm(request.POST or None, request.FILES or None)
    context = {"group": group, "form": form}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        upload = form.cleaned_data["file"]
        if upload:
            try:
                read = enrolment.read_upload(upload.read(), upload.name)
            except enrolment.UnreadableFile as error:
                form.add_error("file", str(error))
                return render(request, "cohorts/leader_import.html", context, status=400)
            text = read.text
            context["read_notice"] = read.notice
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

