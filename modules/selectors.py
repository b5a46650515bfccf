"""Reads for the leader's journey (where a cohort's modules stand, what a leader has done, what
comes next) and for the progress of leaders that coordinators, facilitators and admins follow;
both ask modules.progress what is done. Every function reads a fixed number of queries,
whatever the size of the group or the module (tests pin the counts)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Dimension, Instrument, Round
from assessments.taking.selectors import minutes_to_answer
from cohorts import tailoring
from cohorts.models import Cohort, CohortGroup, CohortModule
from cohorts.schedule import FINISHED, GATHERING, POSTWORK, PREWORK, UPCOMING, module_state
from modules import progress
from modules.models import (
    Ambition,
    GroupTaskAnswer,
    Initiative,
    InitiativeStatus,
    InitiativeUpdate,
    Reflection,
)
from programmes.models import Activity, ActivityKind, Phase, PhaseKind
from tenancy.models import LeaderGroup, Role, RoleKind
from tenancy.translated import translated

NEXT_ACTIVITIES = 5
STATE_LABELS = {UPCOMING: _("Coming up"), PREWORK: _("Pre-work"), GATHERING: _("Gathering day"),
                POSTWORK: _("Post-work"), FINISHED: _("Finished")}


@dataclass
class ActivityItem:
    activity: Activity
    done: bool = False
    open_round: object = None  # the open assessment round, for assessment activities
    minutes: int = 0  # for an assessment what its introduction says (minutes_to_answer)

    @property
    def completed_by_hand(self):
        """Assessments are completed by submitting a round, not with a button."""
        return self.activity.kind != ActivityKind.ASSESSMENT


@dataclass
class PhaseItem:
    phase: Phase
    items: list
    current: bool = False

    @property
    def done_count(self):
        return sum(item.done for item in self.items)


@dataclass
class ModuleJourney:
    cohort_module: CohortModule
    gathering: object
    state: str
    due_on: date | None
    phases: list

    @property
    def items(self):
        return [item for phase in self.phases for item in phase.items]

    @property
    def done_count(self):
        return sum(item.done for item in self.items)

    @property
    def total(self):
        return len(self.items)

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def is_active(self):
        return self.state in (PREWORK, GATHERING, POSTWORK)

    def next_items(self, limit=NEXT_ACTIVITIES):
        return [item for item in self.items if not item.done][:limit]


@dataclass
class CohortJourney:
    cohort: Cohort
    group_ids: list
    modules: list = field(default_factory=list)

    @property
    def done_count(self):
        return sum(module.done_count for module in self.modules)

    @property
    def total(self):
        return sum(module.total for module in self.modules)

    @property
    def current_modules(self):
        """The modules running today; else the next to start; else none (all done)."""
        active = [module for module in self.modules if module.is_active]
        if active:
            return active
        upcoming = [module for module in self.modules if module.state == UPCOMING]
        return upcoming[:1]

    @property
    def next_gathering(self):
        now = timezone.now()
        coming = [m.gathering for m in self.modules if m.gathering and m.gathering.ends_at >= now]
        return min(coming, key=lambda gathering: gathering.starts_at) if coming else None

    @property
    def finished(self):
        return bool(self.modules) and all(m.state == FINISHED for m in self.modules)


def _outline(network, cohort_modules, counting=False):
    """{module id: [phase with .activities_list]} in two queries: the standard activities and
    the cohort modules' own (tailoring.arrange keeps each cohort module's); `counting`: only
    what progress counts by (modules.progress), not the texts and resources shown."""
    phases = Phase.objects
    activities = Activity.objects.run_in(network, [cm.pk for cm in cohort_modules])
    if counting:
        phases = phases.only("module_id", "kind", "position")
        activities = activities.only("phase_id", "cohort_module_id", "kind", "instrument_slug",
                                     "position")
    else:
        activities = activities.select_related("resource")
    phases = (phases.filter(module__in={cm.module_id for cm in cohort_modules})
              .order_by("module", "position")
              .prefetch_related(Prefetch("activities", to_attr="activities_list",
                                         queryset=activities.order_by("position"))))
    outline = {}
    for phase in phases:
        outline.setdefault(phase.module_id, []).append(phase)
    return outline


def _rounds(network, cohort_ids):
    """The open round per (cohort, instrument slug), for the assessment activities' links, and
    the instrument each activity is answered with (of the open round, else the latest)."""
    now = timezone.now()
    open_rounds, instruments = {}, {}
    for round_ in (Round.objects.for_network(network).filter(cohort__in=cohort_ids)
                   .select_related("instrument").order_by("closes_at")):
        key = (round_.cohort_id, round_.instrument.slug)
        if round_.opens_at <= now < round_.closes_at:
            open_rounds.setdefault(key, round_)
        instruments[key] = round_.instrument
    instruments.update({key: round_.instrument for key, round_ in open_rounds.items()})
    return open_rounds, instruments


def _journeys(network, person, cohort_groups, cohort_modules, today):
    cohort_ids = list(cohort_groups)
    outline = _outline(network, cohort_modules)
    plans = tailoring.plans_of(network, cohort_modules)
    done = progress.done_by(network, [person.pk], cohort_ids)
    open_rounds, instruments = _rounds(network, cohort_ids)
    journeys = {}
    for cohort_id, (cohort, group_ids) in cohort_groups.items():
        journeys[cohort_id] = CohortJourney(cohort=cohort, group_ids=group_ids)
    for cohort_module in cohort_modules:
        gathering = getattr(cohort_module, "gathering", None)
        state, due_on = module_state(cohort_module, gathering, today)
        current_kind = {PREWORK: PhaseKind.PREWORK, GATHERING: PhaseKind.GATHERING,
                        POSTWORK: PhaseKind.POSTWORK}.get(state)
        phases = []
        for phase in outline.get(cohort_module.module_id, []):
            items = []
            for activity in tailoring.arrange(phase.activities_list,
                                              plans.get(cohort_module.pk)):
                item = ActivityItem(activity=activity, minutes=activity.duration_minutes,
                                    done=done(person.pk, cohort_module, activity))
                if activity.kind == ActivityKind.ASSESSMENT:
                    key = (cohort_module.cohort_id, activity.instrument_slug)
                    item.open_round = open_rounds.get(key)
                    if key in instruments:
                        item.minutes = minutes_to_answer(instruments[key])
                items.append(item)
            phases.append(PhaseItem(phase=phase, items=items, current=phase.kind == current_kind))
        journeys[cohort_module.cohort_id].modules.append(ModuleJourney(
            cohort_module=cohort_module, gathering=gathering, state=state, due_on=due_on,
            phases=phases))
    return list(journeys.values())


def leader_journeys(network, person, roles, today=None):
    """The journey through each cohort the leader's groups are in (usually one)."""
    today = today or timezone.localdate()
    groups = roles.led_group_ids
    memberships = (CohortGroup.objects.for_network(network)
                   .filter(leadergroup_id__in=groups)
                   .select_related("cohort").order_by("-cohort__starts_on", "cohort_id"))
    cohort_groups = {}
    for membership in memberships:
        cohort_groups.setdefault(membership.cohort_id, (membership.cohort, []))[1].append(
            membership.leadergroup_id)
    if not cohort_groups:
        return []
    cohort_modules = list(
        CohortModule.objects.for_network(network).filter(cohort__in=list(cohort_groups))
        .select_related("module", "gathering"))
    return _journeys(network, person, cohort_groups, cohort_modules, today)


