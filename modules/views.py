"""The leader's journey: what's next, a module's phases and activities, reflections, the
group's shared task, ambitions and initiatives. Every page works without JavaScript; htmx
only saves in place."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from assessments.polls import selectors as poll_selectors
from assessments.results.recommendations import recommendations_for_gaps
from cohorts import selectors as cohort_selectors
from cohorts import tailoring
from cohorts.access import access_leader_group_to_follow
from cohorts.schedule import UPCOMING, state_of
from modules import pairing, selectors, services
from modules.access import (
    access_activity_in,
    access_cohort_module_as_leader,
    access_gathering_to_run,
    access_group_cohort_module,
    access_initiative_to_edit,
    access_initiative_to_follow,
    access_own_group,
)
from modules.forms import (
    AmbitionForm,
    GroupTaskForm,
    InitiativeForm,
    InitiativeUpdateForm,
    ReflectionForm,
)
from modules.gaps import GroupGaps
from modules.links import attach_links
from modules.models import GroupPair
from programmes.models import ActivityKind
from resources.models import Theme
from tenancy.access import network_roles
from tenancy.models import RoleKind


def _module_url(request, cohort_module):
    return reverse("module_detail", kwargs={"network_slug": request.network.slug,
                                            "cohort_module_id": cohort_module.pk})


@network_roles(RoleKind.LEADER)
def leader_home(request):
    """What's next: the running module and phase, what is due, the next gathering, progress."""
    groups = request.roles.led_groups
    journeys = selectors.leader_journeys(request.network, request.user, request.roles)
    for journey in journeys:
        journey.groups = [group for group in groups if group.pk in journey.group_ids]
        for module in journey.current_modules:
            module.next = module.next_items()
            attach_links(request.network.slug, module, journey.groups, module.next)
    next_gatherings = [journey.next_gathering for journey in journeys]
    _attach_own_registrations(request, next_gatherings)
    return render(request, "modules/leader_home.html", {
        "journeys": journeys, "groups": sorted(groups, key=lambda group: group.name),
        "cohort_messages": cohort_selectors.messages_for_leader(request.network, request.user,
                                                                request.roles),
        "polls_now": poll_selectors.leader_polls(
            request.network, request.user, request.roles,
            gatherings=[gathering for gathering in next_gatherings if gathering]),
        "phone_refresh": poll_selectors.PHONE_REFRESH_SECONDS})


def _attach_own_registrations(request, gatherings):
    """Whether the leader said they come (gathering.own_coming), for gatherings not over."""
    gatherings = [gathering for gathering in gatherings
                  if gathering is not None and gathering.ends_at > timezone.now()]
    if not gatherings:
        return
    coming = cohort_selectors.own_registrations(request.network, request.user, gatherings)
    for gathering in gatherings:
        gathering.own_coming = coming.get(gathering.pk)
        gathering.registration_open = True


def _module_context(request, cohort_module):
    journey = selectors.module_journey(request.network, request.user, cohort_module)
    groups = selectors.leader_groups_in_cohort(request.roles, cohort_module.cohort)
    attach_links(request.network.slug, journey, groups)
    return {"journey": journey, "cohort_module": cohort_module, "module": cohort_module.module,
            "cohort": cohort_module.cohort, "gathering": journey.gathering, "groups": groups}


@network_roles(RoleKind.LEADER)
def module_detail(request, cohort_module_id):
    cohort_module = access_cohort_module_as_leader(request, cohort_module_id)
    context = _module_context(request, cohort_module)
    context["own_resources"] = cohort_module.resources.all()
    _attach_own_registrations(request, [context["gathering"]])
    context["contributions"] = tailoring.contributions_of(
        request.network, [cohort_module.pk]).get(cohort_module.pk, [])
    return render(request, "modules/module_detail.html", context)


@network_roles(RoleKind.LEADER)
def activity_done(request, cohort_module_id, activity_id):
    """Mark an activity done or not done (POST); htmx swaps the activity in place."""
    cohort_module = access_cohort_module_as_leader(request, cohort_module_id)
    activity = access_activity_in(cohort_module, activity_id)
    anchor = f"{_module_url(request, cohort_module)}#activity-{activity.pk}"
    back = request.POST.get("next") or anchor
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = _module_url(request, cohort_module)
    if request.method != "POST":
        return redirect(back)
    done = request.POST.get("done") == "1"
    if activity.kind != ActivityKind.ASSESSMENT:
        services.set_activity_done(request.network, cohort_module.cohort, request.user,
                                   activity, done)
    if not request.htmx:
        return redirect(back)
    context = _module_context(request, cohort_module)
    context["item"] = next(item for item in context["journey"].items
                           if item.activity.pk == activity.pk)
    return render(request, "modules/_activity_toggled.html", context)


