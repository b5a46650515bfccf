"""Pages of live polls and the gathering's evaluation.

Facilitators and network admins run a gathering's room (/gatherings/<id>/room/): they write
polls, open one at a time on the screen, close it, open the evaluation and read its released
results. Leaders answer from What's next on their phones, without JavaScript (a form and a
redirect) or with htmx (the card swapped in place and refreshed while their gathering is on)."""

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessments import policies
from assessments.models import PollPurpose
from assessments.polls import selectors, services
from assessments.polls.forms import AnswerForm, EvaluationForm, PollForm
from cohorts import policies as cohort_policies
from cohorts import selectors as cohort_selectors
from cohorts.access import access_gathering_to_register, access_gathering_to_run
from tenancy.access import get_or_404, network_roles
from tenancy.models import RoleKind

POLL_REFRESH_SECONDS = 5
POLL_LIVE_CACHE_SECONDS = 60


def _room_url(request, gathering_id):
    return reverse("gathering_room", kwargs={"network_slug": request.network.slug,
                                             "gathering_id": gathering_id})


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def gathering_room(request, gathering_id):
    """Running a gathering: who is coming, the live polls, the evaluation, a message."""
    gathering = access_gathering_to_run(request, gathering_id)
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_poll(gathering, kind=form.cleaned_data["kind"],
                             question=form.cleaned_data["question"],
                             options=form.cleaned_data["option_list"], created_by=request.user)
        messages.success(request, _("The poll is ready. Open it when the room is ready."))
        return redirect(_room_url(request, gathering.pk) + "#polls")
    live, evaluation = selectors.gathering_polls(request.network, request.roles, gathering)
    groups = cohort_policies.registered_groups_person_can_see(request.network, request.roles,
                                                               gathering)
    return render(request, "assessments/polls/room.html", {
        "gathering": gathering, "cohort_module": gathering.cohort_module,
        "cohort": gathering.cohort_module.cohort, "form": form, "polls": live,
        "evaluation": evaluation, "k": request.network.anonymity_threshold,
        "attendance": cohort_selectors.gathering_attendance(request.network, gathering, groups)},
        status=400 if form.errors else 200)


def _poll_to_run(request, poll_id):
    return get_or_404(policies.polls_person_runs(request.network, request.roles)
                      .select_related("gathering"), poll_id)


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def poll_open(request, poll_id):
    """Open the poll (POST) and go to its screen."""
    poll = _poll_to_run(request, poll_id)
    if request.method != "POST" or poll.purpose != PollPurpose.LIVE:
        return redirect(_room_url(request, poll.gathering_id) + "#polls")
    services.open_poll(poll)
    return redirect("poll_screen", network_slug=request.network.slug, poll_id=poll.pk)


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def poll_close(request, poll_id):
    poll = _poll_to_run(request, poll_id)
    if request.method == "POST" and poll.purpose == PollPurpose.LIVE:
        services.close_poll(poll)
    return redirect(_room_url(request, poll.gathering_id) + "#polls")


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def evaluation_open(request, gathering_id):
    gathering = access_gathering_to_run(request, gathering_id)
    if request.method == "POST":
        services.open_evaluation(gathering, created_by=request.user)
        messages.success(request, _("The evaluation is open to the leaders for two weeks."))
    return redirect(_room_url(request, gathering.pk) + "#evaluation")


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def poll_screen(request, poll_id):
    """The projector screen of one poll: the question, how many have answered, and the
    result once k have, moving only in blocks of k. Its live part refreshes itself, served
    from the cache shared by every screen and worker while nothing it shows has changed."""
    poll = _poll_to_run(request, poll_id)
    context = {"refresh": POLL_REFRESH_SECONDS, "k": request.network.anonymity_threshold}
    if not request.htmx:
        context["view"] = selectors.poll_view(request.network, poll)
        return render(request, "assessments/polls/screen.html", context)
    key = selectors.poll_live_key(request.network, poll, translation.get_language())
    html = cache.get(key)
    if html is None:
        context["view"] = selectors.poll_view(request.network, poll)
        html = render_to_string("assessments/polls/screen.html#live", context, request)
        cache.set(key, html, POLL_LIVE_CACHE_SECONDS)
    return HttpResponse(html)


def _leader_polls_card(request):
    return render(request, "assessments/polls/_leader_polls.html", {
        "polls_now": selectors.leader_polls(request.network, request.user, request.roles),
        "phone_refresh": selectors.PHONE_REFRESH_SECONDS})


@network_roles(RoleKind.LEADER)
def polls_now(request):
    """The poll card of What's next, for htmx to refresh while the gathering is on."""
    return _leader_polls_card(request)


@network_roles(RoleKind.LEADER)
def poll_answer(request, poll_id):
    """A leader's answer (POST), given once: one cheap write."""
    poll = get_or_404(policies.polls_person_can_answer(request.network, request.roles)
                      .filter(purpose=PollPurpose.LIVE), poll_id)
    form = AnswerForm(poll, request.POST or None)
    stored = False
    if request.method == "POST" and form.is_valid():
        stored = services.answer_poll(request.network, poll.pk, request.user,
                                      form.cleaned_data["value"])
    if request.htmx:
        return _leader_polls_card(request)
    if stored:
        messages.success(request, _("Thank you: your answer is in."))
    elif request.method == "POST":
        messages.warning(request, _("Your answer was not saved: the poll is closed, you "
                                    "have answered it already, or no answer was chosen."))
    return redirect(reverse("leader_home", kwargs={"network_slug": request.network.slug})
                    + "#polls")


@network_roles(RoleKind.LEADER)
def gathering_evaluation(request, gathering_id):
    """The gathering's anonymous evaluation: five statements, all answered at once."""
    gathering = access_gathering_to_register(request, gathering_id)
    items, answered = selectors.evaluation_items(request.network, request.roles, gathering,
                                                 request.user)
    form = EvaluationForm(items, request.POST or None)
    if request.method == "POST" and items and not answered and form.is_valid():
        if services.answer_polls(request.network, form.values(), request.user):
            messages.success(request, _("Thank you for your evaluation."))
            return redirect("leader_home", network_slug=request.network.slug)
        answered = True
    return render(request, "assessments/polls/evaluation.html", {
        "gathering": gathering, "cohort_module": gathering.cohort_module, "form": form,
        "items": items, "answered": answered, "k": request.network.anonymity_threshold},
        status=400 if form.errors else 200)
