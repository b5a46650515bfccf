"""Writes on cohorts: schedules, who takes part, copies of a cohort, enrolment of leaders, and
moving or removing a leader.

Enrolling a list of leaders takes a fixed number of queries however long the list is: people,
roles and invitations are read and written in bulk.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts import selectors
from cohorts.models import (
    Cohort,
    CohortModule,
    Gathering,
    GatheringRegistration,
    MessageDismissal,
)
from cohorts.schedule import schedule_problems, shift_datetime, suggested_dates
from config.tasks import enqueue_each_on_commit
from tenancy import audit
from tenancy.models import Invitation, Person, Role, RoleKind

# The same hashing as tenancy.services.create_invitation, so tenancy.services.find_invitation
# and accept_invitation work for invitations created here in bulk.
from tenancy.services import new_invitation_token


def _check_network(network_id, *objects):
    if any(obj.network_id != network_id for obj in objects):
        raise ValidationError("An object of another network.")


def _add_modules(cohort, modules):
    """Give the cohort these programme modules (those it lacks) with suggested dates."""
    have = set(cohort.cohort_modules.values_list("module_id", flat=True))
    ordered = sorted(modules, key=lambda module: module.position)
    for index, module in enumerate(ordered):
        if module.pk in have:
            continue
        if module.programme_id != cohort.programme_id:
            raise ValidationError("The module belongs to another programme.")
        dates = suggested_dates(cohort.starts_on, index)
        cohort_module = CohortModule.objects.create(
            network_id=cohort.network_id, cohort=cohort, module=module,
            position=module.position, prework_opens_on=dates.prework_opens_on,
            postwork_due_on=dates.postwork_due_on)
        Gathering.objects.create(
            network_id=cohort.network_id, cohort_module=cohort_module,
            starts_at=dates.gathering_starts_at, ends_at=dates.gathering_ends_at)


@transaction.atomic
def create_cohort(network, *, programme, name, starts_on, modules, competence_wheel=False):
    """A new cohort running `modules` of the programme, each with suggested dates to adjust."""
    cohort = Cohort.objects.create(network=network, programme=programme, name=name,
                                   starts_on=starts_on, competence_wheel=competence_wheel)
    _add_modules(cohort, modules)
    return cohort


@transaction.atomic
def update_cohort(cohort, *, name, starts_on, competence_wheel, modules):
    """Rename or re-date the cohort and change which modules it runs (a removed module takes
    its dates and gathering with it; the leaders' own work is kept)."""
    cohort.name, cohort.starts_on, cohort.competence_wheel = name, starts_on, competence_wheel
    cohort.save(update_fields=["name", "starts_on", "competence_wheel"])
    cohort.cohort_modules.exclude(module__in=modules).delete()
    _add_modules(cohort, modules)
    return cohort


@transaction.atomic
def update_cohort_module(cohort_module, *, prework_opens_on, postwork_due_on, starts_at,
                         ends_at, place="", online_url="", agenda="", speakers="",
                         resources=()):
    """Set a module's dates, its gathering and the network's own resources it adds (shared
    library resources chosen on the tailor page stay)."""
    problems = schedule_problems(prework_opens_on, starts_at, ends_at, postwork_due_on)
    if problems:
        raise ValidationError(problems)
    resources = list(resources)
    if any(resource.network_id != cohort_module.network_id for resource in resources):
        raise ValidationError("Only the network's own resources can be added.")
    cohort_module.prework_opens_on = prework_opens_on
    cohort_module.postwork_due_on = postwork_due_on
    cohort_module.save(update_fields=["prework_opens_on", "postwork_due_on"])
    Gathering.objects.for_network(cohort_module.network_id).update_or_create(
        cohort_module=cohort_module,
        defaults={"network_id": cohort_module.network_id, "starts_at": starts_at,
                  "ends_at": ends_at, "place": place, "online_url": online_url,
                  "agenda": agenda, "speakers": speakers})
    cohort_module.resources.set(
        resources + list(cohort_module.resources.filter(network__isnull=True)))
    return cohort_module


@transaction.atomic
def set_participants(cohort, *, organisations, leader_groups, facilitators):
    """Who takes part. A group's organisation takes part with it, so its coordinator follows."""
    organisations, leader_groups = list(organisations), list(leader_groups)
    _check_network(cohort.network_id, *organisations, *leader_groups)
    facilitator_ids = set(selectors.facilitator_candidates(cohort.network_id)
                          .values_list("pk", flat=True))
    if any(person.pk not in facilitator_ids for person in facilitators):
        raise ValidationError("Facilitators must hold the facilitator role in the network.")
    organisation_ids = {o.pk for o in organisations}
    organisation_ids |= {g.organisation_id for g in leader_groups if g.organisation_id}
    cohort.organisations.set(organisation_ids)
    cohort.leader_groups.set(leader_groups)
    cohort.facilitators.set(facilitators)


@transaction.atomic
def copy_cohort(cohort, *, name, days, include_groups=False):
    """A new cohort with the same modules, gatherings, resources, facilitators and
    organisations, every date `days` later (gatherings keep their local time of day)."""
    shift = timedelta(days=days)
    copy = Cohort.objects.create(
        network_id=cohort.network_id, programme_id=cohort.programme_id, name=name,
        starts_on=cohort.starts_on + shift, competence_wheel=cohort.competence_wheel)
    copy.organisations.set(cohort.organisations.all())
    copy.facilitators.set(cohort.facilitators.all())
    if include_groups:
        copy.leader_groups.set(cohort.leader_groups.all())
    for cohort_module in selectors.cohort_schedule(cohort):
        new_module = CohortModule.objects.create(
            network_id=cohort.network_id, cohort=copy, module_id=cohort_module.module_id,
            position=cohort_module.position,
            prework_opens_on=cohort_module.prework_opens_on + shift,
            postwork_due_on=cohort_module.postwork_due_on + shift)
        new_module.resources.set(cohort_module.resources.all())
        gathering = getattr(cohort_module, "gathering", None)
        if gathering is not None:
            Gathering.objects.create(
                network_id=cohort.network_id, cohort_module=new_module,
                starts_at=shift_datetime(gathering.starts_at, days),
                ends_at=shift_datetime(gathering.ends_at, days), place=gathering.place,
                online_url=gathering.online_url, agenda=gathering.agenda,
                speakers=gathering.speakers)
    return copy


# --- Enrolment ------------------------------------------------------------------------------


def _new_person(leader):
    person = Person(email=Person.objects.normalize_email(leader.email).strip(),
                    name=leader.name, title=leader.title, language=leader.language)
    person.set_unusable_password()
    return person


def _invite_in_bulk(network, group, leaders_and_people, invited_by):
    """One invitation per new person, each emailed once the transaction commits."""
    from tenancy.tasks import send_invitation_email

    expires_at = timezone.now() + timedelta(days=Invitation.VALID_FOR_DAYS)
    tokens, invitations = [], []
    for leader, person in leaders_and_people:
        token, token_hash = new_invitation_token()
        tokens.append(token)
        invitations.append(Invitation(
            network=network, email=person.email, name=leader.name, title=leader.title,
            language=leader.language or network.default_language, kind=RoleKind.LEADER,
            organisation_id=group.organisation_id, leader_group=group,
            token_hash=token_hash, invited_by=invited_by, expires_at=expires_at))
    Invitation.objects.bulk_create(invitations)
    enqueue_each_on_commit(send_invitation_email, [
        (invitation.pk, token) for invitation, token in zip(invitations, tokens, strict=True)])
    return invitations


@transaction.atomic
def enrol_leaders(network, group, leaders, *, invited_by):
    """Enrol checked leaders (cohorts.enrolment.parse_leaders) in the group.

    New people get an account and an invitation; people of this network are added; an account
    known only to other networks is reused but gets an invitation like a new person, and keeps
    its own name and title. Those already in the group, or already invited to it, are left as
    they are. Answers the plan that was carried out."""
    _check_network(network.pk, group)
    plan = selectors.enrolment_plan(network, group, leaders)
    Person.objects.bulk_create([_new_person(leader) for leader in plan.new],
                               ignore_conflicts=True)
    created = selectors.people_by_email(leader.email for leader in plan.new)
    new_people = [(leader, created[leader.key]) for leader in plan.new]

    filled = []
    for leader, person in plan.known:
        changed = [name for name in ("name", "title")
                   if getattr(leader, name) and not getattr(person, name)]
        for name in changed:
            setattr(person, name, getattr(leader, name))
        if changed:
            filled.append(person)
    if filled:
        Person.objects.bulk_update(filled, ["name", "title"])

    Role.objects.bulk_create(
        [Role(network=network, person=person, kind=RoleKind.LEADER, leader_group=group)
         for _leader, person in [*new_people, *plan.known, *plan.outside]],
        ignore_conflicts=True)
    _invite_in_bulk(network, group, [*new_people, *plan.outside], invited_by)
    audit.record(audit.EventKind.LEADERS_ENROLLED, network=network, actor=invited_by,
                 target=group, enrolled=plan.to_enrol, invited=len(plan.invitees),
                 unchanged=len(plan.enrolled) + len(plan.invited))
    return plan


class AlreadyInGroup(Exception):
    pass


@transaction.atomic
def move_leader(role, group):
    """Move a leader to another group; an unanswered invitation follows them. Assessment
    answers keep the group they were given in (assessments.Response)."""
    if group.network_id != role.network_id or role.kind != RoleKind.LEADER:
        raise ValidationError("Another network's group.")
    if Role.objects.for_network(role.network_id).filter(
            kind=RoleKind.LEADER, person_id=role.person_id, leader_group=group).exists():
        raise AlreadyInGroup(_("%(name)s is already a leader in %(group)s.")
                             % {"name": role.person, "group": group})
    previous = role.leader_group
    role.leader_group = group
    role.save(update_fields=["leader_group"])
    _pending_invitations(role, previous.pk).update(
        leader_group=group, organisation_id=group.organisation_id)
    audit.record(audit.EventKind.LEADER_MOVED, network=role.network_id, target=role.person,
                 moved_from=previous.name, moved_to=group.name)
    return role


@transaction.atomic
def remove_leader(role):
    """Take a leader out of their group: the role goes (and an unanswered invitation to the
    group); their own reflections, completions and answers stay theirs."""
    _pending_invitations(role, role.leader_group_id).delete()
    audit.record(audit.EventKind.LEADER_REMOVED, network=role.network_id, target=role.person,
                 group=role.leader_group.name)
    role.delete()


def _pending_invitations(role, group_id):
    return Invitation.objects.for_network(role.network_id).filter(
        kind=RoleKind.LEADER, leader_group_id=group_id, email__iexact=role.person.email,
        accepted_at__isnull=True, revoked_at__isnull=True)


def register_for_gathering(network, gathering, person, coming, now=None):
    """A leader's "coming" or "not coming"; answering again replaces the answer."""
    now = now or timezone.now()
    GatheringRegistration.objects.for_network(network).update_or_create(
        network=network, gathering=gathering, person=person,
        defaults={"coming": coming, "answered_at": now})


def mark_attendance(network, gathering, person, attended, now=None):
    """A facilitator marks at the door whether a leader of the cohort came."""
    now = now or timezone.now()
    GatheringRegistration.objects.for_network(network).update_or_create(
        network=network, gathering=gathering, person=person,
        defaults={"attended": attended, "attendance_marked_at": now})


def record_attendance_export(network, gathering, rows, file_format):
    audit.record(audit.EventKind.ATTENDANCE_EXPORTED, network=network, target=gathering,
                 rows=rows, format=file_format)


def dismiss_message(network, message, person):
    """The leader has read it: What's next no longer shows it (twice is harmless)."""
    MessageDismissal.objects.for_network(network).get_or_create(
        network=network, message=message, person=person)
