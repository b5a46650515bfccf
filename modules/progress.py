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

`done_by` answers for many people and activities in two queries, however many there are.
"""

from collections import Counter
from dataclasses import dataclass

from assessments.models import Response
from cohorts import tailoring
from cohorts.schedule import GATHERING, PREWORK, gathering_of, local_day, module_state
from modules.models import ActivityCompletion
from programmes.models import Activity, ActivityKind


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
            opened <= cohort_module.postwork_due_on and closed >= cohort_module.prework_opens_on
            for opened, closed in self.windows.get(
                (person_id, cohort_module.cohort_id, activity.instrument_slug), ()))

    def count(self, person_id, cohort_module, activities):
        return sum(self(person_id, cohort_module, activity) for activity in activities)

    def all(self, person_id, cohort_module, activities):
        return all(self(person_id, cohort_module, activity) for activity in activities)

    def submitted_round(self, person_id, round_id):
        return (person_id, round_id) in self.rounds

    def submitted_in(self, person_id, cohort_id):
        return self.submissions[(person_id, cohort_id)]


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