def module_journey(network, person, cohort_module, today=None):
    """One cohort module with the leader's done-state for each activity."""
    today = today or timezone.localdate()
    cohort_groups = {cohort_module.cohort_id: (cohort_module.cohort, [])}
    return _journeys(network, person, cohort_groups, [cohort_module], today)[0].modules[0]


def leader_groups_in_cohort(roles, cohort):
    """The leader's own groups that take part in the cohort."""
    return list(cohort.leader_groups.filter(pk__in=roles.led_group_ids)
                .select_related("organisation").order_by("name"))


def group_task_answers(network, cohort, groups, activities):
    """{(group id, activity id): answer} for the groups' shared answers."""
    return {(a.leader_group_id, a.activity_id): a for a in
            GroupTaskAnswer.objects.for_network(network)
            .filter(cohort=cohort, leader_group__in=groups, activity__in=activities)
            .select_related("updated_by")}


def own_reflection(network, person, cohort, activity):
    """The person's own reflection, the only way any page reads one."""
    return Reflection.objects.for_network(network).filter(
        cohort=cohort, person=person, activity=activity).first()


def is_done(network, person, cohort_module, activity):
    return progress.done_by(network, [person.pk], [cohort_module.cohort_id], [activity.pk])(
        person.pk, cohort_module, activity)


