"""DESIGN.md invariant 2: each known attack on the anonymity of aggregates, tried for real.

The rule (assessments/anonymity/aggregation.py, README "Anonymity"): scores are released in
blocks of k per leader group, in submission order; a parent shows only its children's blocks
(plus, after the round closed, blocks pooled across the round). So any two numbers shown differ
by zero people or by whole blocks of at least k."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.anonymity.aggregation import Suppressed, round_results
from tests.factories import (
    build_round,
    build_submission,
    make_group,
    make_organisation,
)

pytestmark = pytest.mark.django_db


def at(minutes):
    return timezone.now() - timedelta(hours=2) + timedelta(minutes=minutes)


def shown_cells(results, code="vision", kind="today"):
    """Every number a viewer of the round could see for one cell, with its selection."""
    selections = {"network": results.network}
    selections |= {("group", key): agg for key, agg in results.groups.items()}
    selections |= {("organisation", key): agg for key, agg in results.organisations.items()}
    cells = {name: aggregate.by_code()[code].cell(kind) for name, aggregate in selections.items()}
    return {name: cell for name, cell in cells.items() if cell.shown}


def assert_no_difference_isolates_fewer_than_k(cell_sets, k):
    """Any two shown cells (from any selection, at any moment) differ by 0 or >= k scores."""
    for first, second in itertools.combinations(cell_sets, 2):
        difference = abs(first.respondents - second.respondents)
        assert difference == 0 or difference >= k, (first, second)


def test_fewer_than_k_respondents_show_nothing(world):
    k = world.network.anonymity_threshold
    assert k == 5
    round = build_round(world)
    for minute in range(k - 1):
        build_submission(round, group=world.group, submitted_at=at(minute),
                         scores={"vision": (3, 4)})
    for results in (round_results(round), round_results(round, now=round.closes_at)):
        assert not results.network.shown
        assert not results.group(world.group.pk).shown
        assert not results.organisation(world.organisation.pk).shown
        cell = results.network.by_code()["vision"].today
        assert isinstance(cell, Suppressed)
        assert not hasattr(cell, "mean")
        assert str(cell) == "not shown"
        assert isinstance(results.network.by_code()["vision"].gap, Suppressed)


def test_k_respondents_are_shown(world):
    round = build_round(world)
    for minute, today in enumerate([1, 2, 3, 4, 5]):
        build_submission(round, group=world.group, submitted_at=at(minute),
                         scores={"vision": (today, 5)})
    results = round_results(round)
    for aggregate in (results.network, results.group(world.group.pk),
                      results.organisation(world.organisation.pk)):
        cell = aggregate.by_code()["vision"].today
        assert (cell.respondents, cell.mean) == (5, 3.0)


@pytest.mark.parametrize("lone_has_a_group", [True, False])
def test_a_group_of_k_in_an_organisation_of_k_plus_1_does_not_give_away_the_one(
        world, lone_has_a_group):
    """Viva Glint hides the next-smallest sibling; Bro leaves the one out of every parent
    until k more can join them, so parent minus group is zero people."""
    k = world.network.anonymity_threshold
    round = build_round(world)
    for minute in range(k):
        build_submission(round, group=world.group, submitted_at=at(minute),
                         scores={"vision": (2, 3)})
    lone_group = make_group(world.network, world.organisation) if lone_has_a_group else None
    lone = build_submission(round, group=lone_group, organisation=world.organisation,
                            submitted_at=at(10), scores={"vision": (5, 1)})

    for results in (round_results(round), round_results(round, now=round.closes_at)):
        group = results.group(world.group.pk).by_code()["vision"].today
        organisation = results.organisation(world.organisation.pk).by_code()["vision"].today
        network = results.network.by_code()["vision"].today
        assert group.respondents == organisation.respondents == network.respondents == k
        # the differencing attack: parent total minus group total is nobody's score
        for parent in (organisation, network):
            assert parent.respondents * parent.mean - group.respondents * group.mean == 0
            assert parent.distribution == group.distribution
        if lone_has_a_group:
            assert not results.group(lone_group.pk).shown
    assert lone.scores.count() == 2  # the lone answer exists, it is only never shown


def test_one_more_submission_never_lets_you_diff(world):
    """Watch the numbers after every single submission: they move only when k new
    scores complete a block, and then by exactly those k."""
    k = world.network.anonymity_threshold
    round = build_round(world)
    other_group = make_group(world.network, world.organisation)
    snapshots = {"group": [], "organisation": [], "network": []}
    for minute, today in enumerate([1, 5, 2, 4, 3, 5, 5, 1, 2, 4, 3, 3, 1]):
        group = world.group if minute % 4 else other_group
        build_submission(round, group=group, submitted_at=at(minute),
                         scores={"vision": (today, None)})
        results = round_results(round)
        for name, aggregate in (("group", results.group(world.group.pk)),
                                ("organisation", results.organisation(world.organisation.pk)),
                                ("network", results.network)):
            cell = aggregate.by_code()["vision"].today
            snapshots[name].append(cell)
    for cells in snapshots.values():
        shown = [cell for cell in cells if cell.shown]
        assert shown, "some values are shown along the way"
        for before, after in itertools.pairwise(shown):
            if after.respondents == before.respondents:
                assert after == before  # identical numbers: nothing to diff
            else:
                assert after.respondents - before.respondents >= k
        assert_no_difference_isolates_fewer_than_k(shown, k)


def test_the_round_closing_moves_numbers_only_by_whole_blocks(world):
    k = world.network.anonymity_threshold
    round = build_round(world)
    groups = [make_group(world.network, make_organisation(world.network)) for _ in range(3)]
    minute = 0
    for group, size in zip(groups, [k + 2, k + 1, k + 3], strict=True):
        for _ in range(size):
            build_submission(round, group=group, submitted_at=at(minute),
                             scores={"vision": (minute % 5 + 1, None)})
            minute += 1
    live = shown_cells(round_results(round))
    closed = shown_cells(round_results(round, now=round.closes_at))
    assert live["network"].respondents == 3 * k
    assert closed["network"].respondents == 4 * k  # 2 + 1 + 3 waiting scores: one pooled block
    assert_no_difference_isolates_fewer_than_k(list(live.values()) + list(closed.values()), k)


def test_two_overlapping_selections_do_not_isolate_anyone(world):
    """A group spanning two organisations: 4 of its members come from organisation A, 1 from
    B. Counting the group (5) and organisation A (4) would give away the one from B."""
    world.network.anonymity_threshold = 3
    world.network.save()
    k = 3
    organisation_a, organisation_b = world.organisation, make_organisation(world.network)
    spanning = make_group(world.network, organisation=None, name="Across")
    round = build_round(world)
    for minute in range(4):
        build_submission(round, group=spanning, organisation=organisation_a,
                         submitted_at=at(minute), scores={"vision": (2, 2)})
    build_submission(round, group=spanning, organisation=organisation_b,
                     submitted_at=at(5), scores={"vision": (5, 5)})
    for results in (round_results(round), round_results(round, now=round.closes_at)):
        cells = shown_cells(results)
        group = cells[("group", spanning.pk)]
        in_a = cells[("organisation", organisation_a.pk)]
        assert ("organisation", organisation_b.pk) not in cells
        assert group == in_a  # the same block of 3: subtracting them gives nothing
        assert group.mean == 2.0
        assert_no_difference_isolates_fewer_than_k(list(cells.values()), k)


def test_a_network_cannot_set_k_below_3(world):
    network = world.network
    network.anonymity_threshold = 2
    with pytest.raises(ValidationError):
        network.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        network.save()
