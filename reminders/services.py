"""Writes of the reminders app: the dispatcher, sending one delivery, switches, nudges.

Exactly-once, in practice at most once (invariant 4):
1. Planning inserts one ReminderDelivery per (person, kind, target) with ON CONFLICT DO NOTHING;
   the unique constraint, not a check-then-insert, decides, so parallel dispatchers are safe.
2. A send task takes a delivery id, locks the row with SELECT … FOR UPDATE SKIP LOCKED, and
   moves it planned → sending in a committed transaction before it talks to the mail server.
   A second task for the same row finds it locked or no longer planned and does nothing.
3. When the mail server refuses the message (an SMTP error reply, or no connection at all),
   it was certainly not sent: the row goes back to planned and the task retries with
   exponential backoff, a bounded number of times.
4. Anything else while sending (a connection lost mid-message, a worker killed) leaves the row
   in "sending"; after a lease the dispatcher marks it "unknown" and never resends it. The
   person may have got it or not; admins see it on the cohort's reminder page. We choose a
   possibly missed reminder over a possibly doubled one.
"""

import logging
import random
import smtplib
from datetime import timedelta

from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.reports.services import requeue_lost_reports
from cohorts.models import CohortMessage
from config.tasks import enqueue_each_on_commit, enqueue_on_commit
from reminders import clock, conf
from reminders.emails import build_message
from reminders.models import (
    DeliveryStatus,
    InvitationResend,
    Nudge,
    ReminderDelivery,
    ReminderKind,
    ReminderPreference,
    TargetType,
)
from reminders.planning import DISPATCHED, PLANS, local_date
from tenancy import audit
from tenancy.emails import absolute_url
from tenancy.models import Invitation
from tenancy.scoping import in_network_of_row, network_scope, platform_wide

logger = logging.getLogger(__name__)

SENT, SKIPPED, FAILED, UNKNOWN = "sent", "skipped", "failed", "unknown"
NOT_CLAIMABLE, UNPLANNED = "not claimable", "no longer due"


class SendDeferred(Exception):
    """The mail server did not take the message; try again after `countdown` seconds."""

    def __init__(self, countdown):
        super().__init__(countdown)
        self.countdown = countdown


# Planning ---------------------------------------------------------------------------------

def plan_due_reminders(now=None):
    """Insert a planned delivery for every due reminder not yet recorded; returns how many.
    Only listing the candidates reads across networks; each target is handled in its own
    network's scope."""
    now = now or clock.now()
    clock_allows = timezone.localtime(now).hour >= conf.get("REMINDER_EARLIEST_HOUR")
    created = 0
    for plan in DISPATCHED:
        if plan.by_the_clock and not clock_allows:
            continue
        with platform_wide():
            targets = list(plan.candidates(now))
        for target in targets:
            with network_scope(target.network_id):
                if plan.is_due(target, now):
                    created += record_due(plan, target, plan.recipients(target), now)
    return created


def record_due(plan, target, recipients, now, *, enqueued_at=None):
    """Planned deliveries for those recipients who have none yet and have not done the thing."""
    recorded = set(
        ReminderDelivery.objects.for_network(target.network_id)
        .filter(kind=plan.kind, target_type=plan.target_type, target_id=target.pk)
        .values_list("person_id", "email"))
    recorded_people = {person_id for person_id, _email in recorded if person_id}
    recorded_addresses = {email.lower() for person_id, email in recorded if not person_id}
    fresh = [r for r in recipients if (r.person.pk not in recorded_people if r.person
                                       else r.email.lower() not in recorded_addresses)]
    done = plan.done_among(target, [r.person.pk for r in fresh if r.person])
    rows = [ReminderDelivery(
        network_id=target.network_id, cohort_id=plan.cohort_id(target), person=r.person,
        email=r.email, kind=plan.kind, target_type=plan.target_type, target_id=target.pk,
        enqueued_at=enqueued_at)
        for r in fresh if not (r.person and r.person.pk in done)]
    # ON CONFLICT DO NOTHING: a parallel dispatcher that got there first wins, quietly.
    ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


