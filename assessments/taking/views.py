"""The leader's own test: intro, one page per dimension, review, submit.

Each radio group saves itself through htmx the moment it changes (save_answer); without
JavaScript, Next and Previous save the whole page. Every page answers only for the signed-in
leader's own response: no URL names a response.
"""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.access import (
    access_round_to_take,
    groups_to_answer_for,
    organisation_answered_for,
    own_response_to_answer,
)
from assessments.models import AnswerKind, Response
from assessments.policies import rounds_person_can_take
from assessments.taking import services
from assessments.taking.selectors import (
    minutes_to_answer,
    own_response,
    page_items,
    parse_answer_fields,
    progress_from,
    progress_of,
)
from tenancy.access import network_roles
from tenancy.models import RoleKind

REFUSAL_MESSAGES = {
    "not_open": lambda: _("This round is not open yet."),
    "closed": lambda: _("This round has closed, so answers can no longer be changed."),
    "submitted": lambda: _("You have submitted your answers; they can no longer be changed."),
    "invalid": lambda: _("That answer is not one of the choices. Please choose again."),
}


def _url(request, name, round_, **kwargs):
    return reverse(name, kwargs={"network_slug": request.network.slug, "round_id": round_.pk,
                                 **kwargs})


def results_url(request, round_):
    """Where a leader goes after submitting: the round's results page (their own results
    page for a personal round)."""
    if round_.is_personal:
        return reverse("personal_results", kwargs={"network_slug": request.network.slug,
                                                   "personal_round_id": round_.pk})
    return _url(request, "assessment_results", round_)


def _state(round_, response, now):
    if response is not None and response.submitted_at:
        return "submitted"
    if now < round_.opens_at:
        return "not_open"
    if round_.has_closed(now):
        return "closed"
    return "open"


@network_roles(RoleKind.LEADER)
def my_assessments(request):
    """The rounds of the leader's cohorts, with where they stand in each."""
    rounds = list(rounds_person_can_take(request.network, request.roles)
                  .select_related("instrument", "cohort").order_by("-opens_at"))
    responses = {r.round_id: r for r in Response.objects.for_network(request.network)
                 .filter(person=request.user, round__in=rounds)}
    now = timezone.now()
    rows = [{"round": round_, "response": responses.get(round_.pk),
             "state": _state(round_, responses.get(round_.pk), now)} for round_ in rounds]
    return render(request, "assessments/take/my_assessments.html", {"rows": rows})


@network_roles(RoleKind.LEADER)
@require_http_methods(["GET", "POST"])
def take_intro(request, round_id):
    """What the test is, how anonymity works, and Start / Continue / Review."""
    round_ = access_round_to_take(request, round_id)
    response = own_response(round_, request.user)
    now = timezone.now()
    state = _state(round_, response, now)
    groups = [] if round_.is_personal else groups_to_answer_for(request, round_)
    if request.method == "POST":
        if state != "open":
            return redirect(_url(request, "assessment_take", round_))
        if response is None and round_.is_personal:  # for no group: it counts nowhere
            response = services.start_response(round_, request.user, None)
        elif response is None:
            chosen = next((g for g in groups if str(g.pk) == request.POST.get("group")),
                          groups[0])
            response = services.start_response(
                round_, request.user, chosen,
                organisation=organisation_answered_for(request, chosen))
        progress = progress_of(round_.instrument, response)
        return redirect(_resume_url(request, round_, progress))
    progress = progress_of(round_.instrument, response)
    return render(request, "assessments/take/intro.html", {
        "round": round_, "instrument": round_.instrument, "response": response,
        "state": state, "groups": groups, "progress": progress,
        "resume_url": _resume_url(request, round_, progress),
        "results_url": results_url(request, round_) if state == "submitted" else "",
        "threshold": request.network.anonymity_threshold,
        "minutes": minutes_to_answer(round_.instrument),
    })


def _resume_url(request, round_, progress):
    number = progress.resume_number
    if number is None:
        return _url(request, "assessment_review", round_)
    return _url(request, "assessment_take_step", round_, step=number)


