"""The one progress rule: whether a person has done an activity, and when pre-work is open.
What's next, the progress tables and their CSV, the reminders and the coordinator's nudges all
ask here, so they cannot disagree. Read-only. The phase a module is in is
cohorts.schedule.module_state (the cohorts app owns the dates); pre-work is open for reminders
and nudges from the day it opens until the gathering starts.

An activity is done:
- an assessment, when the person has submitted a round of the activity's instrument in the
  same cohort whose answering window (the local days it opened and closed) overlaps the
  module's span, from pre-work opening to post-work due. No completion row is written for it,
  and a round opened a few days before pre-work counts.
- every other kind (video, podcast, article, case, reflection, group task, ambition,
  initiatives), when the person marked it done (an ActivityCompletion row); a saved
  reflection or group answer alone does not count.
A phase is done when every one of its activities is (`done_with_phase`): the progress tables
count the same activities, and the pre-work and post-work reminders ask this.

`done_by` answers for many people and activities in two queries, however many there are;
`done_per_group` counts the same in the database, per group, without reading anyone.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection

from assessments.models import Response, Round
from cohorts import tailoring
from cohorts.schedule import GATHERING, PREWORK, gathering_of, local_day, module_state
from modules.models import ActivityCompletion
from programmes.models import Activity, ActivityKind
from tenancy.models import Person, Role, RoleKind


def prework_is_open(cohort_module, now):
    """In pre-work, or on the gathering day before the gathering starts."""
    gathering = gathering_of(cohort_module)
    state, _due_on = module_state(cohort_module, gathering, local_day(now))
    return state == PREWORK or (state == GATHERING and now < gathering.starts_at)


def activities_of(cohort_modules, phase_kind):
    """{module id: [activity]} of one phase kind of the cohort modules' modules, standard and
    their own, in one query (tailoring.arrange keeps each cohort module's)."""
    activities = {}
    network = cohort_modules[0].network_id
    for activity in (Activity.objects.run_in(network, [cm.pk for cm in cohort_modules])
                     .filter(phase__module__in={cm.module_id for cm in cohort_modules},
                             phase__kind=phase_kind)
                     .select_related("phase").order_by("position")):
        activities.setdefault(activity.phase.module_id, []).append(activity)
    return activities


def activities_run_by(cohort_modules, phase_kind):
    """{cohort module id: [activity]} of one phase kind, as each cohort runs it (a tailored
    cohort module its own choice and order, cohorts.tailoring), in at most two queries."""
    cohort_modules = list(cohort_modules)
    if not cohort_modules:
        return {}
    standard = activities_of(cohort_modules, phase_kind)
    plans = tailoring.plans_of(cohort_modules[0].network_id, cohort_modules)
    return {cm.pk: tailoring.arrange(standard.get(cm.module_id, []), plans.get(cm.pk))
            for cm in cohort_modules}


@dataclass(frozen=True)
class Done:
    """Who has done what, for the people and cohorts `done_by` was asked about."""

    completed: frozenset  # {(person id, cohort id, activity id)}
    windows: dict  # {(person id, cohort id, instrument slug): [(opened day, closed day)]}
    rounds: frozenset  # {(person id, round id)} of submitted responses
    submissions: Counter  # {(person id, cohort id): submitted responses}

    def __call__(self, person_id, cohort_module, activity):
        if (person_id, cohort_module.cohort_id, activity.pk) in self.completed:
            return True
        if activity.kind != ActivityKind.ASSESSMENT:
            return False
        return any(
            _in_span(cohort_module, opened, closed) for opened, closed in self.windows.get(
                (person_id, cohort_module.cohort_id, activity.instrument_slug), ()))

    def count(self, person_id, cohort_module, activities):
        return sum(self(person_id, cohort_module, activity) for activity in activities)

    def all(self, person_id, cohort_module, activities):
        return all(self(person_id, cohort_module, activity) for activity in activities)

    def submitted_round(self, person_id, round_id):
        return (person_id, round_id) in self.rounds

    def submitted_in(self, person_id, cohort_id):
        return self.submissions[(person_id, cohort_id)]


def _in_span(cohort_module, opened, closed):
    """A round answered from day `opened` to `closed` counts for the module's assessments."""
    return opened <= cohort_module.postwork_due_on and closed >= cohort_module.prework_opens_on


def done_by(network, person_ids, cohort_ids, activity_ids=None):
    """What these people have done in these cohorts (of `activity_ids` only, if given), in two
    queries."""
    completions = ActivityCompletion.objects.for_network(network).filter(
        cohort__in=cohort_ids, person__in=person_ids)
    if activity_ids is not None:
        completions = completions.filter(activity__in=activity_ids)
    windows, rounds, submissions = {}, set(), Counter()
    for person_id, cohort_id, round_id, slug, opens_at, closes_at in (
            Response.objects.for_network(network)
            .filter(round__cohort__in=cohort_ids, person__in=person_ids,
                    submitted_at__isnull=False)
            .values_list("person_id", "round__cohort_id", "round_id", "round__instrument__slug",
                         "round__opens_at", "round__closes_at")):
        windows.setdefault((person_id, cohort_id, slug), []).append(
            (local_day(opens_at), local_day(closes_at)))
        rounds.add((person_id, round_id))
        submissions[(person_id, cohort_id)] += 1
    return Done(frozenset(completions.values_list("person_id", "cohort_id", "activity_id")),
                windows, frozenset(rounds), submissions)


def done_with_phase(cohort_module, person_ids, phase_kind):
    """Who of these has done every activity of the module's phase (in its cohort)."""
    person_ids = list(person_ids)
    activities = activities_run_by([cohort_module], phase_kind)[cohort_module.pk]
    if not activities:
        return set(person_ids)
    done = done_by(cohort_module.network_id, person_ids, [cohort_module.cohort_id],
                   [activity.pk for activity in activities])
    return {person_id for person_id in person_ids
            if done.all(person_id, cohort_module, activities)}


def done_per_group(network, cohort, phases, group_ids):
    """{group id: (leaders, leaders who never signed in, [done (leader, activity) pairs per
    phase])} for `phases`, a list of (cohort module of `cohort`, [activity]), by the rule
    above, counted by the database in one statement over the groups' leader roles (plus one
    for the rounds when a phase holds an assessment). It reads no person and follows each
    leader's rows by index, so it grows with the groups asked about, not with the cohort.
    Written as SQL because compiling the same as a queryset cost twice what the database
    spends answering it (bench/bench_results.py)."""
    if not group_ids:
        return {}
    table = {model: connection.ops.quote_name(model._meta.db_table)
             for model in (Role, Person, ActivityCompletion, Response)}
    roles = (f"WHERE role.network_id = %s AND role.kind = %s AND role.leader_group_id IN "
             f"({', '.join(['%s'] * len(group_ids))})")
    role_params = [network.pk, RoleKind.LEADER, *group_ids]
    statements = [(
        f"SELECT 0, role.leader_group_id, 0, COUNT(*), "
        f"SUM(CASE WHEN person.last_login IS NULL THEN 1 ELSE 0 END) "
        f"FROM {table[Role]} role JOIN {table[Person]} person ON person.id = role.person_id "
        f"{roles} GROUP BY role.leader_group_id", role_params)]
    phase_of = {}  # activity id: the phases it is in
    for index, (_cohort_module, activities) in enumerate(phases):
        for activity in activities:
            phase_of.setdefault(activity.pk, []).append(index)
    if phase_of:
        statements.append((
            f"SELECT 1, role.leader_group_id, done.activity_id, COUNT(*), 0 "
            f"FROM {table[Role]} role JOIN {table[ActivityCompletion]} done "
            f"ON done.person_id = role.person_id AND done.network_id = %s "
            f"AND done.cohort_id = %s AND done.activity_id IN "
            f"({', '.join(['%s'] * len(phase_of))}) "
            f"{roles} GROUP BY role.leader_group_id, done.activity_id",
            [network.pk, cohort.pk, *phase_of, *role_params]))
    rounds = _rounds_in_span(network, cohort, phases)
    for index, (cohort_module, activities) in enumerate(phases):
        for activity in activities:
            submitted = rounds.get((cohort_module.pk, activity.pk))
            if submitted:  # done by a submission, and not also marked done
                statements.append((
                    f"SELECT 2, role.leader_group_id, {index}, COUNT(DISTINCT role.person_id), "
                    f"0 FROM {table[Role]} role JOIN {table[Response]} answered "
                    f"ON answered.person_id = role.person_id AND answered.network_id = %s "
                    f"AND answered.submitted_at IS NOT NULL AND answered.round_id IN "
                    f"({', '.join(['%s'] * len(submitted))}) {roles} AND NOT EXISTS "
                    f"(SELECT 1 FROM {table[ActivityCompletion]} done "
                    f"WHERE done.person_id = role.person_id AND done.network_id = %s "
                    f"AND done.cohort_id = %s AND done.activity_id = %s) "
                    f"GROUP BY role.leader_group_id",
                    [network.pk, *submitted, *role_params, network.pk, cohort.pk,
                     activity.pk]))
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql for sql, _params in statements),
                       [param for _sql, params in statements for param in params])
        rows = cursor.fetchall()
    for part, group_id, key, number, never in sorted(rows, key=lambda row: row[0]):
        _leaders, _never, done = counts.setdefault(group_id, (number, never, [0] * len(phases)))
        for index in phase_of.get(key, ()) if part == 1 else (key,) if part == 2 else ():
            done[index] += number
    return counts


def _rounds_in_span(network, cohort, phases):
    """{(cohort module id, assessment activity id): [round id]}: the cohort's rounds of the
    activity's instrument that count for the module, in one query (none without assessments)."""
    assessments = [(cohort_module, activity) for cohort_module, activities in phases
                   for activity in activities if activity.kind == ActivityKind.ASSESSMENT]
    if not assessments:
        return {}
    rounds = list(Round.objects.for_network(network)
                  .filter(cohort=cohort, instrument__slug__in={
                      activity.instrument_slug for _cohort_module, activity in assessments})
                  .values_list("pk", "instrument__slug", "opens_at", "closes_at"))
    return {(cohort_module.pk, activity.pk): [
        pk for pk, slug, opens_at, closes_at in rounds if slug == activity.instrument_slug
        and _in_span(cohort_module, local_day(opens_at), local_day(closes_at))]
        for cohort_module, activity in assessments}
