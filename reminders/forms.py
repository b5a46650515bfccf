from django import forms
from django.utils.translation import gettext_lazy as _

from reminders.models import ReminderKind
from tenancy.forms import ClearTextErrors

HELP = {
    ReminderKind.PREWORK_OPENS: _("When the pre-work of a module opens."),
    ReminderKind.PREWORK_DUE: _("A few days before a gathering, if your pre-work is not done."),
    ReminderKind.GATHERING_TOMORROW: _("The day before a gathering, with a calendar file."),
    ReminderKind.POSTWORK_DUE: _("Before post-work is due, if your post-work is not done."),
    ReminderKind.ROUND_OPENS: _("When a self-assessment opens."),
    ReminderKind.ROUND_CLOSES: _("Before a self-assessment closes, if you have not submitted."),
    ReminderKind.INVITATION_PENDING: _("Once, if you have not accepted an invitation."),
    ReminderKind.COORDINATOR_NUDGE: _("When your coordinator reminds your organisation."),
    ReminderKind.COHORT_MESSAGE: _("When a facilitator or your network writes to your cohort "
                                   "or group (also shown on What's next)."),
}


class ReminderSettingsForm(forms.Form):
    """One on/off switch per kind of reminder."""

    def __init__(self, *args, enabled, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in ReminderKind:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label, help_text=HELP[kind], required=False,
                initial=enabled[kind.value])

    def enabled_by_kind(self):
        return {kind: self.cleaned_data[kind] for kind in ReminderKind.values}


MESSAGE_DAYS = 7


class CohortMessageForm(ClearTextErrors, forms.Form):
    """A message to the whole cohort or one of its leader groups."""

    leader_group = forms.TypedChoiceField(label=_("To"), coerce=int, empty_value=None,
                                          required=False)
    subject = forms.CharField(label=_("Subject"), max_length=160)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
    days = forms.IntegerField(
        label=_("Show on What's next for (days)"), min_value=1, max_value=60,
        initial=MESSAGE_DAYS, help_text=_("Leaders can also put it away themselves."))

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {group.pk: group for group in groups}
        self.fields["leader_group"].choices = [("", _("The whole cohort"))] + [
            (group.pk, group.name) for group in groups]

    def clean_leader_group(self):
        value = self.cleaned_data["leader_group"]
        return self.groups[value] if value is not None else None
