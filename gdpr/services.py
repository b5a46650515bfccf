"""Writes for personal data (README, "Your data (GDPR)"): a person's download of their
data, erasing a person, and erasing what a network's retention period has run out for.

Erasure keeps the person's row, deactivated and without name, email or password (`erased_at`
set), so the ids in the audit trail and under a group's texts stay one anonymous "former
member"; deleting the row would cascade into rows that are not theirs alone. Released
anonymous numbers are untouched: blocks are stored sums with plain ids (assessments/anonymity/
blocks.py), so removing a person's responses changes no number anyone was shown.
"""

import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.anonymity.blocks import lock_before_removing
from assessments.models import Poll, PollAnswer, Report, Response
from assessments.policies import personal_rounds_of
from cohorts.models import (
    CohortFacilitator,
    CohortMessage,
    GatheringRegistration,
    MessageDismissal,
)
from config.tasks import enqueue_on_commit
from gdpr import export, selectors
from gdpr.models import DataExport, ExportStatus, export_file_name
from modules.models import (
    ActivityCompletion,
    Ambition,
    GroupPair,
    GroupTaskAnswer,
    GroupTaskRevision,
    Initiative,
    InitiativeUpdate,
    Reflection,
)
from reminders.models import Nudge, ReminderDelivery, ReminderPreference
from tenancy import audit
from tenancy.models import Invitation, Network, Person, Role
from tenancy.scoping import platform_wide

logger = logging.getLogger(__name__)

EXPORT_STALE_MINUTES = 10
EXPORT_MAX_RETRIES = 3


# --- Download my data -----------------------------------------------------------------------


def export_is_stale(data_export, now=None):
    now = now or timezone.now()
    return data_export.in_progress and data_export.requested_at < now - timedelta(
        minutes=EXPORT_STALE_MINUTES
    )


@transaction.atomic
def request_export(person, language):
    """Queue a zip of the person's data; while one is on its way, that one is returned. An
    older download is removed: one copy of someone's data lying around is enough."""
    from gdpr.tasks import make_data_export

    earlier = list(DataExport.objects.select_for_update().filter(person=person))
    pending = next((e for e in earlier if e.in_progress and not export_is_stale(e)), None)
    if pending is not None:
        return pending
    _remove_exports(earlier)
    data_export = DataExport.objects.create(person=person, language=language)
    audit.record(audit.EventKind.DATA_EXPORT_REQUESTED, actor=person, target=person)
    enqueue_on_commit(make_data_export, data_export.pk)
    return data_export


def _remove_exports(exports):
    for data_export in exports:
        if data_export.file:
            data_export.file.storage.delete(data_export.file.name)
        data_export.delete()


def make_export(export_id):
    """Make the zip and store it under the download's one name (idempotent: the task may run
    again after a worker died). Returns the status."""
    with transaction.atomic():
        data_export = (
            DataExport.objects.select_for_update()
            .select_related("person")
            .filter(pk=export_id)
            .first()
        )
        if data_export is None or not data_export.in_progress:
            return "skipped"
        data_export.status, data_export.started_at = ExportStatus.WORKING, timezone.now()
        data_export.attempts += 1
        data_export.save(update_fields=["status", "started_at", "attempts"])
    content = export.build_zip(data_export.person, data_export.language)
    name = export_file_name(data_export, "")
    storage = data_export.file.storage
    if storage.exists(name):
        storage.delete(name)
    data_export.file.save(name, ContentFile(content), save=False)
    DataExport.objects.filter(pk=export_id).update(
        status=ExportStatus.READY, file=data_export.file.name, finished_at=timezone.now(), error=""
    )
    return ExportStatus.READY


def record_export_failure(export_id, error, *, final):
    """An attempt failed: queued again with the reason kept, or (the last) failed."""
    reason = " ".join(f"{type(error).__name__}: {error}".split())[:2000]
    if final:
        DataExport.objects.filter(pk=export_id).exclude(status=ExportStatus.READY).update(
            status=ExportStatus.FAILED, error=reason, finished_at=timezone.now()
        )
    else:
        DataExport.objects.filter(pk=export_id, status=ExportStatus.WORKING).update(
            status=ExportStatus.QUEUED, error=reason
        )


def record_export_download(data_export):
    audit.record(
        audit.EventKind.DATA_EXPORT_DOWNLOADED, actor=data_export.person, target=data_export.person
    )


# --- Erasure --------------------------------------------------------------------------------


class ErasureReason:
    ADMIN = "network_admin"
    STAFF = "platform_staff"
    SELF = "own_request"
    RETENTION = "retention"


def _networks_with_data(person):
    """Every network that holds a row of the person's (platform-wide, for this person only)."""
    email = person.email
    found = set()
    for queryset in (
        Role.objects.filter(person=person),
        Invitation.objects.filter(
            Q(email__iexact=email) | Q(accepted_by=person) | Q(invited_by=person)
        ),
        Response.objects.filter(person=person),
        Reflection.objects.filter(person=person),
        ActivityCompletion.objects.filter(person=person),
        GroupTaskAnswer.objects.filter(updated_by=person),
        GroupTaskRevision.objects.filter(changed_by=person),
        Ambition.objects.filter(updated_by=person),
        Report.objects.filter(requested_by=person),
        Nudge.objects.filter(sent_by=person),
        ReminderDelivery.objects.filter(Q(person=person) | Q(email__iexact=email)),
        CohortFacilitator.objects.filter(person=person),
        PollAnswer.objects.filter(person=person),
        GatheringRegistration.objects.filter(person=person),
        MessageDismissal.objects.filter(person=person),
        CohortMessage.objects.filter(sender=person),
        Poll.objects.filter(created_by=person),
    ):
        found.update(queryset.values_list("network_id", flat=True).distinct())
    return list(Network.objects.filter(pk__in=found).order_by("pk"))


