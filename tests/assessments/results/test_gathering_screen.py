"""The gathering screen: the room's answers arrive live, but only in blocks of k."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import build_round, build_submission, make_group

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def at(minutes):
    return timezone.now() - timedelta(hours=1) + timedelta(minutes=minutes)


def screen(world, round, **query):
    url = reverse("round_gathering",
                  kwargs={"network_slug": world.network.slug, "round_id": round.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_screen_counts_answers_exactly_and_refreshes_itself(client, world):
    round = build_round(world)
    for minute in range(3):
        build_submission(round, group=world.group, submitted_at=at(minute),
                         scores={"vision": (2, 4)})
    client.force_login(world.facilitator)
    page = client.get(screen(world, round)).content.decode()
    assert "3 have answered" in page
    assert 'hx-trigger="every 5s"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "assessments/gathering.js" in page
    assert "not shown: fewer than 5 answered" in page


def test_htmx_gets_only_the_live_part(client, world):
    round = build_round(world)
    client.force_login(world.admin)
    response = client.get(screen(world, round, d=1), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="gathering-live"')
    assert "<html" not in page and "Previous" not in page
    assert 'hx-get="?d=1"' in page


def test_one_dimension_at_a_time_with_its_discussion_prompt(client, world):
    round = build_round(world)
    client.force_login(world.facilitator)
    page = client.get(screen(world, round, d=2)).content.decode()
    assert "Talk about customer" in page
    assert "2 of 3" in page
    assert 'rel="prev" href="?d=1"' in page and 'rel="next" href="?d=3"' in page
    last = client.get(screen(world, round, d=99)).content.decode()
    assert "Talk about data" in last and 'rel="next"' not in last
    overview = client.get(screen(world, round, d="x")).content.decode()
    assert "Overview" in overview and 'rel="prev"' not in overview


def test_group_values_move_only_when_k_more_have_answered(client, world):
    round = build_round(world)
    other = make_group(world.network, world.organisation, name="Second group")
    round.cohort.leader_groups.add(other)
    for minute, today in enumerate([1, 2, 3, 4, 5, 5, 5]):  # first five: mean 3.0
        build_submission(round, group=world.group, submitted_at=at(minute),
                         scores={"vision": (today, 5)})
    client.force_login(world.facilitator)
    page = client.get(screen(world, round, d=1)).content.decode()
    assert "7 have answered" in page
    assert "3.0 → 5.0" in page  # the group and the network: the first block of five
    assert "Second group" in page and "not shown: fewer than 5" in page

    for minute in range(3):  # the second block completes: ten answers, mean 4.0
        build_submission(round, group=world.group, submitted_at=at(10 + minute),
                         scores={"vision": (5, 5)})
    page = client.get(screen(world, round, d=1)).content.decode()
    assert "10 have answered" in page
    assert "3.0 → 5.0" not in page and "4.0 → 5.0" in page  # (1+2+3+4+5+5*5)/10


def test_leaders_and_coordinators_have_no_gathering_screen(client, world):
    round = build_round(world)
    for person in (world.leader, world.coordinator):
        client.force_login(person)
        assert client.get(screen(world, round)).status_code == 404


def live(client, world, round, **query):
    return client.get(screen(world, round, **query), headers={"HX-Request": "true"}
                      ).content.decode()


def test_the_live_part_is_shared_between_screens_until_something_changes(
        client, world, django_assert_num_queries):
    """Every screen's poll (issue 11) is answered from one cached part while nothing changed;
    each answer, and each block released, is on the next poll of every screen."""
    from django.test import Client

    round = build_round(world)
    for minute in range(4):
        build_submission(round, group=world.group, submitted_at=at(minute),
                         scores={"vision": (3, 5)})
    client.force_login(world.facilitator)
    first = live(client, world, round, d=1)
    assert "4 have answered" in first and "not shown: fewer than 5" in first
    second_screen = Client()
    second_screen.force_login(world.facilitator)
    with django_assert_num_queries(5):  # session, person, roles, the round, "anything new?"
        assert live(second_screen, world, round, d=1) == first

    build_submission(round, group=world.group, submitted_at=at(5), scores={"vision": (5, 5)})
    fifth = live(second_screen, world, round, d=1)
    assert "5 have answered" in fifth and "3.4 → 5.0" in fifth  # (4*3+5)/5: the first block
    assert live(client, world, round, d=1) == fifth
    assert "3.4 → 5.0" not in live(client, world, round, d=2)  # another dimension, its own part


def test_a_closed_round_shows_its_pooled_blocks_on_the_next_poll(client, world):
    round = build_round(world, closes_at=timezone.now() + timedelta(hours=1))
    other = make_group(world.network, world.organisation, name="Second group")
    round.cohort.leader_groups.add(other)
    for minute, group in enumerate([world.group] * 3 + [other] * 2):
        build_submission(round, group=group, submitted_at=at(minute), scores={"vision": (2, 4)})
    client.force_login(world.facilitator)
    assert "2.0 → 4.0" not in live(client, world, round, d=1)  # no unit has five yet
    round.closes_at = timezone.now() - timedelta(minutes=1)
    round.save(update_fields=["closes_at"])
    assert "2.0 → 4.0" in live(client, world, round, d=1)  # pooled: the network's five


def test_a_full_screen_button_comes_with_javascript_only(client, world):
    round = build_round(world)
    client.force_login(world.facilitator)
    page = client.get(screen(world, round)).content.decode()
    assert 'data-fullscreen aria-pressed="false" hidden>' in page  # gathering.js shows it


def test_long_and_shared_group_names_are_written_whole_and_told_apart(client, world):
    """"Kristiansand kommune: Kommunedire…" twice told the room nothing: a long name takes
    two lines, and two groups of one name in one organisation are numbered."""
    from tests.factories import make_organisation

    round = build_round(world)
    kristiansand = make_organisation(world.network, "Kristiansand kommune")
    grimstad = make_organisation(world.network, "Grimstad kommune")
    for organisation in (kristiansand, kristiansand, grimstad):
        round.cohort.leader_groups.add(
            make_group(world.network, organisation, "Kommunedirektørens ledergruppe"))
    client.force_login(world.facilitator)
    page = client.get(screen(world, round, d=1)).content.decode()
    chart = page[page.index("<svg xmlns"):]
    assert "…" not in chart[:chart.index("</svg>")]
    assert ">Kristiansand kommune:</tspan>" in chart
    assert ">Grimstad kommune:</tspan>" in chart
    assert ">Kommunedirektørens ledergruppe (1)</tspan>" in chart
    assert ">Kommunedirektørens ledergruppe (2)</tspan>" in chart


def test_the_count_is_read_on_every_poll_the_rest_made_once_per_released_block(
        client, world, monkeypatch):
    """Issue 11: what the released blocks show is made when a block is released, not for
    every answer nor for every screen."""
    from assessments.results import views

    made = []
    make = views._released_part
    monkeypatch.setattr(views, "_released_part", lambda *args: made.append(1) or make(*args))
    round = build_round(world)
    client.force_login(world.facilitator)
    for minute in range(4):
        build_submission(round, group=world.group, submitted_at=at(minute),
                         scores={"vision": (3, 5)})
        assert f"{minute + 1} ha" in live(client, world, round, d=1)
    assert len(made) == 1
    build_submission(round, group=world.group, submitted_at=at(5), scores={"vision": (5, 5)})
    fifth = live(client, world, round, d=1)
    assert "5 have answered" in fifth and "3.4 → 5.0" in fifth
    assert len(made) == 2


@pytest.fixture
def counted_make():
    """(made, make): make() returns "part 1", "part 2"... and `made` counts its calls."""
    made = []

    def make():
        made.append(1)
        return f"part {len(made)}"

    return made, make


def test_while_one_worker_makes_the_new_part_the_others_answer_with_the_last_one(
        monkeypatch, counted_make):
    from django.core.cache import cache

    from assessments.results import live

    made, make = counted_make
    key = "assessments:gathering-live:test"
    assert live.shared_part(key, live.LiveState(5, 1), make) == "part 1"
    assert live.shared_part(key, live.LiveState(6, 1), make) == "part 1"  # no new block
    cache.add(f"{key}:making", 1, 10)  # another worker is making the part of block 2
    assert live.shared_part(key, live.LiveState(10, 2), make) == "part 1"
    assert made == [1]
    cache.delete(f"{key}:making")
    assert live.shared_part(key, live.LiveState(10, 2), make) == "part 2"
    assert live.shared_part(key, live.LiveState(10, 2), make) == "part 2"

    # Nothing to answer with yet: wait for the other worker's part rather than make it too.
    cache.delete(key)
    cache.add(f"{key}:making", 1, 10)
    monkeypatch.setattr(live.time, "sleep",
                        lambda seconds: cache.set(key, (3, "their part"), 60))
    assert live.shared_part(key, live.LiveState(15, 3), make) == "their part"
    assert len(made) == 2


def test_a_part_held_by_the_process_answers_without_redis_but_never_past_its_block_or_time(
        monkeypatch, counted_make):
    """Each process holds the parts it read or made last (live.shared_parts)."""
    import time

    from django.core.cache import cache

    from assessments.results import live

    _made, make = counted_make
    key = "assessments:test-held-part"
    assert live.shared_part(key, live.LiveState(5, 1), make) == "part 1"
    cache.delete(key)  # Redis lost it; this process still holds it
    assert live.shared_part(key, live.LiveState(5, 1), make) == "part 1"
    assert live.shared_part(key, live.LiveState(10, 2), make) == "part 2"  # a new block
    cache.delete(key)
    later = time.monotonic() + live.PART_CACHE_SECONDS + 1
    monkeypatch.setattr(live.time, "monotonic", lambda: later)
    assert live.shared_part(key, live.LiveState(10, 2), make) == "part 3"  # expired as Redis's


def test_several_parts_come_from_this_process_from_redis_or_made():
    from django.core.cache import cache

    from assessments.results import live

    cache.set("assessments:test-in-redis", (1, "from redis"), 60)
    live.shared_part("assessments:test-held", live.LiveState(0, 1), lambda: "held")
    parts = live.shared_parts([
        ("assessments:test-held", live.LiveState(0, 1), lambda: "made"),
        ("assessments:test-in-redis", live.LiveState(0, 1), lambda: "made"),
        ("assessments:test-nowhere", live.LiveState(0, 1), lambda: "made")])
    assert parts == ["held", "from redis", "made"]


def test_a_facilitator_of_another_cohort_has_no_screen_of_this_round(client, world):
    """The poll's look-up (assessments.access.access_round_to_run) keeps the policy's rule,
    for every person apart."""
    from tenancy.models import RoleKind
    from tenancy.services import grant_role
    from tests.factories import make_person

    round = build_round(world)
    client.force_login(world.facilitator)
    assert client.get(screen(world, round), headers={"HX-Request": "true"}).status_code == 200
    other = make_person()
    grant_role(other, world.network, RoleKind.FACILITATOR)
    client.force_login(other)
    for headers in ({}, {"HX-Request": "true"}):
        assert client.get(screen(world, round), headers=headers).status_code == 404
    client.force_login(world.admin)  # every cohort of the network
    assert client.get(screen(world, round), headers={"HX-Request": "true"}).status_code == 200


def test_the_polls_count_is_the_count_of_the_results_pages(world):
    """live_state counts as submitted_count does: the people of the released blocks (kept
    when one of them is erased later) and those still waiting."""
    from assessments.results import live
    from assessments.results.selectors import submitted_count

    round = build_round(world)
    for minute in range(7):
        build_submission(round, group=world.group, submitted_at=at(minute),
                         scores={"vision": (3, 5)})
    state = live.live_state(world.network, round)
    assert state.submitted == submitted_count(round) == 7 and state.last_block > 0
