"""Scheduling a cohort's assessment rounds: network admins and the cohort's facilitators.

A round is one instrument version for one cohort, open between two moments. The usual ones
have presets: at the start of the programme, at a gathering, at the end; their name and times
are filled in from the cohort's schedule when left empty.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import services
from assessments.access import access_cohort_to_schedule, access_round_to_schedule
from assessments.models import Response, Round
from assessments.rounds.forms import RoundForm
from tenancy.access import network_roles
from tenancy.models import RoleKind


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def cohort_rounds(request, cohort_id):
    """The cohort's rounds, and the form that schedules a new one."""
    cohort = access_cohort_to_schedule(request, cohort_id)
    form = RoundForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round_ = services.schedule_round(
            cohort, instrument=data["instrument"], name=data["name"], opens_at=data["opens_at"],
            closes_at=data["closes_at"], purpose=data["purpose"], gathering=data["gathering"])
        messages.success(request, _("%(name)s is scheduled.") % {"name": round_.name})
        return redirect(request.path)
    rounds = (Round.objects.for_network(request.network).filter(cohort=cohort)
              .select_related("instrument")
              .annotate(started=Count("responses"),
                        submitted=Count("responses",
                                        filter=Q(responses__submitted_at__isnull=False)))
              .order_by("opens_at"))
    return render(request, "assessments/rounds/cohort_rounds.html", {
        "cohort": cohort, "rounds": rounds, "form": form, "now": timezone.now()})


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def round_edit(request, round_id):
    """Change a round's name and times; remove it while nobody has started answering."""
    round_ = access_round_to_schedule(request, round_id)
    cohort = round_.cohort
    back = redirect("cohort_rounds", network_slug=request.network.slug, cohort_id=cohort.pk)
    if request.method == "POST" and "delete" in request.POST:
        if services.delete_round(round_):
            messages.success(request, _("%(name)s is removed.") % {"name": round_.name})
        else:
            messages.error(request, _("Leaders have started answering this round, so it "
                                      "cannot be removed. Close it instead."))
        return back
    initial = {"name": round_.custom_name, "purpose": round_.purpose, "gathering": round_.gathering,
               "opens_at": timezone.localtime(round_.opens_at),
               "closes_at": timezone.localtime(round_.closes_at)}
    form = RoundForm(request.POST or None, cohort=cohort, round_=round_, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_round(round_, name=data["name"], opens_at=data["opens_at"],
                              closes_at=data["closes_at"], purpose=data["purpose"],
                              gathering=data["gathering"], now=form.now)
        messages.success(request, _("%(name)s is saved.") % {"name": round_.name})
        return back
    has_responses = Response.objects.for_network(request.network).filter(round=round_).exists()
    return render(request, "assessments/rounds/round_edit.html", {
        "round": round_, "cohort": cohort, "form": form, "has_responses": has_responses})
