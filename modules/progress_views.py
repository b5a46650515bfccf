"""Pages that show how far leaders have come (modules.progress): the cohort page and the
facilitator's home with each group's completion of the module running now, and the progress
tables of an organisation's or a group's leaders with their CSV and Excel files. They live
here, not in cohorts, because they read completions and assessments."""

import hashlib

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cohorts import policies
from cohorts import selectors as cohort_selectors
from cohorts.access import access_cohort_to_follow, access_group_to_see_progress
from modules import dashboards, selectors, services
from tenancy import generations
from tenancy import selectors as tenancy_selectors
from tenancy.access import access_organisation_to_manage, network_roles
from tenancy.models import RoleKind
from tenancy.policies import leader_groups_person_can_manage
from tenancy.spreadsheet import CSV, spreadsheet_response
from tenancy.translated import translated

GROUPS_PER_PAGE = 20


def _url(request, name, **kwargs):
    return reverse(name, kwargs={"network_slug": request.network.slug, **kwargs})


# --- The cohort page and the facilitator's home -------------------------------------------


def _group_overview(request, cohort, schedule, page_number=1):
    """Completion per group and phase of the module running now (for admins, facilitators),
    one page of groups at a time, counted in the database: the page costs the same for a
    cohort of 40 groups as of 400. Each group's leaders are on its progress page."""
    current = cohort_selectors.current_cohort_module(schedule)
    page = Paginator(cohort.leader_groups.select_related("organisation")
                     .order_by("organisation__name", "name", "pk"),
                     GROUPS_PER_PAGE).get_page(page_number)
    overview = selectors.groups_completion(request.network, cohort, current, page.object_list)
    return current, page, overview


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def cohort_detail(request, cohort_id):
    """The cohort's schedule, who takes part and how far each group has come.

    Everything below the layout is kept under the generation of the network's data
    (tenancy.generations): made again after any write, shared by reloads meanwhile, so the page
    costs about what its layout does (issue 11)."""
    cohort = access_cohort_to_follow(request, cohort_id)
    page_number = request.GET.get("page", "")
    page_number = page_number if page_number.isdigit() and len(page_number) < 5 else "1"
    body = generations.cached_part(
        request.network, _kept_key(request, "cohort-page", cohort.pk, page_number),
        lambda: render_to_string("modules/progress/cohort_detail.html#body",
                                 _cohort_page(request, cohort, page_number), request))
    return render(request, "modules/progress/cohort_detail.html",
                  {"cohort": cohort, "body": mark_safe(body)})


def _kept_key(request, *names):
    """A kept part's key (tenancy.generations): `names`, and what else the part shows depends
    on: the viewer's roles, the language and the date (the module running now)."""
    return f"{names[0]}:" + hashlib.sha256(repr((
        names, translation.get_language(), request.roles.key,
        timezone.localdate())).encode()).hexdigest()[:40]


def _cohort_page(request, cohort, page_number):
    schedule = cohort_selectors.cohort_schedule(cohort)
    current, page, overview = _group_overview(request, cohort, schedule, page_number)
    return {
        "cohort": cohort,
        "schedule": schedule,
        "current": current,
        "page": page,
        "overview": overview,
        "organisations": cohort.organisations.order_by("name"),
        "facilitators": cohort.facilitators.order_by("name"),
        "can_configure": policies.cohorts_person_can_configure(request.network, request.roles)
        .filter(pk=cohort.pk).exists(),
    }


@network_roles(RoleKind.FACILITATOR)
def facilitator_home(request):
    """The cohorts a facilitator runs, led by the next gathering with one click each to its
    rounds, gathering screen, results and reports; then each cohort's gatherings with agendas,
    and each group's completion per phase of the module running now. Each cohort's section
    is kept under the generation of the data, as the cohort page is; the next gathering,
    which turns on the time of day, is read on every view."""
    facilitated = list(request.roles.facilitated_cohorts
                       .select_related("programme").order_by("-starts_on"))
    sections = []
    for index, cohort in enumerate(facilitated):
        first = index == 0  # its schedule shown open
        sections.append(mark_safe(generations.cached_part(
            request.network, _kept_key(request, "facilitated-cohort", cohort.pk, first),
            lambda cohort=cohort, first=first: render_to_string(
                "modules/progress/facilitator_home.html#cohort",
                {"entry": _facilitated_cohort(request, cohort), "first": first}, request))))
    return render(request, "modules/progress/facilitator_home.html", {
        "sections": sections,
        "next_gathering": dashboards.next_gathering(request.network, facilitated)})


def _facilitated_cohort(request, cohort):
    schedule = cohort_selectors.cohort_schedule(cohort)
    current, page, overview = _group_overview(request, cohort, schedule)
    return {"cohort": cohort, "schedule": schedule, "current": current, "page": page,
            "overview": overview}


