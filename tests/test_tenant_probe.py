"""Invariant 1: another network's objects answer exactly like missing ones (404)."""

import pytest
from django.urls import reverse

from tests.factories import ROLES
from tests.tenant_probe import OBJECTS, network_url_names

URLS = network_url_names()
URLS_WITH_OBJECTS = [(name, params) for name, params in URLS if params]


def test_the_probe_finds_the_network_pages():
    names = {name for name, _params in URLS}
    assert {"manage_dashboard", "organisation_detail", "leader_group_detail"} <= names


@pytest.mark.parametrize(("name", "params"), URLS, ids=[name for name, _ in URLS])
def test_every_network_page_knows_its_objects(name, params):
    unknown = [p for p in params if p not in OBJECTS]
    assert not unknown, f"add {unknown} to tests/tenant_probe.py OBJECTS for the URL {name!r}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), URLS_WITH_OBJECTS,
                         ids=[name for name, _ in URLS_WITH_OBJECTS])
def test_objects_of_another_network_are_not_found(client, world, other_world, name, params):
    url = reverse(name, kwargs={"network_slug": world.network.slug,
                                **{p: OBJECTS[p](other_world) for p in params}})
    for role in ROLES:
        client.force_login(world.person(role))
        assert client.get(url).status_code == 404, (role, url)
        assert client.post(url, {}).status_code == 404, (role, url)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), URLS, ids=[name for name, _ in URLS])
def test_another_network_is_not_found(client, world, other_world, name, params):
    url = reverse(name, kwargs={"network_slug": other_world.network.slug,
                                **{p: OBJECTS[p](other_world) for p in params}})
    for role in ROLES:
        client.force_login(world.person(role))
        assert client.get(url).status_code == 404, (role, url)


@pytest.mark.django_db
def test_a_missing_network_is_not_found_either(client, world):
    client.force_login(world.leader)
    assert client.get("/n/no-such-network/").status_code == 404