def group_ambition(network, cohort, group, module):
    return (Ambition.objects.for_network(network).select_related("updated_by")
            .filter(cohort=cohort, leader_group=group, module=module).first())


def group_work(network, group):
    """The group's cohorts' modules, with its ambition and initiatives per module."""
    cohort_modules = list(
        CohortModule.objects.for_network(network).filter(cohort__leader_groups=group)
        .select_related("cohort", "module", "gathering")
        .order_by("-cohort__starts_on", "position", "pk"))
    ambitions = {(a.cohort_id, a.module_id): a for a in
                 Ambition.objects.for_network(network).filter(leader_group=group)
                 .select_related("updated_by")}
    initiatives = {}
    for initiative in group_initiatives(network, group).order_by("horizon", "-updated_at"):
        initiatives.setdefault((initiative.cohort_id, initiative.module_id), []).append(
            initiative)
    return [{"cohort_module": cm, "ambition": ambitions.get((cm.cohort_id, cm.module_id)),
             "initiatives": initiatives.get((cm.cohort_id, cm.module_id), [])}
            for cm in cohort_modules]


def group_initiatives(network, group):
    """The group's initiatives with their owner, dimensions (and their instruments) and
    updates, in a fixed number of queries."""
    return (Initiative.objects.for_network(network).filter(leader_group=group)
            .select_related("owner", "module", "cohort")
            .prefetch_related(_DIMENSIONS, Prefetch(
                "updates", queryset=InitiativeUpdate.objects.for_network(network)
                .select_related("author"))))


_DIMENSIONS = Prefetch("dimensions", queryset=Dimension.objects.select_related("instrument")
                       .order_by("instrument__slug", "position"))


def open_initiatives(network, group):
    return group_initiatives(network, group).filter(
        status__in=[InitiativeStatus.PLANNED, InitiativeStatus.STARTED]).order_by(
        "due_on", "created_at")


def cohort_instruments(network, cohort):
    """The instruments (versions) of the cohort's rounds with their dimensions: what an
    initiative of the cohort can address. Without rounds, the newest version of each."""
    instruments = Instrument.objects.prefetch_related("dimensions").order_by("slug", "-version")
    used = list(instruments.filter(pk__in=Round.objects.for_network(network)
                                   .filter(cohort=cohort).values("instrument")))
    if used:
        return used
    newest = {}
    for instrument in instruments:
        newest.setdefault(instrument.slug, instrument)
    return list(newest.values())


def group_leaders(network, group):
    """The group's leaders: who may own one of its initiatives."""
    return [role.person for role in Role.objects.for_network(network)
            .filter(kind=RoleKind.LEADER, leader_group=group).select_related("person")]


def shared_initiatives(network, *, theme="", dimension=""):
    """Initiatives that groups chose to share with the whole network, for inspiration;
    filtered by module theme and by the code of a dimension or capability they address."""
    initiatives = (Initiative.objects.for_network(network).filter(shared_with_network=True)
                   .select_related("leader_group__organisation", "module")
                   .prefetch_related(_DIMENSIONS).order_by("-updated_at"))
    if theme:
        initiatives = initiatives.filter(module__theme=theme)
    if dimension:
        slug, _sep, code = dimension.partition(":")
        initiatives = initiatives.filter(dimensions__instrument__slug=slug,
                                         dimensions__code=code).distinct()
    return initiatives


def shared_dimension_choices(network):
    """[(instrument slug:dimension code, "Instrument: dimension")] that shared initiatives
    address, for the filter (one query; the newest version's name of each code)."""
    choices = {}
    for dimension in (Dimension.objects.filter(
            pk__in=Initiative.dimensions.through.objects.filter(
                initiative__in=Initiative.objects.for_network(network)
                .filter(shared_with_network=True)).values("dimension"))
            .select_related("instrument").order_by("instrument__slug", "position",
                                                   "-instrument__version")):
        key = f"{dimension.instrument.slug}:{dimension.code}"
        choices.setdefault(key, f"{translated(dimension.instrument.name)}: "
                                f"{translated(dimension.name)}")
    return list(choices.items())


# --- Progress of leaders, for coordinators, facilitators and network admins -----------------


@dataclass
class Column:
    """One phase of one module of the cohort: the activities a leader can complete in it."""

    cohort_module: CohortModule
    phase: Phase
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
    invited: bool = False  # has not accepted the invitation yet (set by the progress pages)

    @property
    def person(self):
        return self.role.person


