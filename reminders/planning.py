"""What is due now, for whom, and who has already done the thing: one plan per reminder kind.

Every answer is computed from the current rows (CohortModule, Gathering, Round, Invitation,
Nudge) whenever it is asked, at planning and again at sending, so a changed date moves its
reminders with it and nothing about dates is copied anywhere.

`candidates(now)` is platform-wide on purpose (the dispatcher serves every network, and lists
them inside `platform_wide()`, see services.plan_due_reminders); everything else (`is_due`,
`recipients`, `done_among`) runs in the target's network scope. `candidates` narrows
with the database, `is_due(target, now)` decides in Python, and both the dispatcher and the
send task ask the same `is_due`. Who has done what, and when pre-work is open, is
modules.progress's rule, the same the leader and the coordinator see.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone

from assessments.models import Round
from cohorts.models import CohortMessage, CohortModule, Gathering
from cohorts.schedule import gathering_of
from modules.progress import done_by, done_with_phase, prework_is_open
from programmes.models import PhaseKind
from reminders import conf
from reminders.models import Nudge, ReminderDelivery, ReminderKind, TargetType
from tenancy.models import Invitation, Person, Role, RoleKind


@dataclass(frozen=True)
class Recipient:
    person: Person | None
    email: str


def local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def local_date(moment):
    return timezone.localtime(moment).date()


def cohort_leaders(cohort, *, organisation=None, group=None, person_ids=None):
    """Active leaders of the cohort's groups (of one organisation or group, if given)."""
    roles = Role.objects.for_network(cohort.network_id).filter(
        kind=RoleKind.LEADER, leader_group__in=cohort.leader_groups.all())
    if organisation is not None:
        roles = roles.filter(leader_group__organisation=organisation)
    if group is not None:
        roles = roles.filter(leader_group=group)
    people = Person.objects.filter(is_active=True, pk__in=roles.values("person_id"))
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    return people.order_by("pk")


def submitted(round_, person_ids):
    """Who of these has submitted the round (modules.progress.Done.submitted_round)."""
    person_ids = list(person_ids)
    done = done_by(round_.network_id, person_ids, [round_.cohort_id], activity_ids=[])
    return {person_id for person_id in person_ids if done.submitted_round(person_id, round_.pk)}


def round_is_open(round_, now):
    return round_.opens_at <= now < round_.closes_at


class Plan:
    kind = None
    target_type = None
    model = None
    # Sent only from the earliest hour of the day (local time) on.
    by_the_clock = True

    def candidates(self, now):
        return self.model.objects.none()

    def load(self, network, target_id):
        return self.model.objects.for_network(network).filter(pk=target_id).first()

    def is_due(self, target, now):
        raise NotImplementedError

    def cohort_id(self, target):
        return target.cohort_id

    def recipients(self, target, person_ids=None):
        raise NotImplementedError

    def done_among(self, target, person_ids):
        raise NotImplementedError


class CohortModulePlan(Plan):
    target_type = TargetType.COHORT_MODULE
    model = CohortModule

    def load(self, network, target_id):
        return (CohortModule.objects.for_network(network)
                .select_related("cohort", "module", "gathering").filter(pk=target_id).first())

    def recipients(self, target, person_ids=None):
        return [Recipient(person, person.email)
                for person in cohort_leaders(target.cohort, person_ids=person_ids)]


class PreworkOpens(CohortModulePlan):
    kind = ReminderKind.PREWORK_OPENS

    def candidates(self, now):
        return (CohortModule.objects.select_related("cohort", "module", "gathering")
                .filter(prework_opens_on__lte=local_date(now))
                .filter(Q(gathering__starts_at__gt=now)
                        | Q(gathering__isnull=True, postwork_due_on__gte=local_date(now))))

    def is_due(self, target, now):
        return prework_is_open(target, now)

    def done_among(self, target, person_ids):
        return done_with_phase(target, person_ids, PhaseKind.PREWORK)


