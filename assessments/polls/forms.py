"""A facilitator's new poll, a leader's answer, and the evaluation's statements."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import PollKind
from assessments.polls.selectors import value_labels
from tenancy.forms import ClearTextErrors
from tenancy.translated import translated

MAX_OPTIONS = 6


class PollForm(ClearTextErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=PollKind.choices,
                             initial=PollKind.SCALE, widget=forms.RadioSelect)
    question = forms.CharField(label=_("Question"), max_length=300)
    options = forms.CharField(
        label=_("Options (for a choice)"), required=False, max_length=700,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One option a line, 2 to 6 options."))

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in data.get("options", "").splitlines() if line.strip()]
        if data.get("kind") == PollKind.CHOICE:
            if not 2 <= len(lines) <= MAX_OPTIONS:
                self.add_error("options", _("Write 2 to 6 options, one a line."))
            elif any(len(line) > 100 for line in lines):
                self.add_error("options", _("An option can be at most 100 characters."))
        data["option_list"] = lines
        return data


def _value_field(poll, label):
    return forms.TypedChoiceField(label=label, choices=value_labels(poll), coerce=int,
                                  widget=forms.RadioSelect)


class AnswerForm(forms.Form):
    def __init__(self, poll, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"] = _value_field(poll, "")


class EvaluationForm(forms.Form):
    """Every statement must be answered: the items' blocks then hold the same people."""

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = _value_field(item, translated(item.question))

    def values(self):
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}
