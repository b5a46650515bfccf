"""Reads on cohorts: schedules, who takes part, and who has done what.

Progress counts completions (modules.ActivityCompletion) and submitted assessments
(assessments.Response.submitted_at), never what anyone answered. Every read here takes a fixed
number of queries, whatever the number of leaders, groups or activities.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from cohorts import policies
from cohorts.models import Cohort, CohortModule
from cohorts.schedule import current_index, local_zone
from tenancy.models import Invitation, LeaderGroup, Person, Role, RoleKind


def cohorts_facilitated_by(network, roles):
    """The network's cohorts a person facilitates (none unless they hold the facilitator role)."""
    return policies.cohorts_person_facilitates(network, roles)


def leader_group_ids_facilitated_by(network, roles):
    return LeaderGroup.objects.for_network(network).filter(
        cohorts__in=cohorts_facilitated_by(network, roles)).values_list("pk", flat=True)


def network_cohorts(network):
    return (Cohort.objects.for_network(network).select_related("programme")
            .annotate(module_count=Count("cohort_modules", distinct=True),
                      group_count=Count("leader_groups", distinct=True),
                      organisation_count=Count("organisations", distinct=True))
            .order_by("-starts_on", "name"))


def cohort_schedule(cohort):
    """The cohort's modules in order, with their gathering and the network's own resources."""
    return list(cohort.cohort_modules.select_related("module", "gathering")
                .prefetch_related("resources").order_by("position"))


def current_cohort_module(cohort_modules, today=None):
    """The module running today, else the next one, else the last (None without modules)."""
    today = today or timezone.localdate()
    index = current_index(
        [(cm.prework_opens_on, cm.postwork_due_on) for cm in cohort_modules], today)
    return None if index is None else cohort_modules[index]


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
                  .filter(leader_group=group, accepted_at__isnull=True,
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


# --- Progress -------------------------------------------------------------------------------


@dataclass
class Column:
    """One phase of one module of the cohort: the activities a leader can complete in it."""

    cohort_module: CohortModule
    phase: object
    activities: list

    @property
    def total(self):
        return len(self.activities)


@dataclass
class Cell:
    done: int
    total: int

    @property
    def complete(self):
        return self.total > 0 and self.done >= self.total


@dataclass
class LeaderRow:
    role: Role
    cells: list
    assessments_submitted: int

    @property
    def person(self):
        return self.role.person


@dataclass
class GroupProgress:
    group: LeaderGroup
    in_cohort: bool
    rows: list = field(default_factory=list)

    def phase_percentages(self):
        """Per column: the share of (leader, activity) pairs done, in whole percent."""
        percentages = []
        for index in range(len(self.rows[0].cells) if self.rows else 0):
            done = sum(row.cells[index].done for row in self.rows)
            total = sum(row.cells[index].total for row in self.rows)
            percentages.append(round(100 * done / total) if total else None)
        return percentages


@dataclass
class Progress:
    cohort: Cohort
    columns: list
    groups: list
    rounds_open: int

    @property
    def rows(self):
        return [row for group in self.groups for row in group.rows]


def _columns(cohort_modules):
    from programmes.models import Phase

    phases = (Phase.objects.filter(module__in=[cm.module_id for cm in cohort_modules])
              .prefetch_related("activities").order_by("position"))
    by_module = defaultdict(list)
    for phase in phases:
        by_module[phase.module_id].append(phase)
    return [Column(cm, phase, list(phase.activities.all()))
            for cm in cohort_modules for phase in by_module[cm.module_id]]


def _submitted_assessments(network, cohort, person_ids):
    """{person id: [(instrument slug, day the round opened)]} of submitted responses."""
    from assessments.models import Response

    submitted = defaultdict(list)
    for person_id, slug, opens_at in (
            Response.objects.for_network(network)
            .filter(round__cohort=cohort, person__in=person_ids, submitted_at__isnull=False)
            .values_list("person_id", "round__instrument__slug", "round__opens_at")):
        submitted[person_id].append((slug, opens_at.astimezone(local_zone()).date()))
    return submitted


def _is_done(activity, column, completed, assessments):
    """Done when marked complete, or (for an assessment) submitted in a round of the cohort
    that opened while this module ran."""
    if activity.pk in completed:
        return True
    if not activity.instrument_slug:
        return False
    cm = column.cohort_module
    return any(slug == activity.instrument_slug
               and cm.prework_opens_on <= opened <= cm.postwork_due_on
               for slug, opened in assessments)


def progress(network, cohort, groups, cohort_modules):
    """Per group in `groups`: each leader's count of done activities in every phase of
    `cohort_modules` (of `cohort`, which may be None: then only the leaders). At most seven
    queries, however many leaders, groups and activities."""
    from assessments.models import Round
    from modules.models import ActivityCompletion

    groups = list(groups)
    group_ids = [group.pk for group in groups]
    roles = list(Role.objects.for_network(network)
                 .filter(kind=RoleKind.LEADER, leader_group__in=group_ids)
                 .select_related("person").order_by("person__name", "person__email"))
    completed, submitted = defaultdict(set), defaultdict(list)
    columns, in_cohort, rounds_open = [], set(), 0
    if cohort is not None:
        columns = _columns(cohort_modules)
        in_cohort = set(cohort.leader_groups.filter(pk__in=group_ids)
                        .values_list("pk", flat=True))
        person_ids = {role.person_id for role in roles}
        activity_ids = [activity.pk for column in columns for activity in column.activities]
        for person_id, activity_id in (
                ActivityCompletion.objects.for_network(network)
                .filter(cohort=cohort, person__in=person_ids, activity__in=activity_ids)
                .values_list("person_id", "activity_id")):
            completed[person_id].add(activity_id)
        submitted = _submitted_assessments(network, cohort, person_ids)
        rounds_open = Round.objects.for_network(network).filter(
            cohort=cohort, opens_at__lte=timezone.now()).count()

    blocks = {group.pk: GroupProgress(group, group.pk in in_cohort) for group in groups}
    groups_by_pk = {group.pk: group for group in groups}
    for role in roles:
        role.leader_group = groups_by_pk[role.leader_group_id]
        block = blocks[role.leader_group_id]
        cells = [Cell(sum(_is_done(activity, column, completed[role.person_id],
                                   submitted[role.person_id])
                          for activity in column.activities), column.total)
                 for column in columns] if block.in_cohort else []
        block.rows.append(LeaderRow(role, cells, len(submitted[role.person_id])))
    return Progress(cohort, columns, list(blocks.values()), rounds_open)