def _reflection_page(request, cohort_module, activity, form, *, status=200):
    own = selectors.own_reflection(request.network, request.user, cohort_module.cohort, activity)
    if not form.is_bound:
        form.initial["text"] = own.text if own else ""
    return render(request, "modules/reflection.html", {
        "cohort_module": cohort_module, "activity": activity, "reflection": own, "form": form,
        "done": selectors.is_done(request.network, request.user, cohort_module, activity)},
        status=status)


@network_roles(RoleKind.LEADER)
def reflection(request, cohort_module_id, reflection_activity_id):
    """A reflection exercise: the questions and the leader's own private answer. A refused
    text stays in the field with the reason, and the page does not say it was saved."""
    cohort_module = access_cohort_module_as_leader(request, cohort_module_id)
    activity = access_activity_in(cohort_module, reflection_activity_id, ActivityKind.REFLECTION)
    form = ReflectionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.save_reflection(request.network, cohort_module.cohort, request.user,
                                     activity, form.cleaned_data["text"])
            messages.success(request, _("Your reflection is saved."))
            return redirect(request.path)
        return _reflection_page(request, cohort_module, activity, form, status=400)
    return _reflection_page(request, cohort_module, activity, form)


@network_roles(RoleKind.LEADER)
def reflection_save(request, cohort_module_id, reflection_activity_id):
    """The autosave endpoint: stores the text and answers with "Saved at HH:MM", or with
    "Not saved" and why (a 400 that modules.js shows in the status; the text stays put)."""
    cohort_module = access_cohort_module_as_leader(request, cohort_module_id)
    activity = access_activity_in(cohort_module, reflection_activity_id, ActivityKind.REFLECTION)
    page = reverse("reflection", kwargs={
        "network_slug": request.network.slug, "cohort_module_id": cohort_module.pk,
        "reflection_activity_id": activity.pk})
    if request.method != "POST":
        return redirect(page)
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            return _reflection_page(request, cohort_module, activity, form, status=400)
        return render(request, "modules/_save_status.html", {"errors": form.errors["text"]},
                      status=400)
    saved = services.save_reflection(request.network, cohort_module.cohort, request.user,
                                     activity, form.cleaned_data["text"])
    if not request.htmx:
        messages.success(request, _("Your reflection is saved."))
        return redirect(page)
    return render(request, "modules/_save_status.html", {"saved_at": saved.updated_at})


@network_roles(RoleKind.LEADER)
def group_task(request, group_id, cohort_module_id, task_activity_id):
    """The group's one shared answer; a save based on an old version never overwrites."""
    group, cohort_module = access_group_cohort_module(request, group_id, cohort_module_id)
    activity = access_activity_in(cohort_module, task_activity_id, ActivityKind.GROUP_TASK)
    cohort = cohort_module.cohort
    answer = selectors.group_task_answers(request.network, cohort, [group], [activity]).get(
        (group.pk, activity.pk))
    conflict = None
    form = GroupTaskForm(initial={"text": answer.text if answer else "",
                                  "base_version": answer.version if answer else 0})
    if request.method == "POST":
        form = GroupTaskForm(request.POST)
        if form.is_valid():
            result = services.save_group_task_answer(
                request.network, cohort, group, activity, request.user,
                form.cleaned_data["text"], form.cleaned_data["base_version"])
            if not result.conflict:
                messages.success(request, _("The group's answer is saved."))
                return redirect(request.path)
            answer = conflict = result.answer
            data = request.POST.copy()
            data["base_version"] = answer.version
            form = GroupTaskForm(data)
    revisions = (answer.revisions.select_related("changed_by").order_by("-version")
                 if answer else [])
    return render(request, "modules/group_task.html", {
        "group": group, "cohort_module": cohort_module, "activity": activity, "answer": answer,
        "form": form, "conflict": conflict, "revisions": revisions})