@platform_wide()
def queue_planned(now=None):
    """Queue a send task for planned deliveries never queued, or queued long ago (the broker
    may have lost the message, or been down when it was published)."""
    from reminders.tasks import send_reminder

    now = now or clock.now()
    stale = now - timedelta(seconds=conf.get("REMINDER_REQUEUE_AFTER_SECONDS"))
    with transaction.atomic():
        ids = list(ReminderDelivery.objects.select_for_update(skip_locked=True)
                   .filter(status=DeliveryStatus.PLANNED)
                   .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=stale))
                   .order_by("pk").values_list("pk", flat=True)[:conf.get("REMINDER_QUEUE_BATCH")])
        ReminderDelivery.objects.filter(pk__in=ids).update(enqueued_at=now)
        enqueue_each_on_commit(send_reminder, [(pk,) for pk in ids])
    return len(ids)


@platform_wide()
def expire_stuck_sends(now=None):
    """Sends that outlived their lease: the worker died or hung mid-send. Not resent."""
    now = now or clock.now()
    lease = timedelta(seconds=conf.get("REMINDER_SEND_LEASE_SECONDS"))
    return ReminderDelivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - lease,
    ).update(status=DeliveryStatus.UNKNOWN, updated_at=now, error=(
        "The worker stopped while sending; not resent, so it may or may not have arrived."))


def dispatch(now=None):
    """What the periodic dispatcher does every few minutes."""
    now = now or clock.now()
    summary = {"unknown": expire_stuck_sends(now), "planned": plan_due_reminders(now),
               "invitations": resend_unsent_invitations(now)}
    summary["queued"] = queue_planned(now)
    summary["reports"] = requeue_lost_reports(now)
    return summary


# Sending ----------------------------------------------------------------------------------

def retry_countdown(attempts):
    base = conf.get("REMINDER_RETRY_BASE_SECONDS")
    return min(base * 2 ** max(attempts - 1, 0), 3600) * random.uniform(1, 1.25)  # noqa: S311


def _finish(delivery, status, *, error="", sent_at=None):
    """Move a row out of "sending"; a row the lease already marked unknown stays so."""
    return ReminderDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=status, error=error[:2000], sent_at=sent_at, updated_at=clock.now())


@in_network_of_row(ReminderDelivery, missing=NOT_CLAIMABLE)
def send_delivery(delivery_id):
    """Send one planned delivery at most once; see the module docstring."""
    now = clock.now()
    with transaction.atomic():
        delivery = (ReminderDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("network", "person")
                    .filter(pk=delivery_id, status=DeliveryStatus.PLANNED).first())
        if delivery is None:
            return NOT_CLAIMABLE
        plan = PLANS[delivery.kind]
        target = plan.load(delivery.network, delivery.target_id)
        person_ids = {delivery.person_id} if delivery.person_id else None
        if target is None or not plan.is_due(target, now) or not plan.recipients(
                target, person_ids=person_ids):
            # Dates moved or the person left: forget the plan, so a new date plans it again.
            delivery.delete()
            return UNPLANNED
        skip_reason = None
        if not is_enabled(delivery.kind, person=delivery.person, email=delivery.email):
            skip_reason = "Switched off by the person."
        elif delivery.person_id and plan.done_among(target, [delivery.person_id]):
            skip_reason = "Already done."
        if skip_reason:
            delivery.status, delivery.error = DeliveryStatus.SKIPPED, skip_reason
            delivery.save(update_fields=["status", "error", "updated_at"])
            return SKIPPED
        if delivery.attempts >= conf.get("REMINDER_MAX_ATTEMPTS"):
            delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["status", "updated_at"])
            return FAILED
        try:
            message = build_message(delivery, target, prepare(delivery, target))
        except Exception as error:  # a bug in one email must not stop the others
            logger.exception("Could not write reminder %s", delivery.pk)
            delivery.status, delivery.error = DeliveryStatus.FAILED, repr(error)[:2000]
            delivery.save(update_fields=["status", "error", "updated_at"])
            return FAILED
        delivery.status, delivery.claimed_at = DeliveryStatus.SENDING, now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts", "updated_at"])
    return _send_claimed(delivery, message)