@dataclass
class GroupProgress:
    group: LeaderGroup
    in_cohort: bool
    rows: list = field(default_factory=list)

    @property
    def never_signed_in(self):
        """Leaders who have never signed in: shown to facilitators and admins so that a group
        padded with invented leaders (to fill a block of k around one real person) stands out
        (README, "Anonymity")."""
        return sum(row.person.last_login is None for row in self.rows)

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


def _columns(network, cohort_modules):
    """Every phase of the modules with the activities the cohort runs in it (two or three
    queries)."""
    outline = _outline(network, cohort_modules, counting=True)
    plans = tailoring.plans_of(network, cohort_modules)
    return [Column(cm, phase, tailoring.arrange(phase.activities_list, plans.get(cm.pk)))
            for cm in cohort_modules for phase in outline.get(cm.module_id, [])]


def leaders_progress(network, cohort, groups, cohort_modules):
    """Per group in `groups`: each leader's count of done activities (modules.progress) in
    every phase of `cohort_modules` (of `cohort`, which may be None: then only the leaders),
    never what anyone answered. At most seven queries, however many leaders, groups and
    activities."""
    groups = list(groups)
    group_ids = [group.pk for group in groups]
    roles = list(Role.objects.for_network(network)
                 .filter(kind=RoleKind.LEADER, leader_group__in=group_ids)
                 .select_related("person").order_by("person__name", "person__email"))
    columns, in_cohort, rounds_open, done = [], set(), 0, None
    if cohort is not None:
        columns = _columns(network, cohort_modules)
        in_cohort = set(cohort.leader_groups.filter(pk__in=group_ids)
                        .values_list("pk", flat=True))
        done = progress.done_by(
            network, {role.person_id for role in roles}, [cohort.pk],
            [activity.pk for column in columns for activity in column.activities])
        rounds_open = Round.objects.for_network(network).filter(
            cohort=cohort, opens_at__lte=timezone.now()).count()

    blocks = {group.pk: GroupProgress(group, group.pk in in_cohort) for group in groups}
    groups_by_pk = {group.pk: group for group in groups}
    for role in roles:
        role.leader_group = groups_by_pk[role.leader_group_id]
        block = blocks[role.leader_group_id]
        cells = [Cell(done.count(role.person_id, column.cohort_module, column.activities),
                      column.total) for column in columns] if block.in_cohort else []
        submitted = done.submitted_in(role.person_id, cohort.pk) if done else 0
        block.rows.append(LeaderRow(role, cells, submitted))
    return Progress(cohort, columns, list(blocks.values()), rounds_open)


# --- Completion per group, counted in the database (the cohort page) ------------------------


@dataclass
class GroupCompletion:
    """One group's leaders, how many never signed in (see GroupProgress.never_signed_in) and,
    per column, the share of (leader, activity) pairs done in whole percent (None: nothing
    to do)."""

    group: LeaderGroup
    leaders: int
    never_signed_in: int
    phase_percentages: list


@dataclass
class Completion:
    cohort: Cohort
    columns: list
    groups: list


def groups_done(network, cohort, cohort_modules, groups):
    """(the columns of `cohort_modules`, {group id: (leaders, never signed in, [done (leader,
    activity) pairs per column])}) for `groups` of `cohort`, counted by the database
    (modules.progress.done_per_group): it grows with the groups, not with their leaders.
    At most five queries."""
    columns = _columns(network, cohort_modules) if cohort_modules else []
    return columns, progress.done_per_group(
        network, cohort, [(column.cohort_module, column.activities) for column in columns],
        [group.pk for group in groups])


def groups_completion(network, cohort, cohort_module, groups):
    """Per group in `groups` (one page of the cohort's groups): the counts of GroupProgress
    for the phases of `cohort_module` (or None), counted by the database
    (modules.progress.done_per_group), so the cost grows with the page, not with the cohort.
    Never what anyone answered. At most six queries."""
    groups = list(groups)
    columns, counts = groups_done(network, cohort, [cohort_module] if cohort_module else [],
                                  groups)
    completions = []
    for group in groups:
        leaders, never, done = counts.get(group.pk, (0, 0, [0] * len(columns)))
        completions.append(GroupCompletion(group, leaders, never, [
            round(100 * pairs / (leaders * column.total)) if leaders * column.total else None
            for column, pairs in zip(columns, done, strict=True)]))
    return Completion(cohort, columns, completions)
