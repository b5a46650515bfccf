from django import forms
from django.utils.translation import gettext_lazy as _

from modules.models import Horizon, Initiative, InitiativeStatus
from tenancy.forms import ClearTextErrors
from tenancy.models import Person
from tenancy.translated import translated


class ReflectionForm(ClearTextErrors, forms.Form):
    text = forms.CharField(label=_("Your answer"), required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("Only you can read this. It is saved as you type."))


class GroupTaskForm(ClearTextErrors, forms.Form):
    text = forms.CharField(label=_("The group's answer"), required=False, max_length=50000,
                           widget=forms.Textarea(attrs={"rows": 14}))
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AmbitionForm(ClearTextErrors, forms.Form):
    text = forms.CharField(label=_("Our ambition"), required=False, max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Where does the group want the organisation to be, and "
                                       "by when?"))


def dimension_choices(instruments):
    """Checkbox choices grouped by instrument: [(instrument name, [(dimension id, name)])]."""
    return [(translated(instrument.name),
             [(dimension.pk, translated(dimension.name))
              for dimension in instrument.dimensions.all()])
            for instrument in instruments]


class InitiativeForm(ClearTextErrors, forms.ModelForm):
    """An initiative's plan; its status moves with dated updates (InitiativeUpdateForm)."""

    dimensions = forms.TypedMultipleChoiceField(
        label=_("The gaps it addresses"), required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The dimensions or capabilities of the group's assessments whose gap the "
                    "initiative should close. The group's results then show whether the gap "
                    "narrowed."))

    class Meta:
        model = Initiative
        fields = ["title", "description", "horizon", "owner", "due_on", "shared_with_network"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}),
                   "horizon": forms.RadioSelect,
                   "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "owner": _("Who in the group follows it up."),
            "shared_with_network": _("Other leader groups, facilitators and network admins in "
                                     "the network may read it, with your group's name."),
        }

    def __init__(self, *args, leaders=(), instruments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["horizon"].choices = Horizon.choices
        self.fields["owner"].queryset = Person.objects.filter(
            pk__in=[person.pk for person in leaders]).order_by("name", "email")
        self.fields["owner"].empty_label = _("Not decided yet")
        choices = dimension_choices(instruments)
        self.fields["dimensions"].choices = choices
        self.dimension_objects = {dimension.pk: dimension for instrument in instruments
                                  for dimension in instrument.dimensions.all()}
        if self.instance.pk and not self.is_bound:
            self.initial["dimensions"] = [d.pk for d in self.instance.dimensions.all()]
        if not choices:
            del self.fields["dimensions"]

    def clean_dimensions(self):
        return [self.dimension_objects[pk] for pk in self.cleaned_data["dimensions"]]


class InitiativeUpdateForm(ClearTextErrors, forms.Form):
    """A short dated note on how the initiative goes, and its status now."""

    status = forms.ChoiceField(label=_("Status"), choices=InitiativeStatus.choices,
                               widget=forms.RadioSelect)
    text = forms.CharField(label=_("What happened"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("A sentence or two; it is kept with today's date and "
                                       "your name."))
