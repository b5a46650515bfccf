"""An audit event's details as the reader reads them: labels and values in their language.

Events store their details with stable English keys and raw values (tenancy/audit.py), so the
CSV stays machine-readable and old events read the same after a wording changes; this module
turns them into "Role: Coordinator · Organisation: Kristiansand kommune" for the page and the
CSV's readable column. A key or value it does not know is shown as stored.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenancy.models import Network, RoleKind, SignInKind

LABELS = {
    "role": gettext_lazy("Role"),
    "organisation": gettext_lazy("Organisation"),
    "group": gettext_lazy("Leader group"),
    "enrolled": gettext_lazy("Enrolled"),
    "invited": gettext_lazy("Invited"),
    "unchanged": gettext_lazy("Already there"),
    "moved_from": gettext_lazy("From"),
    "moved_to": gettext_lazy("To"),
    "previous": gettext_lazy("Before"),
    "k": gettext_lazy("Anonymity threshold (k)"),
    "months": gettext_lazy("Months"),
    "cohort": gettext_lazy("Cohort"),
    "opens_at": gettext_lazy("Opens"),
    "closes_at": gettext_lazy("Closes"),
    "opens_at_was": gettext_lazy("Opened before the change"),
    "closes_at_was": gettext_lazy("Closed before the change"),
    "rows": gettext_lazy("Rows"),
    "format": gettext_lazy("Format"),
    "method": gettext_lazy("How"),
    "provider": gettext_lazy("Identity provider"),
    "reason": gettext_lazy("Reason"),
    "type": gettext_lazy("Type"),
    "change": gettext_lazy("Change made"),
    "secret_changed": gettext_lazy("Secret changed"),
    "disconnected": gettext_lazy("Identities disconnected"),
    "fields": gettext_lazy("Changed"),
    "language": gettext_lazy("Language"),
    "reworded": gettext_lazy("Own wording"),
    "responses": gettext_lazy("Answers removed"),
    "reflections": gettext_lazy("Reflections removed"),
    "completions": gettext_lazy("Activities done removed"),
    "roles": gettext_lazy("Roles removed"),
    "account": gettext_lazy("The account itself"),
}

# Stored values that are codes, not words, under these keys only (a group's name stays as is).
CODED = {"role", "method", "reason", "type", "format", "change"}
VALUES = {
    "password": gettext_lazy("password"),
    "code": gettext_lazy("code by email"),
    "authenticator": gettext_lazy("authenticator app"),
    "totp": gettext_lazy("authenticator app"),
    "csv": "CSV",
    "xlsx": "Excel",
    "added": gettext_lazy("added"),
    "changed": gettext_lazy("changed"),
    "removed": gettext_lazy("removed"),
    "unknown": gettext_lazy("an identity nobody was invited for"),
    "other_network": gettext_lazy("no role in this network"),
    "network_admin": gettext_lazy("by a network admin"),
    "platform_staff": gettext_lazy("by platform staff"),
    "own_request": gettext_lazy("at the person's own request"),
    "retention": gettext_lazy("the retention period ran out"),
    **{kind.value: kind.label for kind in RoleKind},
    **{kind.value: kind.label for kind in SignInKind},
}

MOMENTS = {"opens_at", "closes_at", "opens_at_was", "closes_at_was"}


def _value(key, value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in MOMENTS and isinstance(value, str) and (moment := parse_datetime(value)):
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if key == "language":
        return str(dict(settings.LANGUAGES).get(value, value))
    if key == "fields" and isinstance(value, list):
        return ", ".join(str(_field_name(name)) for name in value)
    if key in CODED and isinstance(value, str):
        return str(VALUES.get(value, value))
    return str(value)


def _field_name(name):
    try:
        return Network._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name


def readable_details(details):
    """[(label, value)] in the active language, in the order they were stored."""
    return [(str(LABELS.get(key, key.replace("_", " "))), _value(key, value))
            for key, value in (details or {}).items() if value not in ("", None)]


def readable_text(details):
    return " · ".join(f"{label}: {value}" for label, value in readable_details(details))
