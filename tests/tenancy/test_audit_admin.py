"""The platform admin records roles and invitations the way the pages do: through the same
services, with the staff member as the actor, one event per change."""

import pytest
from django.core import mail
from django.urls import reverse

from tenancy.audit import AuditEvent, EventKind
from tenancy.models import Invitation, Role, RoleKind
from tests.factories import make_person, with_mfa, world_invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    person = with_mfa(make_person(is_staff=True, is_superuser=True))
    client.force_login(person)
    return person


def trail(world, kind):
    return list(AuditEvent.objects.for_network(world.network).filter(kind=kind))


def test_a_role_granted_in_the_admin_is_recorded_once_with_the_staff_member(
        client, world, staff):
    person = make_person(name="Kari Nordmann")
    response = client.post(reverse("admin:tenancy_role_add"), {
        "person": person.pk, "network": world.network.pk, "kind": RoleKind.COORDINATOR,
        "organisation": world.organisation.pk, "leader_group": ""})
    assert response.status_code == 302
    role = Role.objects.for_network(world.network).get(person=person)
    assert (role.kind, role.organisation) == (RoleKind.COORDINATOR, world.organisation)
    [event] = [event for event in trail(world, EventKind.ROLE_GRANTED)
               if event.target_id == person.pk]
    assert (event.actor_id, event.details) == (
        staff.pk, {"role": "coordinator", "organisation": world.organisation.name,
                              "group": ""})


def test_a_role_is_not_changed_in_place(client, world, staff):
    role = Role.objects.for_network(world.network).get(person=world.coordinator)
    client.post(reverse("admin:tenancy_role_change", args=[role.pk]), {
        "person": world.leader.pk, "network": world.network.pk, "kind": RoleKind.NETWORK_ADMIN})
    role.refresh_from_db()
    assert (role.person, role.kind) == (world.coordinator, RoleKind.COORDINATOR)


def test_a_role_removed_in_the_admin_is_recorded_once(client, world, staff):
    role = Role.objects.for_network(world.network).get(person=world.facilitator)
    response = client.post(reverse("admin:tenancy_role_delete", args=[role.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Role.objects.for_network(world.network).filter(pk=role.pk).exists()
    [event] = trail(world, EventKind.ROLE_REMOVED)
    assert (event.actor_id, event.target_id, event.details) == (
        staff.pk, world.facilitator.pk, {"role": "facilitator", "organisation": "",
                                         "group": ""})


def test_roles_removed_together_are_recorded_one_by_one(client, world, staff):
    roles = Role.objects.for_network(world.network).filter(
        person__in=[world.leader, world.coordinator])
    ids = sorted(roles.values_list("pk", flat=True))
    response = client.post(reverse("admin:tenancy_role_changelist"), {
        "action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    removed = trail(world, EventKind.ROLE_REMOVED)
    assert sorted(event.target_id for event in removed) == sorted(
        [world.leader.pk, world.coordinator.pk])
    assert {event.actor_id for event in removed} == {staff.pk}
    assert {event.details["group"] for event in removed} == {world.group.name, ""}


def test_an_invitation_sent_in_the_admin_is_emailed_and_recorded(
        client, world, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:tenancy_invitation_add"), {
            "network": world.network.pk, "email": "ny@test.example", "name": "Ny Leder",
            "title": "", "language": "en", "kind": RoleKind.LEADER,
            "organisation": world.organisation.pk, "leader_group": world.group.pk})
    assert response.status_code == 302
    invitation = Invitation.objects.for_network(world.network).get(email="ny@test.example")
    assert invitation.invited_by == staff and invitation.sent_at is not None
    assert mail.outbox[-1].to == ["ny@test.example"]
    [event] = trail(world, EventKind.INVITATION_SENT)
    assert (event.actor_id, event.target_id) == (staff.pk, invitation.pk)


def test_invitations_are_revoked_in_the_admin_not_deleted(client, world, staff):
    invitation = world_invitation(world)
    changelist = reverse("admin:tenancy_invitation_changelist")
    assert client.post(reverse("admin:tenancy_invitation_delete", args=[invitation.pk]),
                       {"post": "yes"}).status_code == 403
    client.post(changelist, {"action": "revoke", "_selected_action": [invitation.pk]})
    client.post(changelist, {"action": "revoke", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    [event] = trail(world, EventKind.INVITATION_REVOKED)
    assert event.actor_id == staff.pk


def test_making_someone_platform_staff_and_taking_it_back_is_recorded(client, staff):
    from tenancy.scoping import platform_wide

    person = make_person(name="Siri Staff", language="en")
    url = reverse("admin:tenancy_person_change", args=[person.pk])
    fields = {"email": person.email, "name": person.name, "title": "", "language": "en",
              "is_active": "on"}
    assert client.post(url, {**fields, "is_staff": "on"}).status_code == 302
    client.post(url, {**fields, "is_staff": "on"})  # saved again unchanged: nothing new
    client.post(url, fields)
    with platform_wide():
        events = list(AuditEvent.objects.filter(
            target_type="person", target_id=person.pk, network=None,
            kind__in=[EventKind.ROLE_GRANTED, EventKind.ROLE_REMOVED]).order_by("pk"))
    assert [(event.kind, event.actor_id, event.details) for event in events] == [
        (EventKind.ROLE_GRANTED, staff.pk, {"role": "staff"}),
        (EventKind.ROLE_REMOVED, staff.pk, {"role": "staff"})]