@network_roles(RoleKind.LEADER)
@require_http_methods(["GET", "POST"])
def take_step(request, round_id, step):
    """One dimension and its items; POST (Next / Previous without JavaScript) saves the page."""
    response = own_response_to_answer(request, round_id)
    if response is None:
        return redirect(_url(request, "assessment_take", access_round_to_take(request, round_id)))
    round_, instrument = response.round, response.round.instrument
    progress = progress_of(instrument, response)
    current = progress.step(step)
    if current is None:
        return redirect(_url(request, "assessment_take", round_))
    if request.method == "POST":
        refused, _answered = _save_from_form(response, request.POST)
        if refused == "invalid":
            messages.error(request, REFUSAL_MESSAGES[refused]())
            return redirect(request.path)
        if refused:
            messages.error(request, REFUSAL_MESSAGES[refused]())
            return redirect(_url(request, "assessment_take", round_))
        go = request.POST.get("go")
        if go == "previous" and step > 1:
            return redirect(_url(request, "assessment_take_step", round_, step=step - 1))
        if go == "previous":
            return redirect(_url(request, "assessment_take", round_))
        if step < len(progress.dimensions):
            return redirect(_url(request, "assessment_take_step", round_, step=step + 1))
        return redirect(_url(request, "assessment_review", round_))
    state = _state(round_, response, timezone.now())
    return render(request, "assessments/take/step.html", {
        "round": round_, "instrument": instrument, "response": response, "state": state,
        "progress": progress, "current": current,
        "items": page_items(instrument, current.dimension, response),
        "kind_labels": [(AnswerKind(kind).label, instrument.answer_kind_labels.get(kind, {}))
                        for kind in instrument.answer_kinds],
        # read before each step's number: "Today, generation 3: …"
        "step_word": _("generation") if instrument.has_levels else "",
        "previous_step": step - 1 if step > 1 else None,
        "is_last": step == len(progress.dimensions),
    })


def _save_from_form(response, data):
    """Save the answers in a form: (refusal reason or None, the item ids of every answer the
    response holds, or None when nothing was saved)."""
    try:
        parsed = parse_answer_fields(data, response.round.instrument)
    except ValueError:
        return "invalid", None
    if not parsed:
        return None, None
    try:
        return None, services.save_answers(response, parsed)
    except services.AnswerRefused as refusal:
        return refusal.reason, None


@network_roles(RoleKind.LEADER)
@require_http_methods(["GET", "POST"])
def save_answer(request, round_id):
    """htmx: save one radio group the moment it changes; answers a small status partial.

    The busiest request of a gathering (issue 11): the response, its round and instrument in
    one query, the save and the answers for the progress in one statement."""
    response = own_response_to_answer(request, round_id)
    if response is None or request.method == "GET" or not request.htmx:
        round_ = access_round_to_take(request, round_id)
        if response is None and request.htmx and request.method == "POST":
            return HttpResponseBadRequest()
        return redirect(_url(request, "assessment_take", round_))
    round_ = response.round
    refused, answered = _save_from_form(response, request.POST)
    progress = (progress_of(round_.instrument, response) if answered is None
                else progress_from(round_.instrument, answered))
    return render(request, "assessments/take/step.html#save_status", {
        "round": round_, "refusal": REFUSAL_MESSAGES[refused]() if refused else "",
        "progress": progress, "saved_at": timezone.now(),
    })


@network_roles(RoleKind.LEADER)
@require_http_methods(["GET", "POST"])
def review(request, round_id):
    """What is still missing, and the one submit."""
    round_ = access_round_to_take(request, round_id)
    response = own_response(round_, request.user)
    if response is None:
        return redirect(_url(request, "assessment_take", round_))
    if request.method == "POST":
        try:
            submitted = services.submit_response(response)
        except services.AnswerRefused as refusal:
            messages.error(request, REFUSAL_MESSAGES[refusal.reason]())
            return redirect(_url(request, "assessment_take", round_))
        if submitted:
            messages.success(request, _("Thank you! Your answers are submitted."))
        return redirect(results_url(request, round_))
    state = _state(round_, response, timezone.now())
    if state == "submitted":
        return redirect(_url(request, "assessment_take", round_))
    return render(request, "assessments/take/review.html", {
        "round": round_, "instrument": round_.instrument, "response": response,
        "state": state, "progress": progress_of(round_.instrument, response),
    })
