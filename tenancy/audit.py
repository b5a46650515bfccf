"""The audit trail: append-only records of who did what, when, in which network, to what.

Each business event is recorded explicitly by the service that does the thing, inside its
transaction (`record(...)`), so an event is kept exactly when the change it describes is. It
lives in tenancy, the lowest layer, so every app can record. README, "Audit trail".

Rows are never changed or removed: the model and its querysets refuse it in Python, and on
PostgreSQL a trigger (migration tenancy 0003) refuses UPDATE and DELETE. The one exception is
erasure (GDPR, `blank_labels`): a person's name and email in the labels may become empty, and
nothing else may change (migration tenancy 0004). The actor and the
target are kept as ids and a text label, never as cascading foreign keys, so deleting a
person or a network leaves their events; the network's link has no database constraint and
does nothing on delete for the same reason.
"""

import json
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenancy.scoping import TenantManager, TenantModel, TenantQuerySet


class AppendOnlyError(RuntimeError):
    pass


class EventKind(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    MFA_ACTIVATED = "mfa_activated", _("Authenticator app set up")
    MFA_DEACTIVATED = "mfa_deactivated", _("Authenticator app removed")
    IDENTITY_CONNECTED = "identity_connected", _("Sign-in identity connected")
    SIGN_IN_PROVIDER_CHANGED = "sign_in_provider_changed", _("Sign-in provider changed")
    STAFF_ENTERED = "staff_entered", _("Platform staff entered the network")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REMOVED = "role_removed", _("Role removed")
    LEADERS_ENROLLED = "leaders_enrolled", _("Leaders enrolled from a list")
    LEADER_MOVED = "leader_moved", _("Leader moved to another group")
    LEADER_REMOVED = "leader_removed", _("Leader removed from a group")
    THRESHOLD_CHANGED = "threshold_changed", _("Anonymity threshold (k) changed")
    ROUND_SCHEDULED = "round_scheduled", _("Assessment round scheduled")
    ROUND_CHANGED = "round_changed", _("Assessment round changed")
    ROUND_DELETED = "round_deleted", _("Assessment round deleted")
    ROUND_OPENED = "round_opened", _("Assessment round opened")
    ROUND_CLOSED = "round_closed", _("Assessment round closed")
    REPORT_REQUESTED = "report_requested", _("Report requested")
    REPORT_DOWNLOADED = "report_downloaded", _("Report downloaded")
    PROGRESS_EXPORTED = "progress_exported", _("Progress exported (CSV or Excel)")
    RESULTS_EXPORTED = "results_exported", _("Group results exported (CSV or Excel)")
    AUDIT_EXPORTED = "audit_exported", _("Audit trail exported as CSV")
    DATA_EXPORT_REQUESTED = "data_export_requested", _("Personal data download requested")
    DATA_EXPORT_DOWNLOADED = "data_export_downloaded", _("Personal data downloaded")
    PERSON_ERASED = "person_erased", _("Personal data erased")
    RETENTION_CHANGED = "retention_changed", _("Retention period changed")
    PRIVACY_NOTICE_CHANGED = "privacy_notice_changed", _("Privacy notice changed")
    ATTENDANCE_EXPORTED = "attendance_exported", _("Attendance list exported (CSV or Excel)")
    MESSAGE_SENT = "message_sent", _("Message sent to leaders")
    INSTRUMENT_PUBLISHED = "instrument_published", _("Instrument version published")
    PROGRAMME_CHANGED = "programme_changed", _("Standard programme changed")
    COHORT_TAILORED = "cohort_tailored", _("Cohort's programme tailored")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only.")

    _raw_delete = delete


class AuditQuerySet(AppendOnlyQuerySet, TenantQuerySet):
    pass


class AuditManager(TenantManager.from_queryset(AuditQuerySet)):
    pass


class AuditEvent(TenantModel):
    """One thing someone did. `network` is empty for platform events (a sign-in, an
    authenticator app set up): those are read platform-wide only, in the Django admin."""

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.DO_NOTHING, db_constraint=False, null=True,
        blank=True, related_name="+", verbose_name=_("network"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    target_label = models.CharField(_("what"), max_length=254, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditManager()
    unscoped = models.Manager.from_queryset(AppendOnlyQuerySet)()  # noqa: DJ012

    class Meta(TenantModel.Meta):
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["network", "-at"], name="audit_network_at"),
                   models.Index(fields=["network", "kind", "-at"], name="audit_network_kind_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only.")

    @property
    def actor_display(self):
        if self.actor_id is None and self.actor_label == SCHEDULED_ACTOR:
            return SCHEDULED_ACTOR_DISPLAY
        return self.actor_label

    @property
    def details_text(self):
        """The details as stored (keys and codes), for the platform admin."""
        return ", ".join(f"{key}: {value}" for key, value in self.details.items())

    @property
    def readable_details(self):
        """The details in the reader's language (tenancy/audit_details.py)."""
        from tenancy.audit_details import readable_text

        return readable_text(self.details)


# The actor of what Bro does by itself on the clock (a round opening or closing): stored in
# English like every label, shown in the reader's language (`AuditEvent.actor_display`).
SCHEDULED_ACTOR = "Bro (scheduled)"
SCHEDULED_ACTOR_DISPLAY = _("Bro (scheduled)")

_actor = ContextVar("audit_actor", default=None)


@contextmanager
def acting(user):
    """Events recorded in the block name `user` (a request's person) when no actor is given:
    NetworkMiddleware opens one around every request."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def label_of(obj):
    if obj is None:
        return ""
    email = getattr(obj, "email", "")
    name = str(obj)
    return f"{name} <{email}>" if email and name != email else name


def record(kind, *, network=None, actor=None, target=None, target_label="", scheduled=False,
           **details):
    """Append one event in `network` (a Network, its id, or None for a platform event).
    `actor` defaults to the person of the current request (`scheduled`: Bro itself, on the
    clock); `target` is a model instance (kept as its type, id and label). Call it inside the
    service's transaction, so the event is kept exactly when the change is."""
    actor = None if scheduled else actor if actor is not None else _actor.get()
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    return AuditEvent.objects.create(
        network_id=getattr(network, "pk", network), kind=kind,
        actor_id=getattr(actor, "pk", None),
        actor_label=SCHEDULED_ACTOR if scheduled else label_of(actor)[:254],
        target_type=target._meta.model_name if target is not None else "",
        target_id=getattr(target, "pk", None),
        target_label=(target_label or label_of(target))[:254],
        details=details)


# The trigger (migration tenancy 0004) lets an UPDATE through only while this is "on" in the
# transaction, and only one that empties labels and changes nothing else.
ERASING_LABELS_SETTING = "bro.erasing_labels"


def blank_labels(*, person_id, invitation_ids=(), network_ids=None):
    """Erasure: empty the labels that name a person (as the actor, as the target, or as an
    invited address) in past events; ids, kinds, times and details stay. `network_ids` limits
    it to those networks' events (None: every event, platform events too). Must run inside
    the erasing transaction: the trigger's permission ends with it."""
    where_network = "" if network_ids is None else " AND network_id = ANY(%(networks)s)"
    params = {"person": person_id, "invitations": list(invitation_ids),
              "networks": list(network_ids or [])}
    statements = [
        "UPDATE tenancy_auditevent SET actor_label = '' WHERE actor_id = %(person)s "
        "AND actor_label <> ''" + where_network,
        "UPDATE tenancy_auditevent SET target_label = '' WHERE target_label <> '' AND ("
        "(target_type = 'person' AND target_id = %(person)s) OR "
        "(target_type = 'invitation' AND target_id = ANY(%(invitations)s)))" + where_network,
    ]
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SELECT set_config(%s, 'on', true)", [ERASING_LABELS_SETTING])
        else:  # SQLite (the demo): no trigger, and no arrays
            statements = [sql.replace("= ANY(%(invitations)s)", "IN (SELECT value FROM "
                                      "json_each(%(invitations_json)s))")
                          .replace("= ANY(%(networks)s)", "IN (SELECT value FROM "
                                   "json_each(%(networks_json)s))") for sql in statements]
            params |= {"invitations_json": json.dumps(params["invitations"]),
                       "networks_json": json.dumps(params["networks"])}
        for sql in statements:
            cursor.execute(sql, params)
        if postgresql:
            cursor.execute("SELECT set_config(%s, 'off', true)", [ERASING_LABELS_SETTING])
