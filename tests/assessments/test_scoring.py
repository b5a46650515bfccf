"""Scoring (FORMAT.md §5) against values computed by hand."""

import pytest

from assessments.instruments_io import import_instrument, parse_instrument
from assessments.models import DimensionScore, Item
from assessments.scoring import gap, level_of, overall_score, score_answers, score_rows
from assessments.taking import services
from tests.assessments.test_instruments_io import MINIMAL
from tests.factories import build_round

A, B = 101, 202  # two dimension ids


def test_the_mean_of_answered_items():
    assert score_answers([(A, "today", 2), (A, "today", 3), (A, "today", 4)]) == {
        (A, "today"): 3.0}


def test_dont_know_is_left_out_of_sum_and_count():
    # 1 + 2 = 3 over two answers = 1.5 (not 3 / 3 = 1.0, and "don't know" is never 0)
    assert score_answers([(A, "today", 1), (A, "today", 2), (A, "today", None)]) == {
        (A, "today"): 1.5}


def test_no_scale_value_means_no_score_at_all():
    assert score_answers([(A, "today", None), (A, "today", None)]) == {}
    assert score_answers([]) == {}


def test_today_and_ambition_and_dimensions_are_scored_apart():
    scores = score_answers([
        (A, "today", 2), (A, "today", 3),            # (2 + 3) / 2 = 2.5
        (A, "ambition", 4), (A, "ambition", 5),      # (4 + 5) / 2 = 4.5
        (B, "today", 1), (B, "today", 1), (B, "today", 4),  # 6 / 3 = 2.0
        (B, "ambition", None),                       # only "don't know": no score
    ])
    assert scores == {(A, "today"): 2.5, (A, "ambition"): 4.5, (B, "today"): 2.0}


def test_a_mean_that_is_not_a_whole_number():
    # 2 + 3 + 3 = 8 over 3 = 2.666…
    assert score_answers([(A, "today", 2), (A, "today", 3), (A, "today", 3)])[A, "today"] == \
        pytest.approx(8 / 3)


def test_level_is_the_floor_of_the_score():
    assert level_of(2.75) == 2
    assert level_of(3.0) == 3
    assert level_of(1.5) == 1
    assert level_of(4.999) == 4
    assert level_of(None) is None


def test_overall_is_the_mean_of_the_dimension_scores():
    # (2.5 + 2.0 + 4.0) / 3 = 2.8333…
    assert overall_score([2.5, 2.0, 4.0]) == pytest.approx(8.5 / 3)
    assert overall_score([3.0, None]) == 3.0
    assert overall_score([]) is None


def test_gap_is_ambition_minus_today():
    assert gap(2.5, 4.5) == 2.0
    assert gap(None, 4.0) is None


@pytest.mark.django_db
def test_submit_stores_the_scores_with_round_group_and_organisation(world):
    instrument = import_instrument(parse_instrument(MINIMAL)).instrument
    round_ = build_round(world, instrument=instrument)
    items = {item.code: item for item in Item.objects.filter(
        dimension__instrument=instrument).select_related("dimension")}
    response = services.start_response(round_, world.leader, world.group)
    services.save_answers(response, [
        (items["vis-1"], "today", 1), (items["vis-2"], "today", 2),       # vision today 1.5
        (items["vis-1"], "ambition", 2), (items["vis-2"], "ambition", None),  # ambition 2.0
        (items["cus-1"], "today", None),                                   # no score
        (items["cus-1"], "ambition", 2),                                   # customer 2.0
    ])
    assert services.submit_response(response) is True

    stored = {(row.dimension.code, row.kind): row for row in DimensionScore.objects
              .for_network(world.network).select_related("dimension")}
    assert {key: row.score for key, row in stored.items()} == {
        ("vision", "today"): 1.5, ("vision", "ambition"): 2.0, ("customer", "ambition"): 2.0}
    row = stored["vision", "today"]
    assert (row.round_id, row.leader_group_id, row.organisation_id, row.network_id) == (
        round_.pk, world.group.pk, world.organisation.pk, world.network.pk)


def test_score_rows_copy_the_response_fields_for_bulk_loaders():
    from assessments.models import Response

    response = Response(pk=7, round_id=3, network_id=5, leader_group_id=11, organisation_id=13)
    [row] = score_rows(response, {(A, "today"): 2.5})
    assert (row.response_id, row.round_id, row.network_id, row.leader_group_id,
            row.organisation_id, row.dimension_id, row.kind, row.score) == (
        7, 3, 5, 11, 13, A, "today", 2.5)
