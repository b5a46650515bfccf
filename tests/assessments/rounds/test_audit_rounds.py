"""Scheduling, changing and deleting a round land in the audit trail, with the times."""

from datetime import UTC, datetime

import pytest

from assessments.models import Round
from tenancy.audit import AuditEvent, EventKind
from tests.assessments.rounds.test_views import OSLO, cohort, edit_url, instruments, rounds_url

pytestmark = pytest.mark.django_db
__all__ = ["cohort", "instruments"]  # fixtures


def recorded(world, kind):
    return list(AuditEvent.objects.for_network(world.network).filter(kind=kind))


def test_a_round_scheduled_changed_and_deleted(client, world, cohort, instruments):  # noqa: F811
    client.force_login(world.facilitator)
    client.post(rounds_url(cohort), {"instrument": instruments["capabilities"].pk,
                                     "purpose": "start"})
    round_ = Round.objects.for_network(world.network).get()
    [scheduled] = recorded(world, EventKind.ROUND_SCHEDULED)
    assert (scheduled.actor_id, scheduled.target_id, scheduled.details["cohort"]) == (
        world.facilitator.pk, round_.pk, cohort.name)
    assert scheduled.details["opens_at"] == "2027-01-11T07:00+00:00"

    client.post(edit_url(round_), {"name": round_.name, "purpose": "start",
                                   "opens_at": "2027-05-01T08:00",
                                   "closes_at": "2027-05-20T16:00"})
    [changed] = recorded(world, EventKind.ROUND_CHANGED)
    assert changed.details["opens_at_was"] == "2027-01-11T07:00+00:00"
    assert changed.details["opens_at"] == datetime(2027, 5, 1, 8, tzinfo=OSLO).astimezone(
        UTC).isoformat(timespec="minutes")

    client.post(edit_url(round_), {"delete": "1"})
    [deleted] = recorded(world, EventKind.ROUND_DELETED)
    assert (deleted.target_id, deleted.target_label) == (round_.pk, changed.target_label)
