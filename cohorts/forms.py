import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from cohorts import selectors
from cohorts.enrolment import MAX_FILE_BYTES
from cohorts.models import ContributionKind
from cohorts.schedule import local_datetime, local_zone, schedule_problems
from programmes.forms import dimension_tag_choices, dimension_tags_field
from programmes.models import ActivityKind, PhaseKind
from tenancy.models import LeaderGroup, Organisation
from tenancy.translated import translated


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ModuleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return translated(obj.title)


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return translated(obj.name)


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        where = obj.organisation.name if obj.organisation_id else _("across organisations")
        return f"{obj.name} ({where})"


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.email})" if obj.name else obj.email


def _programme_modules():
    from programmes.models import Module

    return Module.objects.select_related("programme").order_by("programme", "position")


class CohortForm(forms.Form):
    """A new cohort: which programme, which of its modules, and when it starts."""

    programme = ProgrammeChoiceField(label=_("Programme"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=160,
                           help_text=_("For example “Kompetanseløft 2026”."))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    modules = ModuleChoiceField(
        label=_("Modules"), queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text=_("All four are recommended, about three months each. Each module gets "
                    "suggested dates that you can change afterwards."))
    competence_wheel = forms.BooleanField(
        label=_("Offer the digital competence wheel"), required=False)

    def __init__(self, *args, **kwargs):
        from programmes.models import Programme

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("slug")
        self.fields["modules"].queryset = _programme_modules()
        if not self.is_bound:
            self.fields["modules"].initial = list(self.fields["modules"].queryset)

    def clean(self):
        data = super().clean()
        programme, modules = data.get("programme"), data.get("modules")
        if programme and modules and any(m.programme_id != programme.pk for m in modules):
            self.add_error("modules", _("Choose modules of the chosen programme."))
        return data


class CohortEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=DateInput(),
        help_text=_("The modules keep their dates; change them module by module, or copy the "
                    "cohort to move every date at once."))
    modules = ModuleChoiceField(
        label=_("Modules"), queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text=_("A module you add gets suggested dates. Removing a module removes its "
                    "dates and gathering; the leaders' own work is kept."))
    competence_wheel = forms.BooleanField(
        label=_("Offer the digital competence wheel"), required=False)

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = _programme_modules().filter(
            programme=cohort.programme_id)
        if not self.is_bound:
            self.initial.update(
                name=cohort.name, starts_on=cohort.starts_on,
                competence_wheel=cohort.competence_wheel,
                modules=list(cohort.cohort_modules.values_list("module_id", flat=True)))


