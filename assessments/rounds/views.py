"""Scheduling a cohort's assessment rounds: network admins and the cohort's facilitators.

A round is one instrument version for one cohort, open between two moments. The usual ones
have presets: at the start of the programme, at a gathering, at the end; their name and times
are filled in from the cohort's schedule when left empty.
"""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import services
from assessments.access import access_cohort_to_schedule, access_round_to_schedule
from assessments.models import Instrument, Response, Round, RoundPurpose
from cohorts.models import Gathering
from tenancy.translated import translated

COMPETENCE_WHEEL = "competence-wheel"
START_DAYS_OPEN = 21
END_DAYS_OPEN = 14
DEFAULT_NAMES = {
    RoundPurpose.START: gettext_lazy("Assessment at the start"),
    RoundPurpose.GATHERING: gettext_lazy("Assessment at the gathering"),
    RoundPurpose.END: gettext_lazy("Assessment at the end"),
}


def instruments_for(cohort):
    """The latest version of each instrument; the competence wheel only where the cohort
    offers it."""
    latest = {}
    for instrument in Instrument.objects.order_by("slug", "-version"):
        latest.setdefault(instrument.slug, instrument)
    if not cohort.competence_wheel:
        latest.pop(COMPETENCE_WHEEL, None)
    return Instrument.objects.filter(pk__in=[i.pk for i in latest.values()])


class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, instrument):
        return _("%(name)s (version %(version)s)") % {
            "name": translated(instrument.name), "version": instrument.version}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class RoundForm(forms.Form):
    instrument = InstrumentChoiceField(label=gettext_lazy("Assessment"), queryset=None)
    purpose = forms.ChoiceField(
        label=gettext_lazy("When in the programme"), choices=RoundPurpose.choices,
        initial=RoundPurpose.START)
    gathering = forms.ModelChoiceField(
        label=gettext_lazy("Gathering"), queryset=None, required=False,
        help_text=gettext_lazy("For a round at a gathering: it is open while the gathering "
                               "runs unless you give other times."))
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=160, required=False,
        help_text=gettext_lazy("Shown to the leaders. Leave empty for a name that says when."))
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Opens"), required=False, widget=DateTimeInput(),
        help_text=gettext_lazy("Leave empty to take it from the cohort's schedule."))
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closes"), required=False, widget=DateTimeInput(),
        help_text=gettext_lazy("Leave empty to take it from the cohort's schedule."))

    def __init__(self, *args, cohort, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.round_ = round_
        self.fields["gathering"].queryset = (
            Gathering.objects.for_network(cohort.network_id)
            .filter(cohort_module__cohort=cohort).select_related("cohort_module__module")
            .order_by("starts_at"))
        self.fields["gathering"].label_from_instance = lambda gathering: (
            f"{translated(gathering.cohort_module.module.title)} – "
            f"{timezone.localtime(gathering.starts_at):%Y-%m-%d}")
        if round_ is None:
            self.fields["instrument"].queryset = instruments_for(cohort)
        else:
            del self.fields["instrument"]

    def clean(self):
        data = super().clean()
        purpose = data.get("purpose")
        if purpose is None:
            return data
        if purpose == RoundPurpose.GATHERING and not data.get("gathering"):
            self.add_error("gathering", _("Choose the gathering."))
            return data
        if purpose != RoundPurpose.GATHERING:
            data["gathering"] = None
        default_opens, default_closes = self.default_times(purpose, data.get("gathering"))
        data["opens_at"] = data.get("opens_at") or default_opens
        data["closes_at"] = data.get("closes_at") or default_closes
        for field in ("opens_at", "closes_at"):
            if data[field] is None and field not in self.errors:
                self.add_error(field, _("Give a time: the cohort's schedule has none for "
                                        "this choice."))
        if data["opens_at"] and data["closes_at"] and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The round must close after it opens."))
        if self.round_ is not None and services.round_times_are_locked(self.round_) and (
                (data["opens_at"], data["closes_at"])
                != (self.round_.opens_at, self.round_.closes_at)):
            self.add_error("closes_at", _("The round has closed, so its times stay as they "
                                          "are: its results may not change."))
        if not data.get("name"):
            if purpose in DEFAULT_NAMES:
                with translation.override(self.cohort.network.default_language):
                    data["name"] = str(DEFAULT_NAMES[purpose])
            else:
                self.add_error("name", _("Give the round a name."))
        return data

    def default_times(self, purpose, gathering):
        zone = timezone.get_current_timezone()
        if purpose == RoundPurpose.START:
            opens = datetime.combine(self.cohort.starts_on, time(8), zone)
            return opens, opens + timedelta(days=START_DAYS_OPEN)
        if purpose == RoundPurpose.GATHERING and gathering:
            return gathering.starts_at, gathering.ends_at
        if purpose == RoundPurpose.END:
            last = self.cohort.cohort_modules.order_by("-position").first()
            if last is not None:
                closes = datetime.combine(last.postwork_due_on, time(23, 59), zone)
                return closes - timedelta(days=END_DAYS_OPEN), closes
        return None, None


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
    initial = {"name": round_.name, "purpose": round_.purpose, "gathering": round_.gathering,
               "opens_at": timezone.localtime(round_.opens_at),
               "closes_at": timezone.localtime(round_.closes_at)}
    form = RoundForm(request.POST or None, cohort=cohort, round_=round_, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_round(round_, name=data["name"], opens_at=data["opens_at"],
                              closes_at=data["closes_at"], purpose=data["purpose"],
                              gathering=data["gathering"])
        messages.success(request, _("%(name)s is saved.") % {"name": round_.name})
        return back
    has_responses = Response.objects.for_network(request.network).filter(round=round_).exists()
    return render(request, "assessments/rounds/round_edit.html", {
        "round": round_, "cohort": cohort, "form": form, "has_responses": has_responses})
