"""The pages of the benchmarks (bench/), the floor and the bare layout, exist only when
BENCH_FLOOR is on."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def floor_url(world):
    return reverse("bench_floor", kwargs={"network_slug": world.network.slug})


def test_the_floor_is_not_found_by_default(client, world, settings):
    assert settings.BENCH_FLOOR is False  # nothing but the environment variable turns it on
    client.force_login(world.leader)
    assert client.get(floor_url(world)).status_code == 404


@override_settings(BENCH_FLOOR=True)
def test_with_the_setting_on_a_member_of_the_network_gets_a_tiny_page(client, world):
    client.force_login(world.leader)
    page = client.get(floor_url(world))
    assert page.status_code == 200 and page.content == b"floor"


@override_settings(BENCH_FLOOR=True)
def test_with_the_setting_on_it_stays_a_network_page(client, world, other_world):
    client.force_login(world.leader)
    other = reverse("bench_floor", kwargs={"network_slug": other_world.network.slug})
    assert client.get(other).status_code == 404
    client.logout()
    assert client.get(floor_url(world)).status_code == 302  # to sign-in


def test_the_chrome_page_is_not_found_by_default(client, world):
    client.force_login(world.leader)
    url = reverse("bench_chrome", kwargs={"network_slug": world.network.slug})
    assert client.get(url).status_code == 404


@override_settings(BENCH_FLOOR=True)
def test_with_the_setting_on_the_chrome_page_is_the_layout_alone(client, world):
    client.force_login(world.leader)
    page = client.get(reverse("bench_chrome", kwargs={"network_slug": world.network.slug}))
    assert page.status_code == 200
    assert b'<main id="main"' in page.content and b"language-picker" in page.content
