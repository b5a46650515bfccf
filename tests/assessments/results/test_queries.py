"""The results pages and the gathering screen ask the database the same number of times for
a handful of answers as for many groups: aggregates are computed in one statement."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from assessments.results.live import forget_held_parts
from tenancy.languages import person_language
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    build_round,
    build_submission,
    make_group,
    make_organisation,
    make_person,
)

pytestmark = pytest.mark.django_db

SCORES = {"vision": (2, 4), "customer": (3, 3.5), "data": (1, 5)}


def fill(world, round, groups, per_group):
    minute = 0
    for group in groups:
        round.cohort.leader_groups.add(group)
        for _ in range(per_group):
            minute += 1
            person = make_person()
            grant_role(person, world.network, RoleKind.LEADER, leader_group=group)
            build_submission(round, person=person, group=group, scores=SCORES,
                             submitted_at=timezone.now() - timedelta(minutes=600 - minute))


def small(world):
    """The leader answered this round and an earlier one; their group is complete."""
    earlier = build_round(world, name="Earlier", opens_at=timezone.now() - timedelta(days=60),
                          closes_at=timezone.now() - timedelta(days=50))
    build_submission(earlier, person=world.leader, group=world.group, scores=SCORES,
                     submitted_at=timezone.now() - timedelta(days=55))
    round = build_round(world)
    build_submission(round, person=world.leader, group=world.group, scores=SCORES)
    fill(world, round, [world.group], 4)
    return round


def big(world):
    """The same, with seven more groups (in seven organisations) answering both rounds."""
    round = small(world)
    earlier = round.cohort.rounds.get(custom_name="Earlier")
    groups = [make_group(world.network, make_organisation(world.network)) for _ in range(6)]
    groups.append(make_group(world.network, world.organisation))
    fill(world, round, groups, 7)
    fill(world, earlier, groups[:3], 5)
    return round


# session, person and the person's roles with their networks (the middleware: 3; for a network
# admin a fourth: their authenticator app), then the page's own (the report links ask which of
# the person's groups are in the cohort unless the page knows: one group, or none). Made
# afresh, then as every later reader gets it while no block is released: the group results
# page's numbers and the gathering screen's live part (htmx) come from the shared cache, after
# one query for whether anything changed (sent in one round trip with the one for the groups
# shown on the results page: tenancy.rows.rows_of_each).
PAGES = [("assessment_results", "leader", 5, 5, {}),  # the round (with its latest block)
         # and the own responses with their scores (one round trip: tenancy.rows.rows_of_each);
         # the material for the largest gaps (resources, the cohort's exercises: two or three
         # queries) is kept until the next write (tenancy.generations) and the group's and the
         # network's numbers are shared (one more query each when made afresh, below)
         ("round_results", "facilitator", 10, 6, {}),
         ("round_results", "coordinator", 11, 7, {}),  # + their organisations
         ("round_gathering", "facilitator", 5, 5, {}),
         ("round_gathering", "admin", 6, 6, {"HX-Request": "true"})]


@pytest.mark.parametrize(("name", "role", "fresh", "cached", "headers"), PAGES,
                         ids=[f"{name}-{role}" for name, role, _f, _c, _h in PAGES])
@pytest.mark.parametrize("size", [small, big], ids=["small", "big"])
def test_the_query_count_does_not_grow_with_the_data(
        client, world, django_assert_num_queries, name, role, fresh, cached, headers, size):
    round = size(world)
    url = reverse(name, kwargs={"network_slug": world.network.slug, "round_id": round.pk})
    client.force_login(world.person(role))
    # The network is remembered, and the first read after the earlier round closed pools it.
    assert client.get(url, headers=headers).status_code == 200
    with django_assert_num_queries(fresh):
        assert client.get(url, headers=headers).status_code == 200
    with django_assert_num_queries(cached):
        assert client.get(url, headers=headers).status_code == 200


@pytest.mark.parametrize("size", [small, big], ids=["small", "big"])
def test_the_gathering_live_part_made_afresh_costs_the_same_at_any_size(
        client, world, django_assert_num_queries, size):
    """After a released block (here: the shared part gone from the cache) the live part is
    made again: two more queries (the released totals and the groups; the dimensions are read
    once per process)."""
    from django.core.cache import cache

    round = size(world)
    url = reverse("round_gathering", kwargs={"network_slug": world.network.slug,
                                             "round_id": round.pk})
    client.force_login(world.person("facilitator"))
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    cache.clear()
    forget_held_parts()
    with django_assert_num_queries(7):
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200


@pytest.mark.parametrize("size", [small, big], ids=["small", "big"])
def test_own_results_made_afresh_cost_two_queries_more_at_any_size(
        client, world, django_assert_num_queries, size):
    """After a released block of the group (here: the shared parts gone from the cache) the
    network's and the group's part of the leader's own results are made again: the released
    totals of each (a block of another group renews the network's part alone: one)."""
    from django.core.cache import cache

    round = size(world)
    url = reverse("assessment_results", kwargs={"network_slug": world.network.slug,
                                                "round_id": round.pk})
    client.force_login(world.person("leader"))
    assert client.get(url).status_code == 200
    cache.clear()
    forget_held_parts()
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_the_big_world_really_is_bigger(client, world):
    round = big(world)
    client.force_login(world.facilitator)
    url = reverse("round_results", kwargs={"network_slug": world.network.slug,
                                           "round_id": round.pk})
    with CaptureQueriesContext(connection):
        page = client.get(url).content.decode()
    with translation.override(person_language(world.facilitator, world.network)):
        submitted = ngettext("%(counter)s response submitted.",
                             "%(counter)s responses submitted.", 54) % {"counter": 54}
    assert submitted in page
