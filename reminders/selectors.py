"""Reads of the reminders app: what a coordinator can nudge, what a cohort's reminders did."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from assessments.models import Round
from cohorts.models import Cohort, CohortMessage, CohortModule
from modules.progress import activities_run_by, done_by, prework_is_open
from programmes.models import PhaseKind
from reminders import clock
from reminders.models import DeliveryStatus, Nudge, ReminderDelivery, ReminderKind, TargetType
from reminders.planning import local_date, round_is_open
from tenancy.models import Role, RoleKind
from tenancy.translated import translated


@dataclass
class NudgeOption:
    """Something the organisation's leaders are working on now, and how many have not
    finished it."""

    key: str
    cohort: Cohort
    label: str
    deadline: object
    leaders: int
    unfinished: int
    nudged_today: Nudge | None = None


def nudge_options(network, organisation, now=None):
    """Pre-work open now and assessment rounds open now, in cohorts of the organisation's
    groups, with counts of the organisation's leaders not done (modules.progress; a fixed
    number of queries)."""
    now = now or clock.now()
    cohorts = list(Cohort.objects.for_network(network)
                   .filter(leader_groups__organisation=organisation).distinct())
    leaders_by_cohort = {}
    for cohort_id, person_id in (
            Role.objects.for_network(network)
            .filter(kind=RoleKind.LEADER, leader_group__organisation=organisation,
                    leader_group__cohorts__in=cohorts, person__is_active=True)
            .values_list("leader_group__cohorts", "person_id")):
        leaders_by_cohort.setdefault(cohort_id, set()).add(person_id)
    all_leaders = set().union(*leaders_by_cohort.values()) if leaders_by_cohort else set()

    modules = [cm for cm in CohortModule.objects.for_network(network)
               .filter(cohort__in=cohorts, prework_opens_on__lte=local_date(now))
               .select_related("cohort", "module", "gathering") if prework_is_open(cm, now)]
    activities = activities_run_by(modules, PhaseKind.PREWORK)
    rounds = [r for r in Round.objects.for_network(network)
              .filter(cohort__in=cohorts, opens_at__lte=now, closes_at__gt=now)
              .select_related("cohort", "instrument") if round_is_open(r, now)]
    done = done_by(network, all_leaders, [cohort.pk for cohort in cohorts],
                   [activity.pk for listed in activities.values() for activity in listed])
    nudges = {(n.cohort_module_id, n.round_id): n for n in Nudge.objects.for_network(network)
              .filter(organisation=organisation, sent_on=local_date(now))
              .select_related("sent_by")}
    progress = {entry["target_id"]: entry for entry in (
        ReminderDelivery.objects.for_network(network)
        .filter(target_type=TargetType.NUDGE, target_id__in=[n.pk for n in nudges.values()])
        .values("target_id")
        .annotate(sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
                  waiting=Count("pk", filter=Q(status__in=[DeliveryStatus.PLANNED,
                                                           DeliveryStatus.SENDING]))))}
    for n in nudges.values():
        n.sent = progress.get(n.pk, {}).get("sent", 0)
        n.waiting = progress.get(n.pk, {}).get("waiting", 0)

    options = []
    for cm in modules:
        leaders = leaders_by_cohort.get(cm.cohort_id, set())
        needed = activities.get(cm.pk, [])
        if not needed:
            continue
        unfinished = [p for p in leaders if not done.all(p, cm, needed)]
        gathering = getattr(cm, "gathering", None)
        options.append(NudgeOption(
            key=f"module-{cm.pk}", cohort=cm.cohort, label=translated(cm.module.title),
            deadline=gathering.starts_at if gathering else cm.postwork_due_on,
            leaders=len(leaders), unfinished=len(unfinished),
            nudged_today=nudges.get((cm.pk, None))))
    for round_ in rounds:
        leaders = leaders_by_cohort.get(round_.cohort_id, set())
        unfinished = [p for p in leaders if not done.submitted_round(p, round_.pk)]
        options.append(NudgeOption(
            key=f"round-{round_.pk}", cohort=round_.cohort,
            # Two rounds may share a name ("at the start"); the instrument tells them apart.
            label=f"{round_.name} – {translated(round_.instrument.name)}",
            deadline=round_.closes_at, leaders=len(leaders), unfinished=len(unfinished),
            nudged_today=nudges.get((None, round_.pk))))
    return options


def nudge_targets(network, organisation, key, now=None):
    """The cohort module or round behind a NudgeOption key, if it is on offer right now."""
    offered = {option.key for option in nudge_options(network, organisation, now)}
    if key not in offered:
        return None
    kind, _sep, pk = key.partition("-")
    if kind == "module":
        return {"cohort_module": CohortModule.objects.for_network(network)
                .select_related("cohort").get(pk=pk)}
    return {"round": Round.objects.for_network(network).select_related("cohort").get(pk=pk)}


@dataclass
class ReminderRow:
    kind: str
    kind_label: str
    target: str
    counts: dict = field(default_factory=dict)
    last_sent_at: object = None

    @property
    def waiting(self):
        return self.counts.get(DeliveryStatus.PLANNED, 0) + self.counts.get(
            DeliveryStatus.SENDING, 0)


def cohort_reminder_overview(network, cohort):
    """Per kind and target: how many were sent, skipped, failed or are waiting; and the
    failures themselves. A fixed number of queries, whatever the size of the cohort."""
    deliveries = ReminderDelivery.objects.for_network(network).filter(cohort=cohort)
    grouped = (deliveries.values("kind", "target_type", "target_id")
               .annotate(**{status: Count("pk", filter=Q(status=status))
                            for status in DeliveryStatus.values},
                         last_sent_at=Max("sent_at"))
               .order_by("kind", "target_type", "target_id"))
    grouped = list(grouped)
    labels = target_labels(network, grouped)
    rows = [ReminderRow(
        kind=entry["kind"], kind_label=ReminderKind(entry["kind"]).label,
        target=labels.get((entry["target_type"], entry["target_id"]), "–"),
        counts={status: entry[status] for status in DeliveryStatus.values},
        last_sent_at=entry["last_sent_at"]) for entry in grouped]
    failures = list(deliveries.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN])
                    .select_related("person").order_by("-updated_at")[:100])
    for failure in failures:
        failure.target_label = labels.get((failure.target_type, failure.target_id), "–")
    return rows, failures


def target_labels(network, entries):
    """{(target_type, target_id): readable name}, one query per type of target."""
    ids = {}
    for entry in entries:
        ids.setdefault(entry["target_type"], set()).add(entry["target_id"])
    labels = {}
    if TargetType.COHORT_MODULE in ids:
        for cm in CohortModule.objects.for_network(network).filter(
                pk__in=ids[TargetType.COHORT_MODULE]).select_related("module"):
            labels[(TargetType.COHORT_MODULE, cm.pk)] = translated(cm.module.title)
    if TargetType.GATHERING in ids:
        for cm in CohortModule.objects.for_network(network).filter(
                gathering__pk__in=ids[TargetType.GATHERING]).select_related("module", "gathering"):
            labels[(TargetType.GATHERING, cm.gathering.pk)] = translated(cm.module.title)
    if TargetType.ROUND in ids:
        for round_ in Round.objects.for_network(network).filter(pk__in=ids[TargetType.ROUND]):
            labels[(TargetType.ROUND, round_.pk)] = round_.name
    if TargetType.NUDGE in ids:
        for n in (Nudge.objects.for_network(network).filter(pk__in=ids[TargetType.NUDGE])
                  .select_related("organisation", "cohort_module__module", "round")):
            thing = translated(n.cohort_module.module.title) if n.cohort_module_id else n.round.name
            labels[(TargetType.NUDGE, n.pk)] = f"{thing} – {n.organisation.name} ({n.sent_on})"
    if TargetType.MESSAGE in ids:
        for message in CohortMessage.objects.for_network(network).filter(
                pk__in=ids[TargetType.MESSAGE]):
            labels[(TargetType.MESSAGE, message.pk)] = message.subject
    return labels