def _send_claimed(delivery, message):
    connection = mail.mailers.default
    try:
        connection.open()
    except Exception as error:  # no connection: certainly not sent
        return _release(delivery, error)
    try:
        connection.send_messages([message])
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
        return _release(delivery, error)  # the server answered "no": not sent
    except Exception as error:  # lost mid-message: it may have arrived
        logger.warning("Reminder %s may or may not have been sent: %r", delivery.pk, error)
        _finish(delivery, DeliveryStatus.UNKNOWN, error=repr(error))
        return UNKNOWN
    finally:
        try:
            connection.close()
        except Exception:  # noqa: S110 - the message is already handed over
            pass
    _finish(delivery, DeliveryStatus.SENT, sent_at=clock.now())
    return SENT


def _release(delivery, error):
    """The message certainly did not go out: plan it again for a later attempt, or give up."""
    if delivery.attempts >= conf.get("REMINDER_MAX_ATTEMPTS"):
        _finish(delivery, DeliveryStatus.FAILED, error=repr(error))
        return FAILED
    countdown = retry_countdown(delivery.attempts)
    ReminderDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PLANNED, error=repr(error)[:2000], updated_at=clock.now(),
        # The retry is already on its way; the dispatcher leaves the row alone until then.
        enqueued_at=clock.now() + timedelta(seconds=countdown))
    raise SendDeferred(countdown)


def prepare(delivery, target):
    """What an email needs beyond the rows: a new link for an invitation reminder (only the
    token's hash is stored, so reminding means issuing a new token; the old link stops)."""
    if delivery.kind != ReminderKind.INVITATION_PENDING:
        return {}
    token = rotate_invitation_token(target)
    return {"accept_url": absolute_url(reverse("accept_invitation", args=[token]))}


def rotate_invitation_token(invitation):
    from tenancy.services import new_invitation_token

    token, invitation.token_hash = new_invitation_token()
    invitation.save(update_fields=["token_hash"])
    return token


# Invitations whose email never went out ---------------------------------------------------

def resend_unsent_invitations(now=None):
    """Invitations still unsent a few minutes after they were made (the broker was down, or
    the mail server) are sent again with a new link, with backoff and a bound. Only listing
    them reads across networks; each is resent in its own network's scope."""
    now = now or clock.now()
    waited = timedelta(minutes=conf.get("REMINDER_UNSENT_INVITATION_MINUTES"))
    with platform_wide():
        stale = list(Invitation.objects.filter(
            sent_at__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True,
            expires_at__gt=now, created_at__lte=now - waited).values_list("pk", flat=True)[:500])
    return sum(_resend_unsent(invitation_id, now, waited) for invitation_id in stale)


@in_network_of_row(Invitation, missing=0)
def _resend_unsent(invitation_id, now, waited):
    from tenancy.tasks import send_invitation_email

    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(skip_locked=True).filter(
            pk=invitation_id, sent_at__isnull=True, accepted_at__isnull=True,
            revoked_at__isnull=True).first()
        if invitation is None:
            return 0
        record, _created = InvitationResend.objects.select_for_update().get_or_create(
            invitation=invitation, defaults={"network_id": invitation.network_id})
        wait = waited * 2 ** record.count
        if record.count >= conf.get("REMINDER_INVITATION_RESENDS") or (
                record.last_sent_at and record.last_sent_at > now - wait):
            return 0
        token = rotate_invitation_token(invitation)
        record.count += 1
        record.last_sent_at = now
        record.save(update_fields=["count", "last_sent_at"])
        enqueue_on_commit(send_invitation_email, invitation.pk, token)
        return 1


# Switches ---------------------------------------------------------------------------------

def _switches(person=None, email=""):
    if person is not None:
        return ReminderPreference.objects.filter(person=person)
    return ReminderPreference.objects.filter(person__isnull=True, email__iexact=email)


def is_enabled(kind, *, person=None, email=""):
    switch = _switches(person, email).filter(kind=kind).first()
    return switch is None or switch.enabled


def enabled_kinds(person):
    off = set(_switches(person).filter(enabled=False).values_list("kind", flat=True))
    return {kind: kind not in off for kind in ReminderKind.values}


