"""A person in two networks: switching between them, and landing in the one used last."""

import pytest
from django.urls import reverse

from tenancy.models import Role, RoleKind
from tenancy.services import grant_role
from tests.factories import make_person, sign_in_with_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingrid(world, other_world):
    """Like the demo's Ingrid Solberg: facilitator in one network, leader in the other."""
    person = make_person(name="Ingrid Solberg")
    grant_role(person, world.network, RoleKind.FACILITATOR)
    grant_role(person, other_world.network, RoleKind.LEADER, leader_group=other_world.group)
    return person


def sign_out(client):
    client.post(reverse("account_logout"))


def test_the_first_sign_in_asks_which_network(client, world, other_world, ingrid):
    landing = sign_in_with_code(client, ingrid.email)
    assert landing.resolver_match.url_name == "network_choice"
    html = landing.content.decode()
    assert world.network.name in html and other_world.network.name in html


def test_sign_in_lands_in_the_network_used_last_on_the_page_the_role_there_needs(
        client, world, other_world, ingrid):
    sign_in_with_code(client, ingrid.email)
    for network, page in ((world.network, "facilitator_home"),
                          (other_world.network, "leader_home")):
        chosen = client.get(reverse("network_home", args=[network.slug]), follow=True)
        assert chosen.resolver_match.url_name == page
        sign_out(client)
        landing = sign_in_with_code(client, ingrid.email)
        assert landing.resolver_match.url_name == page
        assert landing.request["PATH_INFO"].startswith(f"/n/{network.slug}/")
        ingrid.refresh_from_db()
        assert ingrid.last_network == network


def test_the_switch_page_and_the_nav_lead_to_the_other_network(client, world, other_world,
                                                               ingrid):
    client.force_login(ingrid)
    page = client.get(reverse("facilitator_home", args=[world.network.slug]))
    assert f'href="{reverse("network_choice")}"' in page.content.decode()
    choice = client.get(reverse("network_choice")).content.decode()
    for network in (world.network, other_world.network):
        assert f'href="{reverse("network_home", args=[network.slug])}"' in choice
    switched = client.get(reverse("network_home", args=[other_world.network.slug]), follow=True)
    assert switched.resolver_match.url_name == "leader_home"
    assert other_world.network.name in switched.content.decode()


def test_the_header_names_the_current_network(client, world, other_world, ingrid):
    client.force_login(ingrid)
    page = client.get(reverse("leader_home", args=[other_world.network.slug])).content.decode()
    assert f'<span class="brand__name">{other_world.network.name}</span>' in page
    assert f"· {other_world.network.name} · Bro</title>" in page


def test_a_person_in_one_network_goes_straight_there(client, world):
    landing = sign_in_with_code(client, world.coordinator.email)
    assert landing.resolver_match.url_name == "organisation_detail"


def test_losing_the_role_in_the_last_network_falls_back_to_the_other(client, world,
                                                                     other_world, ingrid):
    ingrid.last_network = world.network
    ingrid.save()
    Role.objects.for_network(world.network).filter(person=ingrid).delete()
    landing = sign_in_with_code(client, ingrid.email)
    assert landing.resolver_match.url_name == "leader_home"
    assert landing.request["PATH_INFO"].startswith(f"/n/{other_world.network.slug}/")


def test_a_person_without_any_role_is_told_to_ask_for_an_invitation(client, db):
    person = make_person()
    landing = sign_in_with_code(client, person.email)
    assert landing.resolver_match.url_name == "network_choice"
    assert "invitation" in landing.content.decode()


def test_a_network_the_person_is_not_in_stays_hidden(client, world, other_world):
    client.force_login(world.leader)
    assert client.get(reverse("network_home", args=[other_world.network.slug])).status_code == 404
    choice = client.get(reverse("network_choice")).content.decode()
    assert other_world.network.name not in choice