@network_roles(RoleKind.LEADER)
def ambition_edit(request, group_id, cohort_module_id):
    group, cohort_module = access_group_cohort_module(request, group_id, cohort_module_id)
    ambition = selectors.group_ambition(request.network, cohort_module.cohort, group,
                                        cohort_module.module)
    form = AmbitionForm(request.POST or None, initial={"text": ambition.text if ambition else ""})
    if request.method == "POST" and form.is_valid():
        services.save_ambition(request.network, cohort_module.cohort, group,
                               cohort_module.module, request.user, form.cleaned_data["text"])
        messages.success(request, _("The group's ambition is saved."))
        return redirect("group_work", network_slug=request.network.slug, group_id=group.pk)
    return render(request, "modules/ambition_form.html", {
        "group": group, "cohort_module": cohort_module, "ambition": ambition, "form": form})


@network_roles.any
def group_work(request, group_id):
    """The group's ambitions and initiatives, module by module. Its leaders edit them; the
    people who follow the group (coordinator, facilitators, admins) read them."""
    group = access_leader_group_to_follow(request, group_id)
    is_member = group.pk in request.roles.led_group_ids
    today = timezone.localdate()
    work = [entry for entry in selectors.group_work(request.network, group)
            if state_of(entry["cohort_module"], today) != UPCOMING
            or entry["ambition"] or entry["initiatives"]]
    GroupGaps(request.network, group).attach_trends(
        [initiative for entry in work for initiative in entry["initiatives"]])
    return render(request, "modules/group_work.html", {
        "group": group, "work": work, "can_edit": is_member,
        "pairs": pairing.pairs_of_group(request.network, group)})


@network_roles.any
def group_gaps(request, group_id):
    """The group's gap per dimension in the latest round of each instrument (released
    anonymous numbers only) and the initiatives on each, with whether their gap narrowed."""
    group = access_leader_group_to_follow(request, group_id)
    gaps = GroupGaps(request.network, group)
    initiatives = gaps.attach_trends(list(selectors.group_initiatives(request.network, group)))
    instruments = gaps.instruments(initiatives)
    for shown in instruments:
        shown.recommended = recommendations_for_gaps(
            request.network, shown.round.instrument,
            [(row.result.dimension, row.result.gap) for row in shown.rows],
            cohort=shown.round.cohort_id)
    return render(request, "modules/group_gaps.html", {
        "group": group, "instruments": instruments,
        "unaddressed": [i for i in initiatives if not i.trends],
        "can_edit": group.pk in request.roles.led_group_ids})


def _initiative_form(request, group, cohort, instance=None):
    return InitiativeForm(request.POST or None, instance=instance,
                          leaders=selectors.group_leaders(request.network, group),
                          instruments=selectors.cohort_instruments(request.network, cohort))


@network_roles(RoleKind.LEADER)
def initiative_create(request, group_id, cohort_module_id):
    group, cohort_module = access_group_cohort_module(request, group_id, cohort_module_id)
    form = _initiative_form(request, group, cohort_module.cohort)
    if request.method == "POST" and form.is_valid():
        services.create_initiative(request.network, cohort_module.cohort, group,
                                   cohort_module.module, form.cleaned_data)
        messages.success(request, _("The initiative is added."))
        return redirect("group_work", network_slug=request.network.slug, group_id=group.pk)
    return render(request, "modules/initiative_form.html", {
        "group": group, "cohort_module": cohort_module, "module": cohort_module.module,
        "form": form})


@network_roles(RoleKind.LEADER)
def initiative_edit(request, initiative_id):
    initiative = access_initiative_to_edit(request, initiative_id)
    form = _initiative_form(request, initiative.leader_group, initiative.cohort, initiative)
    if request.method == "POST" and form.is_valid():
        services.update_initiative(initiative, form.cleaned_data)
        messages.success(request, _("The initiative is saved."))
        return redirect("group_work", network_slug=request.network.slug,
                        group_id=initiative.leader_group_id)
    return render(request, "modules/initiative_form.html", {
        "group": initiative.leader_group, "module": initiative.module,
        "initiative": initiative, "form": form})


@network_roles(RoleKind.LEADER)
def initiative_delete(request, initiative_id):
    initiative = access_initiative_to_edit(request, initiative_id)
    if request.method == "POST":
        services.delete_initiative(initiative)
        messages.success(request, _("The initiative is deleted."))
        return redirect("group_work", network_slug=request.network.slug,
                        group_id=initiative.leader_group_id)
    return render(request, "modules/initiative_delete.html", {"initiative": initiative})


