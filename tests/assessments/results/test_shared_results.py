"""The group results page's numbers are made once per released block and shared by every
reader (issue 11): the same key means the same HTML, so whatever they show must be in it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import build_round, build_submission, make_group, make_organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def at(minutes):
    return timezone.now() - timedelta(hours=2) + timedelta(minutes=minutes)


def results(client, world, round, **query):
    url = reverse("round_results",
                  kwargs={"network_slug": world.network.slug, "round_id": round.pk})
    query = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return client.get(url + query).content.decode()


def numbers(page):
    """The part made from released blocks (the page around it has the reader's CSRF token)."""
    return page[page.index('aria-labelledby="network-heading"'):page.index("</main>")]


def fill(round, group, count, scores, start=0):
    for minute in range(count):
        build_submission(round, group=group, submitted_at=at(start + minute), scores=scores)


def test_every_reader_gets_the_same_numbers_until_a_block_is_released(
        client, world, django_assert_num_queries):
    round = build_round(world)
    fill(round, world.group, 4, {"vision": (3, 5)})
    client.force_login(world.facilitator)
    first = results(client, world, round)
    assert "4 responses submitted." in first and "not shown: fewer than 5" in first
    other_reader = Client()
    other_reader.force_login(world.facilitator)
    with django_assert_num_queries(6):  # the middleware's 3, the round; the state and the groups
        assert numbers(results(other_reader, world, round)) == numbers(first)

    fill(round, world.group, 1, {"vision": (5, 5)}, start=10)  # the fifth: a block
    fifth = results(other_reader, world, round)
    assert "5 responses submitted." in fifth and "3.4 → 5.0" in fifth  # (4*3+5)/5
    assert numbers(results(client, world, round)) == numbers(fifth)


def test_a_submit_that_completes_no_block_shows_only_as_the_count(client, world):
    round = build_round(world)
    fill(round, world.group, 5, {"vision": (2, 4)})
    client.force_login(world.facilitator)
    before = results(client, world, round)
    fill(round, world.group, 1, {"vision": (5, 5)}, start=10)
    after = results(client, world, round)
    assert "5 responses submitted." in before and "6 responses submitted." in after
    assert numbers(before) == numbers(after)  # no number moved


def test_a_renamed_group_shows_on_the_next_read(client, world):
    round = build_round(world)
    fill(round, world.group, 5, {"vision": (2, 4)})
    client.force_login(world.facilitator)
    assert world.group.name in results(client, world, round)
    world.group.name = "Renamed leadership team"
    world.group.save(update_fields=["name"])
    assert "Renamed leadership team" in results(client, world, round)


def test_each_reader_sees_only_the_groups_they_may_follow(client, world):
    """A coordinator and a facilitator read the same round: each their own part."""
    round = build_round(world)
    foreign = make_group(world.network, make_organisation(world.network), name="Foreign group")
    round.cohort.leader_groups.add(foreign)
    fill(round, world.group, 5, {"vision": (2, 4)})
    fill(round, foreign, 5, {"vision": (4, 4)}, start=10)
    client.force_login(world.facilitator)
    assert "Foreign group" in results(client, world, round)
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    page = results(coordinator, world, round)
    assert "Foreign group" not in page and world.organisation.name in page
    assert "Foreign group" in results(client, world, round)


def test_each_dimension_and_language_has_its_own_part(client, world):
    round = build_round(world)
    other = make_group(world.network, world.organisation, name="Other group")
    round.cohort.leader_groups.add(other)
    fill(round, world.group, 5, {"vision": (2, 4), "customer": (3, 5)})
    fill(round, other, 5, {"vision": (1, 2), "customer": (4, 4)}, start=10)
    client.force_login(world.facilitator)
    assert "1.0 → 2.0" in results(client, world, round)
    assert "4.0 → 4.0" in results(client, world, round, d=2)
    assert "1.0 → 2.0" in results(client, world, round)
