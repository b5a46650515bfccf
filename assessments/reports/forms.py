"""The form that asks for a cohort's report."""

from django import forms


class CohortChoiceForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
