"""A cohort's own version of a module: which of the standard activities it runs, in which
order, the activities written for it alone (Activity.cohort_module), its own speakers and
cases, and the library resources it adds (CohortModule.resources: the network's own and shared
ones) (README, "Authoring in pages").

The rule, once: an untailored cohort module runs its module's activities as the standard
programme orders them; a tailored one runs exactly its CohortActivity rows, in their order
within each phase. The first change copies the standard list, so later edits of the
standard programme's texts still show, but its activities are this cohort's choice. A
cohort's own activity is an Activity row too, so completions, progress, reminders and
recommendations treat it as a standard one; writing it tailors the module, and only its own
plan can list it, so no other cohort ever runs it. Writes
(each owning its transaction and its audit event) are here too, next to the rule they keep;
they touch only the one cohort module, never the programme or another cohort.
"""

from django.db import transaction
from django.db.models import Max

from cohorts.models import CohortActivity, CohortContribution, CohortModule
from programmes.models import Activity
from resources.models import Resource
from tenancy import audit


def plans_of(network, cohort_modules):
    """{cohort module id: [activity id, in order]} of the tailored ones, in one query (none
    when no module is tailored)."""
    tailored = [cm.pk for cm in cohort_modules if cm.tailored]
    plans = {pk: [] for pk in tailored}
    if tailored:
        for cohort_module_id, activity_id in (
            CohortActivity.objects.for_network(network)
            .filter(cohort_module__in=tailored)
            .order_by("position", "pk")
            .values_list("cohort_module_id", "activity_id")
        ):
            plans[cohort_module_id].append(activity_id)
    return plans


def arrange(activities, plan):
    """The activities (of one phase, in the standard order) as the cohort runs them: all of
    them without a plan, else those in the plan, in its order."""
    if plan is None:
        return [activity for activity in activities if activity.cohort_module_id is None]
    by_id = {activity.pk: activity for activity in activities}
    return [by_id[activity_id] for activity_id in plan if activity_id in by_id]


def standard_activities(cohort_module):
    return list(
        Activity.objects.standard()
        .filter(phase__module=cohort_module.module_id)
        .select_related("phase")
        .order_by("phase__position", "position")
    )


def activities_of(cohort_module):
    """The standard activities of the module and the cohort module's own, by phase."""
    return list(
        Activity.objects.run_in(cohort_module.network_id, [cohort_module.pk])
        .filter(phase__module=cohort_module.module_id)
        .select_related("phase")
        .order_by("phase__position", "position", "pk")
    )


def outline(cohort_module):
    """[(phase, [activity the cohort runs], [activity it left out])] per phase; the left out
    are standard ones and the cohort's own it removed."""
    activities = activities_of(cohort_module)
    plan = plans_of(cohort_module.network_id, [cohort_module]).get(cohort_module.pk)
    phases = {}
    for activity in activities:
        phases.setdefault(activity.phase, []).append(activity)
    result = []
    for phase, standard in phases.items():
        running = arrange(standard, plan)
        result.append((phase, running, [a for a in standard if a not in running]))
    return result


# --- writes --------------------------------------------------------------------------------


def _locked(cohort_module):
    """The cohort module's row, locked, with its standard list copied on first use."""
    locked = (
        CohortModule.objects.for_network(cohort_module.network_id)
        .select_for_update()
        .get(pk=cohort_module.pk)
    )
    if not locked.tailored:
        CohortActivity.objects.bulk_create(
            CohortActivity(
                network_id=locked.network_id,
                cohort_module=locked,
                activity=activity,
                position=position,
            )
            for position, activity in enumerate(standard_activities(locked), start=1)
        )
        locked.tailored = True
        locked.save(update_fields=["tailored"])
    cohort_module.tailored = True  # the caller's copy reads the plan from now on
    return locked


def _record(cohort_module, action, **details):
    audit.record(
        audit.EventKind.COHORT_TAILORED,
        network=cohort_module.network_id,
        target=cohort_module,
        action=action,
        cohort=cohort_module.cohort_id,
        **details,
    )


def _rows(cohort_module):
    return CohortActivity.objects.for_network(cohort_module.network_id).filter(
        cohort_module=cohort_module
    )


@transaction.atomic
def move_activity(cohort_module, activity, direction):
    """Swap the activity with its neighbour in the same phase ("up" or "down"); at the end of
    the phase nothing moves. Returns whether it moved."""
    locked = _locked(cohort_module)
    rows = list(_rows(locked).filter(activity__phase=activity.phase_id).order_by("position", "pk"))
    index = next((i for i, row in enumerate(rows) if row.activity_id == activity.pk), None)
    other = None if index is None else index + (-1 if direction == "up" else 1)
    if other is None or not 0 <= other < len(rows):
        return False
    first, second = rows[index], rows[other]
    first.position, second.position = second.position, first.position
    CohortActivity.objects.bulk_update([first, second], ["position"])
    _record(locked, "moved", activity=activity.slug, direction=direction)
    return True


