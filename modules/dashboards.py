"""Reads for the dashboards that answer "what needs me now" for each role: the network admin's
overview, the facilitator's next gathering, a coordinator's groups, and platform staff's view
across networks. Only counts of people and of submitted rounds, never what anyone answered.
Each reads a fixed number of queries, however many groups, leaders and rounds (tests pin it),
and counts progress in the database per group (modules.progress.done_per_group), so none reads
every leader: the heatmap shows a page of groups at a time."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.db.models.functions import Lower
from django.utils import timezone

from assessments.models import Response, Round
from cohorts.models import Cohort, CohortGroup, CohortModule
from cohorts.schedule import current_module, module_state
from modules import selectors
from modules.selectors import STATE_LABELS
from tenancy.models import Invitation, LeaderGroup, Network, Role, RoleKind
from tenancy.scoping import platform_wide

UPCOMING_GATHERINGS = 5
HEATMAP_GROUPS_PER_PAGE = 20
RECENT_DAYS = 7


def heat_class(percent):
    """The shade of a heatmap cell; the cell's text carries the same value in words."""
    if percent is None:
        return "heat-none"
    if percent == 0:
        return "heat-0"
    return f"heat-{min(4, 1 + percent // 25)}"


@dataclass
class Share:
    """done of total (leader, activity) pairs, in whole percent for the page."""

    done: int
    total: int

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else None

    @property
    def css_class(self):
        return heat_class(self.percent)


@dataclass
class CohortLine:
    cohort: Cohort
    current: CohortModule | None
    state_label: str = ""
    groups: int = 0
    leaders: int = 0


@dataclass
class HeatRow:
    group: LeaderGroup
    leaders: int
    cells: list  # a Share per module of the cohort


@dataclass
class Heatmap:
    cohort: Cohort
    modules: list
    rows: list
    page: object  # the Paginator page of the cohort's groups the rows are

    @property
    def query(self):
        """The URL parameters of the heatmap's other pages, besides the page."""
        return f"cohort={self.cohort.pk}"


@dataclass
class NetworkOverview:
    cohorts: list
    gatherings: list
    open_rounds: list
    heatmap: Heatmap | None
    groups: int = 0
    leaders: int = 0
    invitations_pending: int = 0


def _shares(columns, counts, group, cohort_modules):
    """A Share per cohort module of `group`'s (leader, activity) pairs done, over all the
    module's phases (`columns` and `counts` of modules.selectors.groups_done)."""
    leaders, _never, done = counts.get(group.pk, (0, 0, [0] * len(columns)))
    return [Share(sum(pairs for column, pairs in zip(columns, done, strict=True)
                      if column.cohort_module.pk == cohort_module.pk),
                  leaders * sum(column.total for column in columns
                                if column.cohort_module.pk == cohort_module.pk))
            for cohort_module in cohort_modules]


def cohort_heatmap(network, cohort, cohort_modules, page_number=1):
    """One page of the cohort's groups × each of its modules: the share of activities done,
    counted by the database, so it costs the same for 40 groups as for 400."""
    page = Paginator(cohort.leader_groups.select_related("organisation")
                     .order_by("organisation__name", "name", "pk"),
                     HEATMAP_GROUPS_PER_PAGE).get_page(page_number)
    groups = list(page.object_list)
    columns, counts = selectors.groups_done(network, cohort, cohort_modules, groups)
    rows = [HeatRow(group, counts.get(group.pk, (0,))[0],
                    _shares(columns, counts, group, cohort_modules)) for group in groups]
    return Heatmap(cohort, cohort_modules, rows, page)


