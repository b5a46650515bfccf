"""Aggregates of one round against hand-computed values (assessments/anonymity/aggregation.py).

Means and spreads are released at the one decimal people see (presenter.shown)."""

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.anonymity.aggregation import Suppressed, compare, round_results
from assessments.anonymity.presenter import shown
from tests.factories import (
    build_instrument,
    build_round,
    build_submission,
    make_group,
    make_organisation,
)

pytestmark = pytest.mark.django_db


def at(minutes):
    """Submission moments in a fixed order."""
    return timezone.now() - timedelta(hours=2) + timedelta(minutes=minutes)


@pytest.fixture
def k3(world):
    world.network.anonymity_threshold = 3
    world.network.save()
    return world


def test_mean_spread_and_distribution_of_a_group(k3):
    round = build_round(k3)
    for minute, (today, ambition) in enumerate([(1, 4), (2, 4), (3, 5)]):
        build_submission(round, group=k3.group, submitted_at=at(minute),
                         scores={"vision": (today, ambition), "customer": (2.5, 3.5)})

    results = round_results(round)
    vision = results.group(k3.group.pk).by_code()["vision"]
    assert vision.today.respondents == 3
    assert vision.today.mean == pytest.approx(2.0)
    # population standard deviation of 1, 2, 3: sqrt(((1-2)^2 + 0 + (3-2)^2) / 3)
    assert vision.today.spread == shown(math.sqrt(2 / 3)) == 0.8
    assert vision.today.distribution == ((1, 1), (2, 1), (3, 1), (4, 0), (5, 0))
    assert vision.ambition.mean == shown(13 / 3) == 4.3
    assert vision.gap == pytest.approx(4.3 - 2.0)  # the gap of the shown means
    customer = results.group(k3.group.pk).by_code()["customer"]
    # 2.5 rounds up to 3 and 3.5 to 4 in the distribution (profile instrument)
    assert customer.today.distribution == ((1, 0), (2, 0), (3, 3), (4, 0), (5, 0))
    assert customer.ambition.distribution == ((1, 0), (2, 0), (3, 0), (4, 3), (5, 0))
    assert customer.today.spread == pytest.approx(0.0)
    # no one scored "data": nothing to show
    assert isinstance(results.group(k3.group.pk).by_code()["data"].today, Suppressed)
    assert results.network.by_code()["vision"].today.mean == pytest.approx(2.0)
    assert results.organisation(k3.organisation.pk).by_code()["vision"].today.mean == 2.0


def test_generations_distribution_counts_the_level_reached(k3):
    instrument = build_instrument(slug="test-generations", kind="generations", level="floor",
                                  areas=(("services", ("services",)),))
    round = build_round(k3, instrument=instrument)
    for minute, score in enumerate([2.75, 3.0, 3.5]):
        build_submission(round, group=k3.group, submitted_at=at(minute),
                         scores={"services": (score, 4)})
    cell = round_results(round).group(k3.group.pk).by_code()["services"].today
    assert cell.distribution == ((1, 0), (2, 1), (3, 2), (4, 0), (5, 0))
    assert cell.mean == shown((2.75 + 3.0 + 3.5) / 3)


def test_a_unit_releases_whole_blocks_in_submission_order(k3):
    round = build_round(k3)
    for minute, today in enumerate([1, 2, 3, 4, 5]):
        build_submission(round, group=k3.group, submitted_at=at(minute),
                         scores={"vision": (today, None)})
    cell = round_results(round).group(k3.group.pk).by_code()["vision"].today
    # the first block of 3 (1, 2, 3); 4 and 5 wait for a third
    assert (cell.respondents, cell.mean) == (3, 2.0)

    build_submission(round, group=k3.group, submitted_at=at(10), scores={"vision": (6, None)})
    cell = round_results(round).group(k3.group.pk).by_code()["vision"].today
    assert (cell.respondents, cell.mean) == (6, 3.5)


def test_waiting_scores_are_pooled_for_the_round_once_it_has_closed(k3):
    round = build_round(k3)
    groups = [k3.group, make_group(k3.network, k3.organisation),
              make_group(k3.network, make_organisation(k3.network))]
    # each group: a block of 3 scoring 3, then one waiting score (1, 2, 5 in that order)
    minute = 0
    for group, waiting in zip(groups, [1, 2, 5], strict=True):
        for _ in range(3):
            build_submission(round, group=group, submitted_at=at(minute),
                             scores={"vision": (3, None)})
            minute += 1
        build_submission(round, group=group, submitted_at=at(30 + minute),
                         scores={"vision": (waiting, None)})

    live = round_results(round)
    assert not live.final
    assert live.network.by_code()["vision"].today.respondents == 9
    assert live.network.by_code()["vision"].today.mean == 3.0

    closed = round_results(round, now=round.closes_at)
    assert closed.final
    network = closed.network.by_code()["vision"].today
    assert network.respondents == 12
    assert network.mean == shown((27 + 1 + 2 + 5) / 12)
    # the pooled block counts for the round only, never for a group or an organisation
    for group in groups:
        assert closed.group(group.pk).by_code()["vision"].today.respondents == 3
    assert closed.organisation(k3.organisation.pk).by_code()["vision"].today.respondents == 6


def test_answers_submitted_after_the_round_closed_are_never_counted(k3):
    round = build_round(k3, opens_at=timezone.now() - timedelta(days=3),
                        closes_at=timezone.now() - timedelta(days=1))
    for minute in range(3):
        build_submission(round, group=k3.group, submitted_at=at(minute) - timedelta(days=2),
                         scores={"vision": (2, None)})
    for minute in range(3):
        build_submission(round, group=k3.group, submitted_at=at(minute),
                         scores={"vision": (5, None)})
    cell = round_results(round).network.by_code()["vision"].today
    assert (cell.respondents, cell.mean) == (3, 2.0)


def test_change_between_rounds_matches_dimension_codes_across_versions(k3):
    version_1 = build_instrument(slug="test-change", areas=(("a", ("vision", "legacy")),))
    version_2 = build_instrument(slug="test-change", version=2,
                                 areas=(("a", ("vision", "brand-new")),))
    first = build_round(k3, instrument=version_1, name="First")
    second = build_round(k3, instrument=version_2, name="Second")
    for minute in range(3):
        build_submission(first, group=k3.group, submitted_at=at(minute),
                         scores={"vision": (2, 4), "legacy": (1, 1)})
        build_submission(second, group=k3.group, submitted_at=at(minute),
                         scores={"vision": (3, 4.5), "brand-new": (5, 5)})
    changes = compare(round_results(first).network, round_results(second).network)
    assert set(changes) == {"vision"}
    assert changes["vision"].today == pytest.approx(1.0)
    assert changes["vision"].ambition == pytest.approx(0.5)
