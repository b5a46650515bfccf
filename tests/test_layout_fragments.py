"""The layout's parts are rendered once and reused (tenancy.templatetags.bro.layout_fragment):
each page still gets its own CSRF token, address, network, roles, current page and language,
and the layout costs no query (README, "How fast")."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def csrf_tokens(html):
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_every_form_of_the_layout_carries_this_page_s_token(client, world):
    client.force_login(world.leader)
    first = client.get(reverse("profile")).content.decode()
    second = client.get(reverse("profile")).content.decode()
    assert len(csrf_tokens(first)) == 1 and len(csrf_tokens(second)) == 1  # picker, sign out
    assert csrf_tokens(first) != csrf_tokens(second)  # masked afresh, not frozen in the cache


def test_the_address_comes_back_escaped_in_the_picker_and_the_sign_in_link(client, world):
    client.force_login(world.leader)
    html = client.get(reverse("profile") + '?a=<b>&c="d"').content.decode()
    assert '<input type="hidden" name="next" value="/profile/?a=%3Cb%3E&amp;c=%22d%22">' in html
    assert "?next=/profile/%3Fa%3D%253Cb%253E%26c%3D%2522d%2522" in html


def test_each_network_role_and_language_gets_its_own_layout(client, world, other_world):
    client.force_login(world.leader)
    leader = client.get(reverse("leader_home", args=[world.network.slug])).content.decode()
    client.force_login(world.admin)
    admin = client.get(reverse("manage_dashboard", args=[world.network.slug])).content.decode()
    client.force_login(other_world.admin)
    other = client.get(reverse("manage_dashboard",
                               args=[other_world.network.slug])).content.decode()
    leader_home = reverse("leader_home", args=[world.network.slug])
    manage = reverse("manage_dashboard", args=[world.network.slug])
    assert f'<a href="{leader_home}" aria-current="page">' in leader
    assert manage not in leader
    assert f'<a href="{manage}" aria-current="page">' in admin and leader_home not in admin
    assert reverse("manage_dashboard", args=[other_world.network.slug]) in other
    assert manage not in other
    assert reverse("privacy_notice", args=[other_world.network.slug]) in other
    assert re.search(r'<html lang="(\w+)"', leader)[1] != re.search(
        r'<html lang="(\w+)"', other)[1]  # nb and da
    assert 'value="da" lang="da" aria-current="true"' in other


@override_settings(BENCH_FLOOR=True)
def test_the_layout_costs_no_query_beyond_the_floor(client, world):
    client.force_login(world.leader)
    floor = reverse("bench_floor", kwargs={"network_slug": world.network.slug})
    chrome = reverse("bench_chrome", kwargs={"network_slug": world.network.slug})
    client.get(floor), client.get(chrome)
    with CaptureQueriesContext(connection) as on_floor:
        client.get(floor)
    with CaptureQueriesContext(connection) as with_layout:
        client.get(chrome)
    assert len(with_layout.captured_queries) == len(on_floor.captured_queries) == 3