def set_enabled(kind, enabled, *, person=None, email=""):
    if person is not None:
        ReminderPreference.objects.update_or_create(
            person=person, kind=kind, defaults={"enabled": enabled})
        return
    switch = _switches(None, email).filter(kind=kind).first()
    if switch is None:
        try:
            with transaction.atomic():
                ReminderPreference.objects.create(email=email.lower(), kind=kind, enabled=enabled)
            return
        except IntegrityError:  # the same address clicked twice at once
            switch = _switches(None, email).get(kind=kind)
    switch.enabled = enabled
    switch.save(update_fields=["enabled", "updated_at"])


def save_switches(person, enabled_by_kind):
    with transaction.atomic():
        for kind, enabled in enabled_by_kind.items():
            set_enabled(kind, enabled, person=person)


# Nudges -----------------------------------------------------------------------------------

class AlreadyNudgedToday(Exception):
    def __init__(self, nudge):
        super().__init__(nudge.pk)
        self.nudge = nudge


class NothingToNudge(Exception):
    pass


def nudge(network, organisation, *, sent_by, cohort_module=None, round=None, now=None):  # noqa: A002
    """Remind the organisation's leaders who have not finished the pre-work of a module or an
    open assessment round. Once a day per organisation and thing."""
    from reminders.tasks import send_reminder

    now = now or clock.now()
    thing = {"cohort_module": cohort_module} if cohort_module else {"round": round}
    cohort = (cohort_module or round).cohort
    today = local_date(now)
    plan = PLANS[ReminderKind.COORDINATOR_NUDGE]
    with transaction.atomic():
        earlier = Nudge.objects.for_network(network).filter(
            organisation=organisation, sent_on=today, **thing).select_related("sent_by").first()
        if earlier is not None:
            raise AlreadyNudgedToday(earlier)
        try:
            with transaction.atomic():
                new = Nudge.objects.create(network=network, organisation=organisation,
                                           cohort=cohort, sent_by=sent_by, sent_on=today, **thing)
        except IntegrityError:  # another coordinator pressed the button a moment earlier
            raise AlreadyNudgedToday(Nudge.objects.for_network(network).select_related(
                "sent_by").get(organisation=organisation, sent_on=today, **thing)) from None
        if not plan.is_due(new, now):
            raise NothingToNudge
        record_due(plan, new, plan.recipients(new), now, enqueued_at=now)
        ids = list(ReminderDelivery.objects.for_network(network)
                   .filter(kind=plan.kind, target_type=TargetType.NUDGE, target_id=new.pk)
                   .values_list("pk", flat=True))
        new.recipient_count = len(ids)
        new.save(update_fields=["recipient_count"])
        enqueue_each_on_commit(send_reminder, [(pk,) for pk in ids])
    return new


def describe_nudge_refusal(nudge_):
    when = timezone.localtime(nudge_.created_at).strftime("%H:%M")
    who = nudge_.sent_by.name if nudge_.sent_by else ""
    return _("They were already reminded of this today at %(time)s%(by)s. You can remind them "
             "again tomorrow.") % {"time": when, "by": f" ({who})" if who else ""}


# Messages from facilitators and network admins ---------------------------------------------

def send_cohort_message(network, cohort, *, leader_group, subject, body, days, sender,
                        now=None):
    """Store a message to the cohort's leaders (or one group's), email it once to each in
    their language through the same once-only deliveries as the reminders, and record it."""
    from reminders.tasks import send_reminder

    now = now or clock.now()
    plan = PLANS[ReminderKind.COHORT_MESSAGE]
    with transaction.atomic():
        message = CohortMessage.objects.create(
            network=network, cohort=cohort, leader_group=leader_group, sender=sender,
            subject=subject, body=body, sent_at=now, shown_until=now + timedelta(days=days))
        record_due(plan, message, plan.recipients(message), now, enqueued_at=now)
        ids = list(ReminderDelivery.objects.for_network(network)
                   .filter(kind=plan.kind, target_type=plan.target_type, target_id=message.pk)
                   .values_list("pk", flat=True))
        message.recipient_count = len(ids)
        message.save(update_fields=["recipient_count"])
        audit.record(audit.EventKind.MESSAGE_SENT, network=network, actor=sender,
                     target=message, recipients=len(ids), cohort=cohort.name,
                     group=leader_group.name if leader_group else "")
        enqueue_each_on_commit(send_reminder, [(pk,) for pk in ids])
    return message