def network_overview(network, chosen_cohort_id=None, now=None, page_number=1):
    """What a network admin follows: cohorts and where each stands, the next gatherings, the
    open rounds with how many have submitted, and the heatmap of one cohort (the chosen one,
    else the first that has started), a page of its groups at a time."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cohorts = list(Cohort.objects.for_network(network).select_related("programme")
                   .order_by("-starts_on", "pk"))
    schedule = {}
    for cohort_module in (CohortModule.objects.for_network(network)
                          .select_related("module", "gathering")):
        schedule.setdefault(cohort_module.cohort_id, []).append(cohort_module)
    groups = dict(CohortGroup.objects.for_network(network).values("cohort")
                  .annotate(n=Count("leadergroup")).values_list("cohort", "n"))
    leaders = dict(Role.objects.for_network(network)
                   .filter(kind=RoleKind.LEADER, leader_group__cohorts__isnull=False)
                   .values("leader_group__cohorts")
                   .annotate(n=Count("person", distinct=True))
                   .values_list("leader_group__cohorts", "n"))
    lines = []
    for cohort in cohorts:
        modules = schedule.get(cohort.pk, [])
        current = current_module(modules, today)
        line = CohortLine(cohort, current, groups=groups.get(cohort.pk, 0),
                          leaders=leaders.get(cohort.pk, 0))
        if current is not None:
            state, _due = module_state(current, getattr(current, "gathering", None), today)
            line.state_label = STATE_LABELS[state]
        lines.append(line)

    gatherings = sorted(
        (cm for modules in schedule.values() for cm in modules
         if getattr(cm, "gathering", None) and cm.gathering.ends_at >= now),
        key=lambda cm: cm.gathering.starts_at)[:UPCOMING_GATHERINGS]
    cohorts_by_pk = {cohort.pk: cohort for cohort in cohorts}
    for cohort_module in gatherings:
        cohort_module.cohort = cohorts_by_pk[cohort_module.cohort_id]

    open_rounds = list(
        Round.objects.for_network(network).filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("cohort", "instrument")
        .annotate(submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False)))
        .order_by("closes_at"))
    for round_ in open_rounds:
        round_.leaders = leaders.get(round_.cohort_id, 0)

    started = [cohort for cohort in cohorts if cohort.starts_on <= today] or cohorts
    chosen = next((c for c in cohorts if str(c.pk) == str(chosen_cohort_id)),
                  started[0] if started else None)
    heatmap = (cohort_heatmap(network, chosen, schedule.get(chosen.pk, []), page_number)
               if chosen else None)
    return NetworkOverview(
        cohorts=lines, gatherings=gatherings, open_rounds=open_rounds, heatmap=heatmap,
        groups=LeaderGroup.objects.for_network(network).count(),
        leaders=Role.objects.for_network(network).filter(kind=RoleKind.LEADER)
        .values("person").distinct().count(),
        invitations_pending=Invitation.objects.for_network(network)
        .filter(accepted_at__isnull=True, expires_at__gt=now).count())


@dataclass
class NextGathering:
    cohort_module: CohortModule
    rounds: list = field(default_factory=list)

    @property
    def gathering(self):
        return self.cohort_module.gathering

    @property
    def cohort(self):
        return self.cohort_module.cohort


def next_gathering(network, cohorts, now=None):
    """The soonest gathering (not yet over) of `cohorts`, with the rounds to run at it: those
    scheduled for it, and the cohort's rounds tied to no gathering that have not closed yet.
    None without one."""
    now = now or timezone.now()
    coming = (CohortModule.objects.for_network(network)
              .filter(cohort__in=cohorts, gathering__ends_at__gte=now)
              .select_related("cohort", "module", "gathering")
              .order_by("gathering__starts_at").first())
    if coming is None:
        return None
    gathering = coming.gathering
    rounds = list(Round.objects.for_network(network).filter(cohort_id=coming.cohort_id)
                  .filter(Q(gathering=gathering) | Q(gathering__isnull=True, closes_at__gte=now))
                  .select_related("instrument").order_by("opens_at"))
    return NextGathering(coming, rounds)


@dataclass
class GroupBar:
    group: LeaderGroup
    share: Share
    leaders: int
    invited: int


def organisation_groups_progress(network, organisation, invitations, today=None):
    """A coordinator's groups in the organisation's current cohort: the share of the current
    module's activities done, and how many leaders have not accepted their invitation yet.
    (cohort, module, [GroupBar]); the cohort is None when the organisation is in none."""
    today = today or timezone.localdate()
    cohorts = list(Cohort.objects.for_network(network)
                   .filter(Q(organisations=organisation)
                           | Q(leader_groups__organisation=organisation))
                   .distinct().order_by("-starts_on", "pk"))
    cohort = next((c for c in cohorts if c.starts_on <= today), cohorts[0] if cohorts else None)
    if cohort is None:
        return None, None, []
    modules = list(cohort.cohort_modules.select_related("module", "gathering"))
    current = current_module(modules, today)
    groups = list(organisation.leader_groups.filter(cohorts=cohort).order_by("name"))
    columns, counts = selectors.groups_done(network, cohort, [current] if current else [],
                                            groups)
    invited = _invited_leaders(network, groups, invitations)
    bars = []
    for group in groups:
        leaders, _never, done = counts.get(group.pk, (0, 0, [0] * len(columns)))
        share = Share(sum(done), leaders * sum(column.total for column in columns))
        bars.append(GroupBar(group, share, leaders, invited[group.pk]))
    return cohort, current, bars


def _invited_leaders(network, groups, invitations):
    """{group id: its leaders invited to it who have not accepted yet}, reading only the
    leaders of pending `invitations` (one query, none without any)."""
    pending = {(invitation.email.lower(), invitation.leader_group_id)
               for invitation in invitations}
    invited = Counter()
    if pending:
        for group_id, email in (Role.objects.for_network(network)
                                .filter(kind=RoleKind.LEADER, leader_group__in=groups)
                                .annotate(email=Lower("person__email"))
                                .filter(email__in={email for email, _group in pending})
                                .values_list("leader_group_id", "email")):
            invited[group_id] += (email, group_id) in pending
    return invited


@dataclass
class NetworkLine:
    network: Network
    cohorts: int = 0
    running_cohorts: int = 0
    groups: int = 0
    leaders: int = 0
    open_rounds: int = 0
    submitted_recently: int = 0
    last_submitted_at: object = None


def platform_overview(now=None):
    """Every network at a glance, for platform staff: cohorts, groups, leaders, open rounds
    and recent activity (rounds submitted). Counts only, read platform-wide on purpose."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with platform_wide():  # staff's overview across networks (DESIGN.md section 3)
        lines = {network.pk: NetworkLine(network) for network in Network.objects.order_by("name")}

        def count_into(queryset, attribute, *, value=None):
            for network_id, number in (queryset.values("network")
                                       .annotate(n=value or Count("pk"))
                                       .values_list("network", "n")):
                setattr(lines[network_id], attribute, number)

        count_into(Cohort.objects.all(), "cohorts")
        count_into(Cohort.objects.filter(
            starts_on__lte=today, cohort_modules__postwork_due_on__gte=today),
            "running_cohorts", value=Count("pk", distinct=True))
        count_into(LeaderGroup.objects.all(), "groups")
        count_into(Role.objects.filter(kind=RoleKind.LEADER), "leaders",
                   value=Count("person", distinct=True))
        count_into(Round.objects.filter(opens_at__lte=now, closes_at__gt=now), "open_rounds")
        submitted = Response.objects.filter(submitted_at__isnull=False)
        count_into(submitted.filter(submitted_at__gte=now - timedelta(days=RECENT_DAYS)),
                   "submitted_recently")
        count_into(submitted, "last_submitted_at", value=Max("submitted_at"))
    return list(lines.values())