# --- Progress -----------------------------------------------------------------------------


def _choose(items, wanted, default):
    return next((item for item in items if str(item.pk) == wanted), default)


def _default_cohort(cohorts):
    today = timezone.localdate()
    return next((c for c in cohorts if c.starts_on <= today), cohorts[0] if cohorts else None)


def _progress_context(request, cohorts, groups, *, all_modules=False):
    cohorts = list(cohorts)
    cohort = _choose(cohorts, request.GET.get("cohort"), _default_cohort(cohorts))
    schedule = list(cohort.cohort_modules.select_related("module", "gathering")) \
        if cohort else []
    current = _choose(schedule, request.GET.get("module"),
                      cohort_selectors.current_cohort_module(schedule) if schedule else None)
    modules = schedule if all_modules else [current] if current else []
    progress = selectors.leaders_progress(request.network, cohort, groups, modules)
    invited = tenancy_selectors.invited_to_groups(request.network, groups)
    for block in progress.groups:
        for row in block.rows:
            row.invited = (row.person.email.lower(), block.group.pk) in invited
    return {
        "cohorts": cohorts, "cohort": cohort, "schedule": schedule, "current": current,
        "progress": progress,
    }


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def organisation_progress(request, organisation_id):
    """A coordinator's view of their organisation's leaders: who has done what, per group."""
    organisation = access_organisation_to_manage(request, organisation_id)
    groups = organisation.leader_groups.order_by("name")
    context = _progress_context(
        request, cohort_selectors.cohorts_of_organisation(request.network, organisation), groups)
    return render(request, "modules/progress/organisation_progress.html", {
        **context, "organisation": organisation, "can_manage": True,
        "csv_url": _url(request, "organisation_progress_csv", organisation_id=organisation.pk),
        "xlsx_url": _url(request, "organisation_progress_xlsx",
                         organisation_id=organisation.pk),
    })


@network_roles(RoleKind.COORDINATOR, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def group_progress(request, group_id):
    group = access_group_to_see_progress(request, group_id)
    cohorts = policies.cohorts_of_group_person_can_see_progress(
        request.network, request.roles, group).order_by("-starts_on")
    context = _progress_context(request, cohorts, [group])
    can_manage = leader_groups_person_can_manage(request.network, request.roles) \
        .filter(pk=group.pk).exists()
    return render(request, "modules/progress/group_progress.html", {
        **context, "group": group, "can_manage": can_manage,
        "csv_url": _url(request, "group_progress_csv", group_id=group.pk),
        "xlsx_url": _url(request, "group_progress_xlsx", group_id=group.pk),
    })


def _progress_export(request, target, progress, filename, file_format):
    """One row per leader, as CSV (UTF-8 with a byte order mark and semicolons, as Excel in
    Norway and Denmark expects) or as an Excel workbook. The export is recorded in the audit
    trail."""
    header = [_("Name"), _("Email"), _("Title"), _("Organisation"), _("Leader group")]
    for column in progress.columns:
        header.append(_("%(module)s – %(phase)s (done of %(total)s)") % {
            "module": translated(column.cohort_module.module.title),
            "phase": column.phase.get_kind_display(), "total": column.total})
    header.append(_("Assessments submitted (of %(count)s opened)")
                  % {"count": progress.rounds_open})
    rows = []
    for block in progress.groups:
        if not block.in_cohort:
            continue
        for row in block.rows:
            organisation = block.group.organisation.name if block.group.organisation else ""
            rows.append([row.person.name, row.person.email, row.person.title, organisation,
                         block.group.name, *(cell.done for cell in row.cells),
                         row.assessments_submitted])
    services.record_progress_export(request.network, target, len(rows), file_format)
    return spreadsheet_response(file_format, header, rows, filename=filename,
                                sheet_title=_("Progress"))


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def organisation_progress_export(request, organisation_id, file_format=CSV):
    organisation = access_organisation_to_manage(request, organisation_id)
    context = _progress_context(
        request, cohort_selectors.cohorts_of_organisation(request.network, organisation),
        organisation.leader_groups.select_related("organisation").order_by("name"),
        all_modules=True)
    return _progress_export(request, organisation, context["progress"],
                            f"progress-organisation-{organisation.pk}", file_format)


@network_roles(RoleKind.COORDINATOR, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def group_progress_export(request, group_id, file_format=CSV):
    group = access_group_to_see_progress(request, group_id)
    cohorts = policies.cohorts_of_group_person_can_see_progress(
        request.network, request.roles, group).order_by("-starts_on")
    context = _progress_context(request, cohorts, [group], all_modules=True)
    return _progress_export(request, group, context["progress"], f"progress-group-{group.pk}",
                            file_format)
