"""The form that schedules or changes a round, with the presets that fill in a name and times
from the cohort's schedule."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import services
from assessments.models import NAMES_BY_PURPOSE, Instrument, RoundPurpose
from cohorts.models import Gathering
from tenancy.translated import translated

COMPETENCE_WHEEL = "competence-wheel"
START_DAYS_OPEN = 21
END_DAYS_OPEN = 14


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
        help_text=gettext_lazy("Shown to the leaders. Leave empty for a name that says when, "
                               "in each person's language."))
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
            self.fields["closes_at"].help_text = services.CLOSES_IN_THE_PAST
            if services.round_has_answers(round_):
                self.fields["opens_at"].help_text = services.OPENS_AT_LOCKED

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
        if self.round_ is not None and data["opens_at"] and data["closes_at"]:
            self._check_time_changes(data)
        if not data.get("name") and purpose not in NAMES_BY_PURPOSE:
            self.add_error("name", _("Give the round a name."))
        return data

    def _check_time_changes(self, data):
        """The service's rule (services.round_time_errors), said on the form; a closing time
        in the current minute means "now" (the field has no seconds)."""
        now = self.now = timezone.now()
        for field in ("opens_at", "closes_at"):  # the field shows minutes: unchanged is equal
            stored = getattr(self.round_, field)
            if data[field] == stored.replace(second=0, microsecond=0):
                data[field] = stored
        closes_at = data["closes_at"]
        if (closes_at != self.round_.closes_at and now - timedelta(minutes=1) < closes_at < now
                and not services.round_times_are_locked(self.round_, now)):
            data["closes_at"] = now
        errors = services.round_time_errors(
            self.round_, opens_at=data["opens_at"], closes_at=data["closes_at"], now=now)
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, str(message))

    def default_times(self, purpose, gathering):
        zone = timezone.get_current_timezone()
        if purpose == RoundPurpose.START:
            opens = datetime.combine(self.cohort.starts_on, time(8), zone)
            return opens, opens + timedelta(days=START_DAYS_OPEN)
        if purpose == RoundPurpose.GATHERING and gathering:
            return gathering.starts_at, gathering.ends_at
        if purpose == RoundPurpose.END:
            last = self.cohort.cohort_modules.last()
            if last is not None:
                closes = datetime.combine(last.postwork_due_on, time(23, 59), zone)
                return closes - timedelta(days=END_DAYS_OPEN), closes
        return None, None
