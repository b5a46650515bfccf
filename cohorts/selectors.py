"""Reads on cohorts: schedules and who takes part (who has done what is read in the modules
app, which may see completions and assessments). Every read here takes a fixed number of
queries, whatever the number of leaders, groups or activities.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from cohorts import policies
from cohorts.models import (
    Cohort,
    CohortMessage,
    CohortModule,
    Gathering,
    GatheringRegistration,
    MessageDismissal,
)
from cohorts.schedule import current_module
from tenancy.models import Invitation, Person, Role, RoleKind


def network_cohorts(network):
    return (Cohort.objects.for_network(network).select_related("programme")
            .annotate(module_count=Count("cohort_modules", distinct=True),
                      group_count=Count("leader_groups", distinct=True),
                      organisation_count=Count("organisations", distinct=True))
            .order_by("-starts_on", "name"))


def invitation_cohort(invitation):
    """(cohort, its next gathering or None) an invitation is for: the latest cohort of the
    invited group, else of the organisation, else of the network; (None, None) without one."""
    cohorts = Cohort.objects.for_network(invitation.network_id).select_related("programme")
    if invitation.leader_group_id:
        cohorts = cohorts.filter(leader_groups=invitation.leader_group_id)
    elif invitation.organisation_id:
        cohorts = cohorts.filter(organisations=invitation.organisation_id)
    cohort = cohorts.order_by("-starts_on", "-pk").first()
    if cohort is None:
        return None, None
    gathering = (Gathering.objects.for_network(invitation.network_id)
                 .filter(cohort_module__cohort=cohort, ends_at__gte=timezone.now())
                 .order_by("starts_at").first())
    return cohort, gathering


def cohort_schedule(cohort):
    """The cohort's modules in order (CohortModule.Meta.ordering: position, then id), with
    their gathering and the network's own resources."""
    return list(cohort.cohort_modules.select_related("module", "gathering")
                .prefetch_related("resources"))


def current_cohort_module(cohort_modules, today=None):
    """The module running today, else the next one, else the last (None without modules)."""
    return current_module(cohort_modules, today or timezone.localdate())


def facilitator_candidates(network):
    """People who hold the facilitator role in the network."""
    return Person.objects.filter(
        pk__in=Role.objects.for_network(network).filter(kind=RoleKind.FACILITATOR)
        .values("person")).order_by("name", "email")


def own_resources(network):
    """The network's own resources (not the shared library), for a cohort module."""
    from resources.models import Resource

    return Resource.objects.of_network(network).order_by("slug")


def cohorts_of_organisation(network, organisation):
    return (Cohort.objects.for_network(network)
            .filter(Q(organisations=organisation) | Q(leader_groups__organisation=organisation))
            .distinct().order_by("-starts_on"))


def group_schedule(network, roles, group):
    """The modules of the group's cohorts with their gatherings, and which gatherings' calendar
    files this person may download."""
    cohort_modules = list(
        CohortModule.objects.for_network(network).filter(cohort__leader_groups=group)
        .select_related("cohort", "module", "gathering")
        .order_by("cohort__starts_on", "cohort_id", "position"))
    visible = set(policies.gatherings_person_can_see(network, roles).filter(
        cohort_module__in=cohort_modules).values_list("pk", flat=True))
    return cohort_modules, visible


# --- Enrolment ------------------------------------------------------------------------------


def people_by_email(emails):
    """{lower-cased email: Person} for the accounts these emails already have (one query)."""
    keys = {email.lower() for email in emails}
    if not keys:
        return {}
    return {person.email_key: person for person in
            Person.objects.annotate(email_key=Lower("email")).filter(email_key__in=keys)}


@dataclass
class EnrolmentPlan:
    """What enrolling a checked list in a group does, person by person."""

    new: list  # no account yet: an account and an invitation
    known: list  # (leader, person) with a role in this network: added to the group
    outside: list  # (leader, person) whose account is only known to other networks
    enrolled: list  # (leader, person) already a leader in the group: nothing to do
    invited: list  # invited to the group and not yet answered: nothing to do

    @property
    def invitees(self):
        """Everyone who gets an invitation. An account known only to other networks is shown
        as typed, like a new person's, so a list never tells whether an email has an account
        elsewhere or whose name it carries there (invariant 1)."""
        return [*self.new, *(leader for leader, _person in self.outside)]

    @property
    def to_enrol(self):
        return len(self.new) + len(self.known) + len(self.outside)


