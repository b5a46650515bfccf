"""Where a leader goes to do an activity: the reflection page, the group task, the resource,
the open assessment round. Kept apart from the selectors, which know nothing of URLs."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.models import ActivityKind

RESOURCE_VERBS = {
    ActivityKind.VIDEO: _("Watch"),
    ActivityKind.PODCAST: _("Listen"),
    ActivityKind.ARTICLE: _("Read"),
    ActivityKind.CASE: _("Read the case"),
}


def _url(name, network_slug, **kwargs):
    return reverse(name, kwargs={"network_slug": network_slug, **kwargs})


def activity_links(network_slug, cohort_module, item, groups):
    """[(url, label)] for one activity; one link per group for group work when the leader
    is in several groups of the cohort."""
    activity, kind = item.activity, item.activity.kind
    several = len(groups) > 1

    def per_group(name, label, **kwargs):
        return [(_url(name, network_slug, group_id=group.pk, **kwargs),
                 f"{label} – {group.name}" if several else label) for group in groups]

    if kind == ActivityKind.REFLECTION:
        return [(_url("reflection", network_slug, cohort_module_id=cohort_module.pk,
                      reflection_activity_id=activity.pk), _("Write your reflection"))]
    if kind == ActivityKind.GROUP_TASK:
        return per_group("group_task", _("Open the group task"),
                         cohort_module_id=cohort_module.pk, task_activity_id=activity.pk)
    if kind == ActivityKind.AMBITION:
        return per_group("ambition_edit", _("Set the ambition"),
                         cohort_module_id=cohort_module.pk)
    if kind == ActivityKind.INITIATIVES:
        return per_group("group_work", _("Plan the initiatives"))
    if kind == ActivityKind.INITIATIVE_REVIEW:
        return per_group("initiatives_review", _("Review the open initiatives"))
    if kind == ActivityKind.ASSESSMENT:
        if item.open_round is None:
            return []
        return [(_url("assessment_take", network_slug, round_id=item.open_round.pk),
                 _("Answer the assessment"))]
    if activity.resource_id:
        return [(_url("resource_detail", network_slug, resource_id=activity.resource_id),
                 RESOURCE_VERBS.get(kind, _("Open")))]
    return []


def attach_links(network_slug, module_journey, groups, items=None):
    for item in items if items is not None else module_journey.items:
        item.links = activity_links(network_slug, module_journey.cohort_module, item, groups)
