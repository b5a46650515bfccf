"""Coordinators move a leader to another group of their organisation or take them out of their
group (after confirming); the leader's own work stays theirs."""

import pytest
from django.urls import reverse

from modules.models import Reflection
from tenancy.models import Invitation, Person, Role, RoleKind
from tenancy.services import accept_invitation, create_invitation, grant_role
from tests.factories import make_cohort_module, make_group, make_organisation, world_cohort

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def url(world, name, role):
    return reverse(name, kwargs={"network_slug": world.network.slug, "leader_role_id": role.pk})


def leader_role(world, person=None):
    return Role.objects.for_network(world.network).get(person=person or world.leader,
                                                       kind=RoleKind.LEADER)


def test_a_coordinator_moves_a_leader_to_another_group_of_the_organisation(client, world):
    target = make_group(world.network, world.organisation, "Ledergruppe helse")
    elsewhere = make_group(world.network, make_organisation(world.network))
    role = leader_role(world)
    client.force_login(world.coordinator)
    form = client.get(url(world, "leader_move", role)).context["form"]
    assert list(form.fields["leader_group"].queryset) == [target]
    response = client.post(url(world, "leader_move", role), {"leader_group": elsewhere.pk})
    assert response.status_code == 200
    response = client.post(url(world, "leader_move", role), {"leader_group": target.pk})
    assert response.status_code == 302
    assert response.url == reverse("organisation_progress", kwargs={
        "network_slug": world.network.slug, "organisation_id": world.organisation.pk})
    role.refresh_from_db()
    assert role.leader_group == target


def test_a_leader_already_in_the_target_group_is_not_doubled(client, world):
    target = make_group(world.network, world.organisation)
    grant_role(world.leader, world.network, RoleKind.LEADER, leader_group=target)
    role = Role.objects.for_network(world.network).get(person=world.leader,
                                                       leader_group=world.group)
    client.force_login(world.coordinator)
    response = client.post(url(world, "leader_move", role), {"leader_group": target.pk})
    assert response.status_code == 200
    assert "is already a leader in" in response.content.decode()
    assert Role.objects.for_network(world.network).filter(person=world.leader).count() == 2


def test_an_unanswered_invitation_follows_the_moved_leader(world):
    from cohorts import services

    target = make_group(world.network, world.organisation)
    person = Person.objects.create_user("ny@kommune.example", name="Ny Leder")
    grant_role(person, world.network, RoleKind.LEADER, leader_group=world.group)
    _invitation, token = create_invitation(
        world.network, email="NY@kommune.example", kind=RoleKind.LEADER,
        invited_by=world.coordinator, language="nb", leader_group=world.group,
        organisation=world.organisation)
    services.move_leader(leader_role(world, person), target)
    accept_invitation(token)
    assert set(Role.objects.for_network(world.network).filter(person=person)
               .values_list("leader_group", flat=True)) == {target.pk}


def test_removing_asks_first_then_takes_the_role_and_keeps_the_leaders_work(client, world):
    cohort = world_cohort(world)
    activity = make_cohort_module(cohort).module.phases.first().activities.first()
    Reflection.objects.create(network=world.network, cohort=cohort, person=world.leader,
                              activity=activity, text="Mine")
    role = leader_role(world)
    client.force_login(world.coordinator)
    page = client.get(url(world, "leader_remove", role))
    assert page.status_code == 200
    assert "remain theirs" in page.content.decode()
    assert Role.objects.for_network(world.network).filter(pk=role.pk).exists()
    response = client.post(url(world, "leader_remove", role))
    assert response.status_code == 302
    assert not Role.objects.for_network(world.network).filter(pk=role.pk).exists()
    assert Person.objects.filter(pk=world.leader.pk).exists()
    assert Reflection.objects.for_network(world.network).get(person=world.leader).text == "Mine"


def test_removing_also_withdraws_an_unanswered_invitation_to_the_group(client, world):
    create_invitation(world.network, email=world.leader.email, kind=RoleKind.LEADER,
                      invited_by=world.coordinator, language="nb", leader_group=world.group)
    client.force_login(world.coordinator)
    client.post(url(world, "leader_remove", leader_role(world)))
    assert not Invitation.objects.for_network(world.network).exists()


def test_only_those_who_manage_the_group_move_or_remove(client, world):
    elsewhere = make_group(world.network, make_organisation(world.network))
    stranger = Person.objects.create_user("annen@kommune.example", name="Annen")
    grant_role(stranger, world.network, RoleKind.LEADER, leader_group=elsewhere)
    client.force_login(world.coordinator)
    for name in ("leader_move", "leader_remove"):
        assert client.get(url(world, name, leader_role(world, stranger))).status_code == 404
        assert client.post(url(world, name, leader_role(world, stranger))).status_code == 404
    for person in (world.leader, world.facilitator):
        client.force_login(person)
        assert client.post(url(world, "leader_remove", leader_role(world))).status_code == 404
    assert Role.objects.for_network(world.network).filter(person=world.leader).exists()
    client.force_login(world.admin)
    assert client.get(url(world, "leader_move", leader_role(world, stranger))).status_code == 200


def test_a_coordinator_or_admin_role_cannot_be_removed_here(client, world):
    coordinator_role = Role.objects.for_network(world.network).get(person=world.coordinator)
    client.force_login(world.admin)
    assert client.post(url(world, "leader_remove", coordinator_role)).status_code == 404


def test_the_progress_page_links_move_and_remove_for_the_coordinator(client, world):
    world_cohort(world)
    client.force_login(world.coordinator)
    page = client.get(reverse("organisation_progress", kwargs={
        "network_slug": world.network.slug, "organisation_id": world.organisation.pk}))
    html = page.content.decode()
    role = leader_role(world)
    assert url(world, "leader_move", role) in html and url(world, "leader_remove", role) in html
    client.force_login(world.facilitator)
    cohort = world_cohort(world)
    cohort.facilitators.add(world.facilitator)
    html = client.get(reverse("group_progress", kwargs={
        "network_slug": world.network.slug, "group_id": world.group.pk})).content.decode()
    assert url(world, "leader_move", role) not in html