class PreworkDue(CohortModulePlan):
    kind = ReminderKind.PREWORK_DUE

    @staticmethod
    def window_opens(gathering):
        days = conf.get("REMINDER_PREWORK_DUE_DAYS")
        return local_date(gathering.starts_at) - timedelta(days=days)

    def candidates(self, now):
        days = conf.get("REMINDER_PREWORK_DUE_DAYS")
        horizon = local_midnight(local_date(now) + timedelta(days=days + 1))
        return (CohortModule.objects.select_related("cohort", "module", "gathering")
                .filter(gathering__starts_at__gt=now, gathering__starts_at__lt=horizon))

    def is_due(self, target, now):
        gathering = gathering_of(target)
        if gathering is None or now >= gathering.starts_at:
            return False
        opens = self.window_opens(gathering)
        # Pre-work that opened inside the window already had its "opens" reminder.
        return target.prework_opens_on < opens <= local_date(now)

    def done_among(self, target, person_ids):
        return done_with_phase(target, person_ids, PhaseKind.PREWORK)


class PostworkDue(CohortModulePlan):
    kind = ReminderKind.POSTWORK_DUE

    def candidates(self, now):
        today = local_date(now)
        days = conf.get("REMINDER_POSTWORK_DUE_DAYS")
        return (CohortModule.objects.select_related("cohort", "module", "gathering")
                .filter(postwork_due_on__gte=today,
                        postwork_due_on__lte=today + timedelta(days=days)))

    def is_due(self, target, now):
        today = local_date(now)
        days = conf.get("REMINDER_POSTWORK_DUE_DAYS")
        if not today <= target.postwork_due_on <= today + timedelta(days=days):
            return False
        gathering = gathering_of(target)
        return gathering is None or gathering.ends_at <= now

    def done_among(self, target, person_ids):
        return done_with_phase(target, person_ids, PhaseKind.POSTWORK)


class GatheringTomorrow(Plan):
    kind = ReminderKind.GATHERING_TOMORROW
    target_type = TargetType.GATHERING
    model = Gathering

    def candidates(self, now):
        tomorrow = local_date(now) + timedelta(days=1)
        return (Gathering.objects
                .select_related("cohort_module__cohort", "cohort_module__module")
                .filter(starts_at__gte=local_midnight(tomorrow),
                        starts_at__lt=local_midnight(tomorrow + timedelta(days=1))))

    def load(self, network, target_id):
        return (Gathering.objects.for_network(network)
                .select_related("cohort_module__cohort", "cohort_module__module")
                .filter(pk=target_id).first())

    def is_due(self, target, now):
        return local_date(target.starts_at) == local_date(now) + timedelta(days=1)

    def cohort_id(self, target):
        return target.cohort_module.cohort_id

    def recipients(self, target, person_ids=None):
        return [Recipient(person, person.email) for person in
                cohort_leaders(target.cohort_module.cohort, person_ids=person_ids)]

    def done_among(self, target, person_ids):
        return set()


class RoundPlan(Plan):
    target_type = TargetType.ROUND
    model = Round

    def load(self, network, target_id):
        return (Round.objects.for_network(network).select_related("cohort")
                .filter(pk=target_id).first())

    def recipients(self, target, person_ids=None):
        return [Recipient(person, person.email)
                for person in cohort_leaders(target.cohort, person_ids=person_ids)]

    def done_among(self, target, person_ids):
        return submitted(target, person_ids)


class RoundOpens(RoundPlan):
    kind = ReminderKind.ROUND_OPENS
    by_the_clock = False  # a round opens at a moment of its own

    def candidates(self, now):
        return Round.objects.select_related("cohort").filter(opens_at__lte=now, closes_at__gt=now)

    def is_due(self, target, now):
        return round_is_open(target, now)


class RoundCloses(RoundPlan):
    kind = ReminderKind.ROUND_CLOSES

    def candidates(self, now):
        days = conf.get("REMINDER_ROUND_CLOSES_DAYS")
        return Round.objects.select_related("cohort").filter(
            opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + timedelta(days=days))

    def is_due(self, target, now):
        window = timedelta(days=conf.get("REMINDER_ROUND_CLOSES_DAYS"))
        # A round that opened inside the window already had its "opens" reminder.
        return (round_is_open(target, now) and target.closes_at - window <= now
                and target.opens_at < target.closes_at - window)


