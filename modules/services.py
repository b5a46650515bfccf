"""Writes for the leader's journey: completions, reflections, the group's shared answers,
ambitions and initiatives. Each write is safe to repeat: submitting twice changes nothing."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from modules.models import (
    ActivityCompletion,
    Ambition,
    GroupTaskAnswer,
    GroupTaskRevision,
    Initiative,
    InitiativeUpdate,
    Reflection,
)
from tenancy import audit


def set_activity_done(network, cohort, person, activity, done):
    completions = ActivityCompletion.objects.for_network(network).filter(
        cohort=cohort, person=person, activity=activity)
    if not done:
        completions.delete()
        return
    try:
        with transaction.atomic():
            completions.get_or_create(network=network, cohort=cohort, person=person,
                                      activity=activity)
    except IntegrityError:  # the same click arrived twice at once; it is done either way
        pass


def save_reflection(network, cohort, person, activity, text):
    """Store the person's own reflection as it is now (autosave and the Save button)."""
    reflection, _created = Reflection.objects.for_network(network).update_or_create(
        network=network, cohort=cohort, person=person, activity=activity,
        defaults={"text": text})
    return reflection


@dataclass
class GroupTaskSave:
    answer: GroupTaskAnswer
    conflict: bool  # someone else saved after the version the form was based on


def save_group_task_answer(network, cohort, group, activity, person, text, base_version):
    """Save the group's shared answer unless someone else saved after `base_version`.

    The row is locked while it is compared and written, so two leaders saving at the same
    moment cannot both win; every save that changes the text keeps a revision."""
    with transaction.atomic():
        GroupTaskAnswer.objects.for_network(network).get_or_create(
            network=network, cohort=cohort, leader_group=group, activity=activity)
        answer = (GroupTaskAnswer.objects.for_network(network).select_for_update()
                  .get(cohort=cohort, leader_group=group, activity=activity))
        if text == answer.text:
            return GroupTaskSave(answer, conflict=False)
        if answer.version != base_version:
            return GroupTaskSave(answer, conflict=True)
        answer.text, answer.version, answer.updated_by = text, answer.version + 1, person
        answer.save(update_fields=["text", "version", "updated_by", "updated_at"])
        GroupTaskRevision.objects.create(network=network, answer=answer, version=answer.version,
                                         text=text, changed_by=person)
    return GroupTaskSave(answer, conflict=False)


def save_ambition(network, cohort, group, module, person, text):
    ambition, _created = Ambition.objects.for_network(network).update_or_create(
        network=network, cohort=cohort, leader_group=group, module=module,
        defaults={"text": text, "updated_by": person})
    return ambition


def create_initiative(network, cohort, group, module, data):
    data = dict(data)
    dimensions = data.pop("dimensions", [])
    with transaction.atomic():
        initiative = Initiative.objects.create(network=network, cohort=cohort,
                                               leader_group=group, module=module, **data)
        initiative.dimensions.set(dimensions)
    return initiative


def update_initiative(initiative, data):
    data = dict(data)
    dimensions = data.pop("dimensions", None)
    with transaction.atomic():
        for name, value in data.items():
            setattr(initiative, name, value)
        initiative.save()
        if dimensions is not None:
            initiative.dimensions.set(dimensions)
    return initiative


def add_initiative_update(initiative, person, status, text):
    """Append a dated update and set the initiative's status with it. The same update sent
    twice (a double click) is kept once."""
    with transaction.atomic():
        initiative = (Initiative.objects.for_network(initiative.network_id)
                      .select_for_update().get(pk=initiative.pk))
        latest = initiative.updates.first()
        if latest is not None and (latest.author_id, latest.status, latest.text) == (
                person.pk, status, text) and initiative.status == status:
            return latest
        update = InitiativeUpdate.objects.create(
            network_id=initiative.network_id, initiative=initiative, author=person,
            status=status, text=text)
        initiative.status = status
        initiative.save(update_fields=["status", "updated_at"])
    return update


def delete_initiative(initiative):
    initiative.delete()


def record_progress_export(network, target, rows, file_format):
    """Leaders' names, emails and progress leave Bro as a CSV or Excel file: who took which,
    in which format, and how many rows."""
    audit.record(audit.EventKind.PROGRESS_EXPORTED, network=network, target=target, rows=rows,
                 format=file_format)
