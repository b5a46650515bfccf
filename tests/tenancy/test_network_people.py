"""The network admin's people: Manage lists the admins, coordinators and facilitators and counts
the leaders; the people page lists everyone a page at a time and finds a person by name or
email, in the same number of queries however many people the network has (issue 11)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenancy.models import RoleKind
from tenancy.services import grant_role
from tenancy.views import PEOPLE_PAGE_SIZE
from tests.factories import make_person, make_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def add_leaders(world, count, prefix="Leder"):
    people = [make_person(name=f"{prefix} {n:03d}") for n in range(count)]
    for person in people:
        grant_role(person, world.network, RoleKind.LEADER, leader_group=world.group)
    return people


def page(client, world, name, query=""):
    response = client.get(reverse(name, args=[world.network.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_manage_lists_the_staff_and_counts_the_leaders(client, world):
    add_leaders(world, 3)
    client.force_login(world.admin)
    html = page(client, world, "manage_dashboard")
    for person in (world.admin, world.coordinator, world.facilitator):
        assert person.email in html
    assert world.leader.email not in html and "Leder 000" not in html
    assert "4 leaders." in html
    assert reverse("network_people", args=[world.network.slug]) in html


def test_the_people_page_shows_everyone_a_page_at_a_time(client, world):
    add_leaders(world, PEOPLE_PAGE_SIZE + 5)
    client.force_login(world.admin)
    first = page(client, world, "network_people")
    total = PEOPLE_PAGE_SIZE + 5 + 4  # the leaders added and the world's four roles
    assert f"{total} roles" in first and "Page 1 of 2" in first
    second = page(client, world, "network_people", "?page=2")
    shown = [n for n in range(PEOPLE_PAGE_SIZE + 5) if f"Leder {n:03d}<" in first + second]
    assert len(shown) == PEOPLE_PAGE_SIZE + 5  # every leader on one of the two pages


def test_a_person_is_found_by_name_or_email_and_the_search_is_kept_across_pages(client, world):
    add_leaders(world, 3)
    add_leaders(world, PEOPLE_PAGE_SIZE + 1, prefix="Kari")
    client.force_login(world.admin)
    found = page(client, world, "network_people", "?q=leder+001")
    assert "Leder 001" in found and "Leder 002" not in found and "1 role" in found
    by_email = page(client, world, "network_people", f"?q={world.coordinator.email}")
    assert world.coordinator.email in by_email and world.admin.email not in by_email
    many = page(client, world, "network_people", "?q=kari")
    assert "?q=kari&amp;page=2" in many
    assert "Nobody matches." in page(client, world, "network_people", "?q=nobody-by-this-name")


def test_another_networks_people_are_never_listed(client, world):
    other = make_world("other-network")
    stranger = add_leaders(other, 1, prefix="Fremmed")[0]
    client.force_login(world.admin)
    assert stranger.email not in page(client, world, "network_people", "?q=fremmed")
    assert stranger.email not in page(client, world, "network_people")


def test_the_pages_take_the_same_queries_for_few_people_and_many(client, world):
    client.force_login(world.admin)
    counts = []
    for more in (0, PEOPLE_PAGE_SIZE * 2):
        add_leaders(world, more, prefix=f"Batch {more}")
        for name in ("manage_dashboard", "network_people"):
            page(client, world, name)
            with CaptureQueriesContext(connection) as queries:
                page(client, world, name)
            counts.append(len(queries))
    assert counts[:2] == counts[2:]
