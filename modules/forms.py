from django import forms
from django.utils.translation import gettext_lazy as _

from modules.models import Horizon, Initiative
from tenancy.forms import ClearTextErrors


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


class InitiativeForm(ClearTextErrors, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["title", "description", "horizon", "owner", "status", "shared_with_network"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}),
                   "horizon": forms.RadioSelect, "status": forms.RadioSelect}
        help_texts = {
            "owner": _("Who in the group follows it up."),
            "shared_with_network": _("Other leader groups, facilitators and network admins in "
                                     "the network may read it, with your group's name."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["horizon"].choices = Horizon.choices