def _safe_next(request, fallback):
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return fallback
    return target


@network_roles.any
def initiative_detail(request, initiative_id):
    """One initiative: its plan, whether its gaps narrowed, and its dated updates; the
    group's leaders add an update (and with it the status) here or on the review page."""
    initiative = access_initiative_to_follow(request, initiative_id)
    group = initiative.leader_group
    is_member = group.pk in request.roles.led_group_ids
    form = InitiativeUpdateForm(initial={"status": initiative.status})
    if request.method == "POST":
        if not is_member:
            raise Http404
        form = InitiativeUpdateForm(request.POST)
        if form.is_valid():
            services.add_initiative_update(initiative, request.user,
                                           form.cleaned_data["status"], form.cleaned_data["text"])
            messages.success(request, _("The update is saved."))
            return redirect(_safe_next(request, request.path))
    initiative = selectors.group_initiatives(request.network, group).get(pk=initiative.pk)
    GroupGaps(request.network, group).attach_trends([initiative])
    return render(request, "modules/initiative_detail.html", {
        "initiative": initiative, "group": group, "form": form, "can_edit": is_member},
        status=400 if form.errors else 200)


@network_roles(RoleKind.LEADER)
def initiatives_review(request, group_id):
    """Post-work: the group goes through its open initiatives and gives each a status and a
    short update (each form posts to initiative_detail and comes back here)."""
    group = access_own_group(request, group_id)
    initiatives = list(selectors.open_initiatives(request.network, group))
    GroupGaps(request.network, group).attach_trends(initiatives)
    for initiative in initiatives:
        initiative.form = InitiativeUpdateForm(initial={"status": initiative.status},
                                               auto_id=f"i{initiative.pk}-%s")
    return render(request, "modules/initiatives_review.html", {
        "group": group, "initiatives": initiatives})


@network_roles.any
def shared_initiatives(request):
    """What other groups in the network decided to do, for inspiration: shared with everyone
    who takes part in the network, coordinators included. Filtered by module and by the
    dimension or capability an initiative addresses; whether a gap narrowed is never shown
    here (it comes from the group's results, which only the group and its followers see)."""
    theme = request.GET.get("module", "")
    theme = theme if theme in Theme.values else ""
    dimensions = selectors.shared_dimension_choices(request.network)
    dimension = request.GET.get("dimension", "")
    dimension = dimension if dimension in dict(dimensions) else ""
    initiatives = selectors.shared_initiatives(request.network, theme=theme, dimension=dimension)
    page = Paginator(initiatives, 25).get_page(request.GET.get("page"))
    return render(request, "modules/shared_initiatives.html", {
        "page": page, "themes": Theme.choices, "theme": theme, "dimensions": dimensions,
        "dimension": dimension, "query": urlencode({"module": theme, "dimension": dimension})})


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def gathering_pairs(request, gathering_id):
    """The facilitator pairs leader groups of different organisations for a gathering:
    suggestions from released anonymous numbers (modules/pairing.py), adjusted and
    confirmed here; the groups then see who they are paired with, and why, in words."""
    gathering = access_gathering_to_run(request, gathering_id)
    cohort = gathering.cohort_module.cohort
    groups = list(cohort.leader_groups.select_related("organisation").order_by("name", "pk"))
    if request.method == "POST":
        chosen = pairing.chosen_pairs(
            groups, {group.pk: request.POST.get(f"partner-{group.pk}", "") for group in groups})
        pairing.confirm(request.network, gathering, cohort, groups, chosen, request.user)
        messages.success(request, _("The pairs are confirmed."))
        return redirect(request.path)
    confirmed = list(GroupPair.objects.for_network(request.network).filter(gathering=gathering)
                     .select_related("first__organisation", "second__organisation",
                                     "first_learns", "second_learns"))
    suggestions = pairing.suggest(request.network, cohort, groups)
    shown = confirmed or suggestions
    partners = {}
    for pair in shown:
        partners[pair.first.pk], partners[pair.second.pk] = pair.second.pk, pair.first.pk
    return render(request, "modules/gathering_pairs.html", {
        "gathering": gathering, "cohort": cohort, "confirmed": confirmed,
        "suggestions": suggestions, "groups": groups,
        "rows": [(group, partners.get(group.pk)) for group in groups]})