@transaction.atomic
def remove_activity(cohort_module, activity):
    locked = _locked(cohort_module)
    removed = _rows(locked).filter(activity=activity).delete()[0]
    if removed:
        _record(locked, "removed", activity=activity.slug)
    return bool(removed)


@transaction.atomic
def add_activity(cohort_module, activity):
    """Run a standard activity of the module (or the cohort's own) again, at the end of its
    phase."""
    if activity.phase.module_id != cohort_module.module_id or activity.cohort_module_id not in (
        None,
        cohort_module.pk,
    ):
        raise ValueError("Only the module's own activities can be added.")
    locked = _locked(cohort_module)
    if _rows(locked).filter(activity=activity).exists():
        return False
    last = _rows(locked).aggregate(last=Max("position"))["last"] or 0
    CohortActivity.objects.create(
        network_id=locked.network_id, cohort_module=locked, activity=activity, position=last + 1
    )
    _record(locked, "added", activity=activity.slug)
    return True


@transaction.atomic
def write_activity(cohort_module, *, phase, kind, title, instructions, dimension_tags):
    """A new activity of this cohort alone, run at the end of its phase (pre-work or
    post-work of the module)."""
    if phase.module_id != cohort_module.module_id:
        raise ValueError("Only a phase of the module.")
    locked = _locked(cohort_module)
    last_in_phase = (
        Activity.objects.filter(phase=phase).aggregate(last=Max("position"))["last"] or 0
    )
    activity = Activity.objects.create(
        network_id=locked.network_id,
        cohort_module=locked,
        phase=phase,
        slug=f"cohort-{locked.pk}-{last_in_phase + 1}",
        kind=kind,
        position=last_in_phase + 1,
        title=title,
        instructions=instructions,
        dimension_tags=dimension_tags,
    )
    last = _rows(locked).aggregate(last=Max("position"))["last"] or 0
    CohortActivity.objects.create(
        network_id=locked.network_id, cohort_module=locked, activity=activity, position=last + 1
    )
    _record(locked, "own_activity_written", activity=activity.slug, activity_kind=kind)
    return activity


@transaction.atomic
def change_activity(activity, **values):
    """Change the cohort's own activity (kind, title, instructions, dimension tags; its phase
    stays, as leaders may have done it). Returns the fields that changed."""
    if activity.cohort_module_id is None:
        raise ValueError("The standard programme's activities are edited by staff.")
    changed = [name for name, value in values.items() if getattr(activity, name) != value]
    if changed:
        for name in changed:
            setattr(activity, name, values[name])
        activity.save(update_fields=changed)
        _record(activity.cohort_module, "own_activity_changed", activity=activity.slug,
                fields=changed)
    return changed


@transaction.atomic
def add_contribution(cohort_module, *, kind, title, description="", url=""):
    last = (
        CohortContribution.objects.for_network(cohort_module.network_id)
        .filter(cohort_module=cohort_module)
        .aggregate(last=Max("position"))["last"]
        or 0
    )
    contribution = CohortContribution.objects.create(
        network_id=cohort_module.network_id,
        cohort_module=cohort_module,
        kind=kind,
        title=title,
        description=description,
        url=url,
        position=last + 1,
    )
    _record(cohort_module, "contribution_added", contribution=kind, title=title)
    return contribution


@transaction.atomic
def remove_contribution(contribution):
    _record(
        contribution.cohort_module,
        "contribution_removed",
        contribution=contribution.kind,
        title=contribution.title,
    )
    contribution.delete()


def library_to_add(cohort_module):
    """The network's library (its own resources and the shared ones) not yet attached."""
    return (
        Resource.objects.shared_or_of_network(cohort_module.network_id)
        .exclude(pk__in=cohort_module.resources.values("pk"))
        .order_by("network", "slug")
    )


@transaction.atomic
def add_resource(cohort_module, resource):
    """Attach a resource of the network's library; another network's is refused."""
    if resource.network_id not in (None, cohort_module.network_id):
        raise ValueError("Only the network's library can be added.")
    if cohort_module.resources.filter(pk=resource.pk).exists():
        return False
    cohort_module.resources.add(resource)
    _record(cohort_module, "resource_added", resource=resource.slug)
    return True


@transaction.atomic
def remove_resource(cohort_module, resource):
    if not cohort_module.resources.filter(pk=resource.pk).exists():
        return False
    cohort_module.resources.remove(resource)
    _record(cohort_module, "resource_removed", resource=resource.slug)
    return True


def contributions_of(network, cohort_module_ids):
    """{cohort module id: [contribution]} in one query."""
    found = {}
    for contribution in CohortContribution.objects.for_network(network).filter(
        cohort_module__in=cohort_module_ids
    ):
        found.setdefault(contribution.cohort_module_id, []).append(contribution)
    return found