class CohortModuleForm(forms.Form):
    """A module's dates and its gathering (a local date and wall-clock times)."""

    prework_opens_on = forms.DateField(label=_("Pre-work opens"), widget=DateInput())
    gathering_date = forms.DateField(label=_("Date of the gathering"), widget=DateInput())
    gathering_starts = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    gathering_ends = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    postwork_due_on = forms.DateField(label=_("Post-work due"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=255, required=False,
                            help_text=_("Venue and town, for a physical gathering."))
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https",
                                help_text=_("For a digital gathering, or to follow online."))
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea)
    speakers = forms.CharField(label=_("Speakers"), required=False, widget=forms.Textarea(
        attrs={"rows": 4}))
    resources = forms.ModelMultipleChoiceField(
        label=_("The network's own resources"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, cohort_module, **kwargs):
        super().__init__(*args, **kwargs)
        resources = self.fields["resources"]
        resources.queryset = selectors.own_resources(cohort_module.network_id)
        resources.label_from_instance = lambda resource: translated(resource.title)
        if not self.is_bound:
            gathering = getattr(cohort_module, "gathering", None)
            self.initial.update(
                prework_opens_on=cohort_module.prework_opens_on,
                postwork_due_on=cohort_module.postwork_due_on,
                resources=list(cohort_module.resources.values_list("pk", flat=True)))
            if gathering is not None:
                starts = gathering.starts_at.astimezone(local_zone())
                ends = gathering.ends_at.astimezone(local_zone())
                self.initial.update(
                    gathering_date=starts.date(), gathering_starts=starts.time(),
                    gathering_ends=ends.time(), place=gathering.place,
                    online_url=gathering.online_url, agenda=gathering.agenda,
                    speakers=gathering.speakers)

    def clean(self):
        data = super().clean()
        needed = ("prework_opens_on", "gathering_date", "gathering_starts", "gathering_ends",
                  "postwork_due_on")
        if all(data.get(name) is not None for name in needed):
            data["starts_at"] = local_datetime(data["gathering_date"], data["gathering_starts"])
            data["ends_at"] = local_datetime(data["gathering_date"], data["gathering_ends"])
            for name, message in schedule_problems(
                    data["prework_opens_on"], data["starts_at"], data["ends_at"],
                    data["postwork_due_on"]).items():
                self.add_error(name, message)
        return data


class ParticipantsForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their coordinators follow the cohort."))
    leader_groups = GroupChoiceField(
        label=_("Leader groups"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A group's organisation takes part with it."))
    facilitators = PersonChoiceField(
        label=_("Facilitators"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with the facilitator role in the network."))

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        network = cohort.network_id
        self.fields["organisations"].queryset = Organisation.objects.for_network(network)
        self.fields["leader_groups"].queryset = (
            LeaderGroup.objects.for_network(network).select_related("organisation")
            .order_by("organisation__name", "name"))
        self.fields["facilitators"].queryset = selectors.facilitator_candidates(network)
        if not self.is_bound:
            self.initial.update(
                organisations=list(cohort.organisations.values_list("pk", flat=True)),
                leader_groups=list(cohort.leader_groups.values_list("pk", flat=True)),
                facilitators=list(cohort.facilitators.values_list("pk", flat=True)))


def next_year_name(name):
    """“Kompetanseløft 2025” → “Kompetanseløft 2026”; other names get a suffix."""
    match = re.search(r"(19|20)\d\d(?!.*\d)", name)
    if match is None:
        return f"{name} ({_('copy')})"
    return name[:match.start()] + str(int(match.group()) + 1) + name[match.end():]


class CopyCohortForm(forms.Form):
    SHIFT_WEEKS, NEW_START = "weeks", "start"

    name = forms.CharField(label=_("Name of the copy"), max_length=160)
    shift = forms.ChoiceField(
        label=_("Move every date"), widget=forms.RadioSelect, initial=SHIFT_WEEKS,
        choices=[(SHIFT_WEEKS, _("by a number of weeks")),
                 (NEW_START, _("so that the copy starts on a new date"))])
    weeks = forms.IntegerField(label=_("Weeks"), required=False, min_value=-520, max_value=520,
                               initial=52, help_text=_("52 weeks keeps every weekday."))
    starts_on = forms.DateField(label=_("New start date"), required=False, widget=DateInput())
    include_groups = forms.BooleanField(
        label=_("Also copy the leader groups"), required=False,
        help_text=_("Modules, gatherings, resources, facilitators and organisations are "
                    "always copied."))

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["name"].initial = next_year_name(cohort.name)
        self.fields["starts_on"].initial = cohort.starts_on + timedelta(weeks=52)

    def clean(self):
        data = super().clean()
        if data.get("shift") == self.SHIFT_WEEKS:
            if data.get("weeks") is None:
                self.add_error("weeks", _("Give the number of weeks."))
            else:
                data["days"] = 7 * data["weeks"]
        elif data.get("shift") == self.NEW_START:
            if data.get("starts_on") is None:
                self.add_error("starts_on", _("Give the new start date."))
            else:
                data["days"] = (data["starts_on"] - self.cohort.starts_on).days
        return data


class LeaderListForm(forms.Form):
    """A list of leaders, pasted or uploaded; it is checked before anything is saved."""

    text = forms.CharField(
        label=_("Paste the list"), required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "wrap": "off"}),
        help_text=_("One leader per row, with the column names in the first row: name, "
                    "email, title, language (nb, nn, da or en; empty for the network's language). "
                    "Separate the columns with semicolons, commas or tabs (as when you copy "
                    "cells from Excel)."))
    file = forms.FileField(
        label=_("Or upload a file"), required=False,
        widget=forms.ClearableFileInput(attrs={
            "accept": ".csv,.txt,.xlsx,text/csv,text/plain,"
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
        help_text=_("An Excel workbook (.xlsx, its first sheet) or a CSV file as Excel saves "
                    "it (“CSV UTF-8” or plain “CSV”). Columns Bro does not use, such as a "
                    "department, are ignored. A new file replaces the text above."))
    checked = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A NUL character is named by its row when the list is checked (cohorts.enrolment).
        text = self.fields["text"]
        text.validators = [validator for validator in text.validators
                           if not isinstance(validator, ProhibitNullCharactersValidator)]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB. Split it into "
                                          "smaller files."))
        return upload


class LeaderGroupCreateForm(forms.Form):
    """A network admin creates a group in any organisation, or one across organisations."""

    name = forms.CharField(label=_("Name"), max_length=160)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False,
        empty_label=_("Across organisations"),
        help_text=_("Leave it as “across organisations” for a group of leaders from several "
                    "organisations."))
    language = forms.ChoiceField(
        label=_("Language"), required=False,
        choices=[("", _("The network's language")), *settings.LANGUAGES],
        help_text=_("The group's working language, used for its reports."))

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_network(network)


class MoveLeaderForm(forms.Form):
    leader_group = forms.ModelChoiceField(label=_("Move to"), queryset=None)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader_group"].queryset = groups


class ContributionForm(forms.Form):
    """The cohort's own speaker or case in one module (cohorts.tailoring)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    title = forms.CharField(label=_("Name or title"), max_length=200,
                            validators=[ProhibitNullCharactersValidator()])
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  validators=[ProhibitNullCharactersValidator()])
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")


OWN_ACTIVITY_KINDS = (ActivityKind.ARTICLE, ActivityKind.CASE, ActivityKind.REFLECTION,
                      ActivityKind.GROUP_TASK)
OWN_ACTIVITY_PHASES = (PhaseKind.PREWORK, PhaseKind.POSTWORK)


class OwnActivityForm(forms.Form):
    """An activity a network admin writes for one cohort's module (cohorts.tailoring): its
    title and instructions in each language Bro offers, the network's language required."""

    phase = forms.TypedChoiceField(label=_("Phase"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(kind.value, kind.label) for kind in OWN_ACTIVITY_KINDS])
    dimension_tags = dimension_tags_field()

    def __init__(self, *args, cohort_module, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        if activity is None:
            self.phases = {phase.pk: phase for phase in cohort_module.module.phases.filter(
                kind__in=OWN_ACTIVITY_PHASES).order_by("position")}
            self.fields["phase"].choices = [(pk, phase.get_kind_display())
                                            for pk, phase in self.phases.items()]
        else:
            del self.fields["phase"]
            self.initial.update(kind=activity.kind, dimension_tags=activity.dimension_tags)
        required = cohort_module.network.default_language
        for name, label, widget in (
                ("title", _("Title"), forms.TextInput),
                ("instructions", _("Instructions"), forms.Textarea(attrs={"rows": 4}))):
            for code, language in settings.LANGUAGES:
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=f"{label} ({language})", widget=widget, strip=True,
                    required=name == "title" and code == required,
                    max_length=200 if name == "title" else 5000,
                    initial=(getattr(activity, name) or {}).get(code, "") if activity else "",
                    validators=[ProhibitNullCharactersValidator()])
        self.fields["dimension_tags"].choices = dimension_tag_choices(
            OwnActivityForm, activity.dimension_tags if activity else [])

    def values(self):
        """The keyword arguments of tailoring.write_activity / change_activity."""
        data = self.cleaned_data
        texts = {name: {code: data[f"{name}_{code}"] for code, _language in settings.LANGUAGES
                        if data[f"{name}_{code}"]}
                 for name in ("title", "instructions")}
        values = {"kind": data["kind"], "dimension_tags": data["dimension_tags"], **texts}
        if self.activity is None:
            values["phase"] = self.phases[data["phase"]]
        return values
