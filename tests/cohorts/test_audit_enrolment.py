"""Enrolment lists, moving and removing leaders land in the audit trail."""

import pytest
from django.urls import reverse

from tenancy.audit import AuditEvent, EventKind
from tenancy.models import Role, RoleKind
from tests.cohorts.test_enrolment_import import LIST, check_and_enrol
from tests.factories import make_group

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def recorded(world, kind):
    return list(AuditEvent.objects.for_network(world.network).filter(kind=kind).order_by("pk"))


def leader_url(world, name):
    role = Role.objects.for_network(world.network).get(person=world.leader, kind=RoleKind.LEADER)
    return reverse(name, kwargs={"network_slug": world.network.slug, "leader_role_id": role.pk})


def test_an_enrolment_list_is_one_event_with_its_counts(client, world):
    client.force_login(world.coordinator)
    check_and_enrol(client, world, LIST)
    [event] = recorded(world, EventKind.LEADERS_ENROLLED)
    assert (event.actor_id, event.target_type, event.target_id, event.target_label) == (
        world.coordinator.pk, "leadergroup", world.group.pk, world.group.name)
    assert event.details == {"enrolled": 2, "invited": 2, "unchanged": 0}


def test_moving_and_removing_a_leader(client, world):
    target = make_group(world.network, world.organisation, "Ledergruppe helse")
    client.force_login(world.coordinator)
    client.post(leader_url(world, "leader_move"), {"leader_group": target.pk})
    [moved] = recorded(world, EventKind.LEADER_MOVED)
    assert (moved.actor_id, moved.target_id, moved.details) == (
        world.coordinator.pk, world.leader.pk,
        {"moved_from": world.group.name, "moved_to": target.name})

    client.post(leader_url(world, "leader_remove"))
    [removed] = recorded(world, EventKind.LEADER_REMOVED)
    assert (removed.target_id, removed.details) == (world.leader.pk, {"group": target.name})