class InvitationPending(Plan):
    kind = ReminderKind.INVITATION_PENDING
    target_type = TargetType.INVITATION
    model = Invitation

    def after(self):
        return timedelta(days=conf.get("REMINDER_INVITATION_AFTER_DAYS"))

    def candidates(self, now):
        # An invitation reminded once is
        # left out here, so later runs do not look at it again until it expires.
        already_reminded = ReminderDelivery.objects.filter(
            kind=self.kind, target_type=self.target_type, target_id=OuterRef("pk"))
        return Invitation.objects.select_related("network").filter(
            accepted_at__isnull=True, revoked_at__isnull=True, sent_at__lte=now - self.after(),
            expires_at__gt=now,
        ).exclude(Exists(already_reminded))

    def load(self, network, target_id):
        return (Invitation.objects.for_network(network).select_related("network", "invited_by")
                .filter(pk=target_id).first())

    def is_due(self, target, now):
        return (target.accepted_at is None and target.revoked_at is None
                and target.sent_at is not None
                and target.sent_at <= now - self.after() and target.expires_at > now)

    def cohort_id(self, target):
        return None

    def recipients(self, target, person_ids=None):
        # Lower(email) matches the unique index on it; email__iexact (UPPER) would scan.
        person = (Person.objects.annotate(email_key=Lower("email"))
                  .filter(email_key=target.email.lower(), is_active=True).first())
        if person_ids is not None and (person is None or person.pk not in person_ids):
            return []
        return [Recipient(person, person.email if person else target.email)]

    def done_among(self, target, person_ids):
        return set() if target.accepted_at is None else set(person_ids)


class CoordinatorNudge(Plan):
    """Not found by the dispatcher: a coordinator creates these (reminders.services.nudge)."""

    kind = ReminderKind.COORDINATOR_NUDGE
    target_type = TargetType.NUDGE
    model = Nudge
    by_the_clock = False

    def load(self, network, target_id):
        return (Nudge.objects.for_network(network)
                .select_related("organisation", "cohort", "sent_by", "cohort_module__module",
                                "cohort_module__gathering", "round")
                .filter(pk=target_id).first())

    def is_due(self, target, now):
        if local_date(now) > target.sent_on + timedelta(days=1):
            return False
        if target.round_id:
            return round_is_open(target.round, now)
        return prework_is_open(target.cohort_module, now)

    def recipients(self, target, person_ids=None):
        return [Recipient(person, person.email) for person in cohort_leaders(
            target.cohort, organisation=target.organisation, person_ids=person_ids)]

    def done_among(self, target, person_ids):
        if target.round_id:
            return submitted(target.round, person_ids)
        return done_with_phase(target.cohort_module, person_ids, PhaseKind.PREWORK)


class CohortMessagePlan(Plan):
    """Not found by the dispatcher: a facilitator or network admin writes these
    (reminders.services.send_cohort_message); sent while the message is still shown."""

    kind = ReminderKind.COHORT_MESSAGE
    target_type = TargetType.MESSAGE
    model = CohortMessage
    by_the_clock = False

    def load(self, network, target_id):
        return (CohortMessage.objects.for_network(network)
                .select_related("cohort", "leader_group", "sender").filter(pk=target_id).first())

    def is_due(self, target, now):
        return now < target.shown_until

    def recipients(self, target, person_ids=None):
        return [Recipient(person, person.email) for person in cohort_leaders(
            target.cohort, group=target.leader_group, person_ids=person_ids)]

    def done_among(self, target, person_ids):
        return set()


PLANS = {plan.kind: plan for plan in (
    PreworkOpens(), PreworkDue(), GatheringTomorrow(), PostworkDue(), RoundOpens(),
    RoundCloses(), InvitationPending(), CoordinatorNudge(), CohortMessagePlan())}

# The kinds the dispatcher looks for by itself (nudges and messages are written by people).
DISPATCHED = [plan for plan in PLANS.values()
              if plan.kind not in (ReminderKind.COORDINATOR_NUDGE, ReminderKind.COHORT_MESSAGE)]