def enrolment_plan(network, group, leaders):
    """Sort checked leaders into new people, known people and those already in the group, in
    three queries however long the list is."""
    people = people_by_email(leader.email for leader in leaders)
    roles_here = list(Role.objects.for_network(network).filter(
        person__in=[person.pk for person in people.values()])
        .values_list("person_id", "kind", "leader_group_id"))
    in_network_ids = {person_id for person_id, _kind, _group_id in roles_here}
    enrolled_ids = {person_id for person_id, kind, group_id in roles_here
                    if kind == RoleKind.LEADER and group_id == group.pk}
    invited = set(Invitation.objects.for_network(network)
                  .filter(leader_group=group, accepted_at__isnull=True, revoked_at__isnull=True,
                          expires_at__gt=timezone.now())
                  .annotate(email_key=Lower("email"))
                  .filter(email_key__in=[leader.key for leader in leaders])
                  .values_list("email_key", flat=True))
    plan = EnrolmentPlan([], [], [], [], [])
    for leader in leaders:
        person = people.get(leader.key)
        if person is not None and person.pk in enrolled_ids:
            plan.enrolled.append((leader, person))
        elif person is not None and person.pk in in_network_ids:
            plan.known.append((leader, person))
        elif person is not None:
            plan.outside.append((leader, person))
        elif leader.key in invited:
            plan.invited.append(leader)
        else:
            plan.new.append(leader)
    return plan


@dataclass
class AttendanceRow:
    person: Person
    group: object
    coming: bool | None
    attended: bool


@dataclass
class Attendance:
    rows: list

    @property
    def coming(self):
        return sum(1 for row in self.rows if row.coming)

    @property
    def not_coming(self):
        return sum(1 for row in self.rows if row.coming is False)

    @property
    def unanswered(self):
        return sum(1 for row in self.rows if row.coming is None)

    @property
    def attended(self):
        return sum(1 for row in self.rows if row.attended)


def gathering_attendance(network, gathering, groups):
    """Every leader of these groups with their answer and whether they came, by group and
    name (two queries, whatever the number of leaders). A leader in two groups is listed
    once, under the first."""
    roles = (Role.objects.for_network(network)
             .filter(kind=RoleKind.LEADER, leader_group__in=groups, person__is_active=True)
             .select_related("person", "leader_group__organisation")
             .order_by("leader_group__name", "person__name", "pk"))
    registrations = {registration.person_id: registration for registration in
                     GatheringRegistration.objects.for_network(network)
                     .filter(gathering=gathering)}
    rows, seen = [], set()
    for role in roles:
        if role.person_id in seen:
            continue
        seen.add(role.person_id)
        registration = registrations.get(role.person_id)
        rows.append(AttendanceRow(
            role.person, role.leader_group, registration.coming if registration else None,
            registration.attended if registration else False))
    return Attendance(rows)


def own_registrations(network, person, gatherings):
    """{gathering id: coming (True/False)} of the person's answers to these gatherings."""
    return dict(GatheringRegistration.objects.for_network(network)
                .filter(person=person, gathering__in=gatherings, coming__isnull=False)
                .values_list("gathering_id", "coming"))


def messages_for_leader(network, person, roles, now=None):
    """Messages to the person's cohorts or groups still shown and not dismissed (one query)."""
    now = now or timezone.now()
    groups = roles.led_group_ids
    return list(CohortMessage.objects.for_network(network)
                .filter(cohort__leader_groups__in=groups, shown_until__gt=now)
                .filter(Q(leader_group__isnull=True) | Q(leader_group__in=groups))
                .exclude(pk__in=MessageDismissal.objects.for_network(network)
                         .filter(person=person).values("message_id"))
                .select_related("sender", "cohort").distinct().order_by("-sent_at", "-pk"))
