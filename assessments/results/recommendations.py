"""Resources and exercises for the largest gaps: what a leader (from their own scores, which
only they see) and a leader group (from its released anonymous numbers) may watch, read or try
next.

A resource, and an exercise of the programme (a reflection, group task or ambition exercise),
names the dimensions or capabilities it helps with as "instrument slug:dimension code"
(Resource.dimension_tags, Activity.dimension_tags); dimension codes are stable across
versions. Exercises come from the modules the cohort runs, as it runs them (tailoring). The
gaps passed in are the ones the page already shows: own gaps, or aggregation's released group
gaps (a Suppressed gap counts as none), so nothing here reads anyone's answers.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery

from cohorts.models import CohortActivity, CohortModule
from programmes.models import Activity, ActivityKind
from resources.models import Resource
from tenancy import generations
from tenancy.rows import compiled_once

LARGEST_GAPS = 3
EXERCISE_KINDS = (ActivityKind.REFLECTION, ActivityKind.GROUP_TASK, ActivityKind.AMBITION)


@dataclass
class Recommendation:
    dimension: object
    gap: float
    resources: list
    exercises: list = field(default_factory=list)


def dimension_tag(instrument, dimension):
    return f"{instrument.slug}:{dimension.code}"


def largest_gaps(gaps, limit=LARGEST_GAPS):
    """[(dimension, gap)] of the largest positive gaps that may be shown, largest first."""
    shown = [(dimension, gap) for dimension, gap in gaps
             if gap is not None and getattr(gap, "shown", True) and gap > 0]
    return sorted(shown, key=lambda pair: (-pair[1], pair[0].position))[:limit]


def _tagged(instrument):
    """Rows tagged for one of the instrument's dimensions (dimension_tags, a JSON list of
    strings): one condition, whichever gaps a page shows, so the query is the same for every
    page; the caller keeps the tags it wants."""
    return Q(dimension_tags__icontains=f'"{instrument.slug}:')


def cohort_exercises(network, cohort_id, instrument):
    """The cohort's exercises tagged for the instrument, each with .run_in_id (the cohort
    module running it): the standard ones of an untailored module, and in a tailored module
    those it kept (standard or its own: never another cohort's own). The rule's query is
    compiled once per process for the cohort and instrument (it is asked on every own
    results page, issue 11); one more query reads the exercises found, if any."""
    compiled = compiled_once(
        ("cohort_exercises", network.pk, cohort_id, instrument.slug),
        lambda: _cohort_exercises(network, cohort_id, instrument)
        .values_list("pk", "run_in_id"))
    if compiled is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        found = cursor.fetchall()
    if not found:
        return []
    activities = Activity.objects.select_related("phase__module").in_bulk(
        [pk for pk, _module in found])
    exercises = []
    for pk, run_in_id in found:
        activity = activities[pk]
        activity.run_in_id = run_in_id
        exercises.append(activity)
    return exercises


def _tagged_resources(network, instrument):
    """The network's and the shared resources tagged for the instrument, in order, read in one
    query whose SQL is compiled once per process for the network and instrument (issue 11)."""
    compiled = compiled_once(
        ("tagged_resources", network.pk, instrument.slug),
        lambda: Resource.objects.shared_or_of_network(network).filter(_tagged(instrument))
        .order_by("network_id", "slug"))
    if compiled is None:
        return []
    return list(Resource.objects.raw(*compiled))


def _cohort_exercises(network, cohort_id, instrument):
    modules = CohortModule.objects.for_network(network).filter(
        cohort=cohort_id, module=OuterRef("phase__module"))
    kept = CohortActivity.objects.for_network(network).filter(
        cohort_module__cohort=cohort_id, activity=OuterRef("pk"))
    return (
        Activity.objects.filter(Q(network__isnull=True) | Q(network=network))
        .filter(_tagged(instrument), kind__in=EXERCISE_KINDS)
        .annotate(run_in_id=Subquery(modules.values("pk")[:1]))
        .filter(run_in_id__isnull=False)
        .filter((Q(network__isnull=True) & ~Exists(modules.filter(tailored=True)))
                | Exists(kept))
        .order_by("phase__module__position", "phase__position", "position"))


def _candidates(network, instrument, cohort):
    """(resources, the cohort's exercises) tagged for the instrument. They change only when
    someone edits resources, activities or the cohort's modules, and every own results page
    asks for them, so each process keeps them under the recent generation of the data
    (tenancy.generations): no query until the next write, and no round trip to the cache on
    most requests (issue 11). An admin's edit shows there within a second: the leaders' pages
    that recommend (own results, the group's gaps) are not where anyone looks right after
    editing resources."""
    return generations.kept_in_process(
        network, f"recommendation-candidates:{instrument.slug}:{cohort or 0}",
        lambda: (_tagged_resources(network, instrument),
                 cohort_exercises(network, cohort, instrument) if cohort else []),
        generations.recent(network))


def recommendations_for_gaps(network, instrument, *gap_lists, cohort=None):
    """[Recommendation] per list of (dimension, gap) for its largest gaps that have tagged
    resources, or tagged exercises in the cohort (when given); a query for the resources and
    one for the exercises (one more for the exercises found, if any), for all the lists. With
    one list, its recommendations alone. The candidates are kept until the next write
(_candidates)."""
    largest = [largest_gaps(gaps) for gaps in gap_lists]
    tags = {dimension_tag(instrument, dimension) for pairs in largest for dimension, _gap in pairs}
    resources = {tag: [] for tag in tags}
    exercises = {tag: [] for tag in tags}
    if tags:
        tagged_resources, tagged_exercises = _candidates(network, instrument, cohort)
        for resource in tagged_resources:
            for tag in resource.dimension_tags:
                if tag in resources:
                    resources[tag].append(resource)
        for activity in tagged_exercises:
            for tag in activity.dimension_tags:
                if tag in exercises:
                    exercises[tag].append(activity)
    found = []
    for pairs in largest:
        recommendations = []
        for dimension, gap in pairs:
            tag = dimension_tag(instrument, dimension)
            if resources[tag] or exercises[tag]:
                recommendations.append(
                    Recommendation(dimension, gap, resources[tag], exercises[tag]))
        found.append(recommendations)
    return found[0] if len(found) == 1 else found