def _erase_in_network(person, network, *, actor, reason):
    """Remove the person's rows in one network; group work stays the group's, without them."""
    email = person.email
    responses = list(
        Response.objects.for_network(network).filter(person=person).order_by("round_id", "pk")
    )
    for response in responses:
        lock_before_removing(response)
    Response.objects.for_network(network).filter(pk__in=[r.pk for r in responses]).delete()
    counts = {
        "responses": len(responses),
        "personal_rounds": personal_rounds_of(network, person).delete()[0],
        "reflections": Reflection.objects.for_network(network).filter(person=person).delete()[0],
        "completions": ActivityCompletion.objects.for_network(network)
        .filter(person=person)
        .delete()[0],
        # A released poll block keeps its counts; only the person's own answer goes.
        "poll_answers": PollAnswer.objects.for_network(network).filter(person=person).delete()[0],
        "registrations": GatheringRegistration.objects.for_network(network)
        .filter(person=person)
        .delete()[0],
    }
    MessageDismissal.objects.for_network(network).filter(person=person).delete()
    CohortMessage.objects.for_network(network).filter(sender=person).update(sender=None)
    Poll.objects.for_network(network).filter(created_by=person).update(created_by=None)
    GroupTaskAnswer.objects.for_network(network).filter(updated_by=person).update(updated_by=None)
    GroupTaskRevision.objects.for_network(network).filter(changed_by=person).update(changed_by=None)
    Ambition.objects.for_network(network).filter(updated_by=person).update(updated_by=None)
    Initiative.objects.for_network(network).filter(owner=person).update(owner=None)
    InitiativeUpdate.objects.for_network(network).filter(author=person).update(author=None)
    GroupPair.objects.for_network(network).filter(confirmed_by=person).update(confirmed_by=None)
    Report.objects.for_network(network).filter(requested_by=person).update(requested_by=None)
    Nudge.objects.for_network(network).filter(sent_by=person).update(sent_by=None)
    ReminderDelivery.objects.for_network(network).filter(
        Q(person=person) | Q(email__iexact=email)
    ).delete()
    CohortFacilitator.objects.for_network(network).filter(person=person).delete()
    invitations = Invitation.objects.for_network(network).filter(
        Q(email__iexact=email) | Q(accepted_by=person)
    )
    invitation_ids = list(invitations.values_list("pk", flat=True))
    Invitation.objects.for_network(network).filter(invited_by=person).update(invited_by=None)
    Invitation.objects.for_network(network).filter(pk__in=invitation_ids).delete()
    counts["roles"] = Role.objects.for_network(network).filter(person=person).delete()[0]
    audit.record(
        audit.EventKind.PERSON_ERASED,
        network=network,
        actor=actor,
        scheduled=reason == ErasureReason.RETENTION,
        target=person,
        target_label=f"#{person.pk}",
        reason=reason,
        **counts,
    )
    # Last, so the event just recorded loses the person's name too when they asked themselves.
    audit.blank_labels(person_id=person.pk, invitation_ids=invitation_ids, network_ids=[network.pk])


def _anonymise_account(person, *, actor, reason):
    """The account itself: no name, email, password, sign-in methods or settings left."""
    email = person.email
    EmailAddress.objects.filter(user=person).delete()
    SocialAccount.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    ReminderPreference.objects.filter(
        Q(person=person) | Q(person__isnull=True, email__iexact=email)
    ).delete()
    _remove_exports(DataExport.objects.filter(person=person))
    audit.record(
        audit.EventKind.PERSON_ERASED,
        actor=actor,
        scheduled=reason == ErasureReason.RETENTION,
        target=person,
        target_label=f"#{person.pk}",
        reason=reason,
        account=True,
    )
    audit.blank_labels(person_id=person.pk)
    person.email = f"erased-{person.pk}@erased.invalid"
    person.name = person.title = person.language = ""
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_network = None
    person.last_login = None
    person.erased_at = timezone.now()
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()


@transaction.atomic
def erase_person(person, *, network=None, actor=None, reason=ErasureReason.STAFF):
    """Erase a person's personal data: in one network (a network admin's erasure, and
    retention), or everywhere (`network` None: their own request, platform staff).

    The account is anonymised too once nothing ties it to a network any more (no role left
    anywhere, not platform staff), and then whatever rows it still has in other networks go
    with it. Returns True when the account was anonymised."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        return True
    with platform_wide():  # one person's rows, wherever they are
        networks = _networks_with_data(person) if network is None else [network]
        for each in networks:
            _erase_in_network(person, each, actor=actor, reason=reason)
        keeps_account = network is not None and (
            person.is_staff or Role.objects.filter(person=person).exists()
        )
        if keeps_account:
            return False
        for each in _networks_with_data(person):
            # Rows left in a network the person no longer held a role in (a leader removed
            # from their group) go with the account. Who erased is not named there: with a
            # network admin's erasure, that is someone of another network.
            with audit.acting(None):
                _erase_in_network(
                    person, each, actor=actor if network is None else None, reason=reason
                )
        _anonymise_account(person, actor=actor, reason=reason)
    return True


def erase_due_personal_data(today=None, *, dry_run=False):
    """Erase, in every network, the people its retention period has run out for (the daily
    Celery beat task). Returns [(network, [people])] of what was (or would be) erased."""
    today = today or timezone.localdate()
    due = []
    for network in Network.objects.order_by("pk"):
        people = selectors.people_due_for_erasure(network, today)
        if people:
            due.append((network, people))
    if not dry_run:
        for network, people in due:
            for person in people:
                erase_person(person, network=network, reason=ErasureReason.RETENTION)
                logger.info("Erased person %s in network %s (retention)", person.pk, network.pk)
    return due
