"""Delivery records, per-person switches and coordinators' nudges.

What is due is never stored ahead of time: the dispatcher computes it from the cohort's rows.
A ReminderDelivery is written only when a reminder is due, and its unique constraint is what
makes each (person, kind, target) go out at most once."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenancy.scoping import TenantModel


class ReminderKind(models.TextChoices):
    PREWORK_OPENS = "prework_opens", _("Pre-work opens")
    PREWORK_DUE = "prework_due", _("Pre-work is due before the gathering")
    GATHERING_TOMORROW = "gathering_tomorrow", _("The gathering is tomorrow")
    POSTWORK_DUE = "postwork_due", _("Post-work is due")
    ROUND_OPENS = "round_opens", _("An assessment opens")
    ROUND_CLOSES = "round_closes", _("An assessment closes soon")
    INVITATION_PENDING = "invitation_pending", _("An invitation not yet accepted")
    COORDINATOR_NUDGE = "coordinator_nudge", _("Reminders from your coordinator")
    COHORT_MESSAGE = "cohort_message", _("Messages from your facilitators")


class TargetType(models.TextChoices):
    COHORT_MODULE = "cohort_module", _("module")
    GATHERING = "gathering", _("gathering")
    ROUND = "round", _("assessment round")
    INVITATION = "invitation", _("invitation")
    NUDGE = "nudge", _("nudge")
    MESSAGE = "message", _("message")


class DeliveryStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("reminder", "Planned")
    SENDING = "sending", pgettext_lazy("reminder", "Sending")
    SENT = "sent", pgettext_lazy("reminder", "Sent")
    SKIPPED = "skipped", pgettext_lazy("reminder", "Skipped")
    FAILED = "failed", pgettext_lazy("reminder", "Failed")
    UNKNOWN = "unknown", pgettext_lazy("reminder", "Failed, may have been sent")


class ReminderDelivery(TenantModel):
    """One reminder to one person about one thing: planned, then sent, skipped or failed.

    The row is inserted (ON CONFLICT DO NOTHING) before anything is sent; a worker claims it by
    moving it from planned to sending under a row lock, so two workers, a retried task or a
    second dispatcher run cannot send it twice. A row left in "sending" by a worker that died
    becomes "unknown" after a lease and is not resent: at most once beats at least once here.
    """

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="reminder_deliveries")
    email = models.EmailField(_("email"))
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PLANNED)
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "target_type", "target_id"],
                condition=models.Q(person__isnull=False), name="reminder_once_per_person"),
            models.UniqueConstraint(
                Lower("email"), "kind", "target_type", "target_id",
                condition=models.Q(person__isnull=True), name="reminder_once_per_address"),
        ]
        indexes = [
            models.Index(fields=["status", "enqueued_at"], name="reminder_queue"),
            models.Index(fields=["status", "claimed_at"], name="reminder_lease"),
            models.Index(fields=["cohort", "kind"], name="reminder_cohort"),
            models.Index(fields=["kind", "target_type", "target_id"], name="reminder_target"),
        ]

    def __str__(self):
        return f"{self.kind} {self.target_type}:{self.target_id} → {self.email} ({self.status})"


class ReminderPreference(models.Model):
    """A person's switch for one kind of reminder; no row means on.

    Not a tenant model: a person's reminder settings hold in every network. Someone invited who
    has no account yet can still switch invitation reminders off by email address."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="reminder_preferences")
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"],
                                    condition=models.Q(person__isnull=False),
                                    name="one_reminder_switch_per_person"),
            models.UniqueConstraint(Lower("email"), "kind",
                                    condition=models.Q(person__isnull=True),
                                    name="one_reminder_switch_per_address"),
        ]

    def __str__(self):
        return f"{self.person_id or self.email}: {self.kind} {'on' if self.enabled else 'off'}"


class Nudge(TenantModel):
    """A coordinator reminded their organisation's leaders who have not finished something:
    the pre-work of a module or an assessment round. At most one per organisation, thing and
    day (the constraints hold even when two coordinators press the button at once)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    cohort_module = models.ForeignKey(
        "cohorts.CohortModule", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+")
    round = models.ForeignKey(
        "assessments.Round", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cohort_module", "sent_on"],
                                    condition=models.Q(cohort_module__isnull=False),
                                    name="one_prework_nudge_a_day"),
            models.UniqueConstraint(fields=["organisation", "round", "sent_on"],
                                    condition=models.Q(round__isnull=False),
                                    name="one_round_nudge_a_day"),
            models.CheckConstraint(
                condition=models.Q(cohort_module__isnull=False, round__isnull=True)
                | models.Q(cohort_module__isnull=True, round__isnull=False),
                name="nudge_is_about_one_thing"),
        ]

    def __str__(self):
        return f"nudge {self.pk} ({self.sent_on})"


class InvitationResend(TenantModel):
    """How often an invitation whose email never went out (broker or mail server down) was
    sent again with a new link, so the dispatcher backs off and stops."""

    invitation = models.OneToOneField(
        "tenancy.Invitation", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"resend {self.invitation_id} ×{self.count}"
