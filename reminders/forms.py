from django import forms
from django.utils.translation import gettext_lazy as _

from reminders.models import ReminderKind

HELP = {
    ReminderKind.PREWORK_OPENS: _("When the pre-work of a module opens."),
    ReminderKind.PREWORK_DUE: _("A few days before a gathering, if your pre-work is not done."),
    ReminderKind.GATHERING_TOMORROW: _("The day before a gathering, with a calendar file."),
    ReminderKind.POSTWORK_DUE: _("Before post-work is due, if your post-work is not done."),
    ReminderKind.ROUND_OPENS: _("When a self-assessment opens."),
    ReminderKind.ROUND_CLOSES: _("Before a self-assessment closes, if you have not submitted."),
    ReminderKind.INVITATION_PENDING: _("Once, if you have not accepted an invitation."),
    ReminderKind.COORDINATOR_NUDGE: _("When your coordinator reminds your organisation."),
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
