"""The national benchmark: across networks only, never naming or counting one, with its own
k (assessments.anonymity.aggregation.BENCHMARK_K scores and BENCHMARK_MIN_NETWORKS networks)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.anonymity import aggregation
from assessments.anonymity.aggregation import Suppressed, national_benchmark
from assessments.anonymity.blocks import release_pooled_blocks
from assessments.anonymity.presenter import shown
from tests.factories import build_instrument, build_round, build_submission, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument():
    return build_instrument(slug="test-benchmark", areas=(("a", ("vision",)),))


def closed_round(world, instrument):
    now = timezone.now()
    return build_round(world, instrument=instrument, opens_at=now - timedelta(days=10),
                       closes_at=now - timedelta(days=1))


def answers(round, group, values):
    for minute, value in enumerate(values):
        build_submission(round, group=group, scores={"vision": (value, 5)},
                         submitted_at=timezone.now() - timedelta(days=5, minutes=-minute))


def vision(benchmark):
    return benchmark.by_code()["vision"].today


def test_the_benchmark_pools_released_blocks_of_closed_rounds_across_networks(
        world, other_world, instrument):
    third = make_world("third-network")
    answers(closed_round(world, instrument), world.group, [2] * 10)
    answers(closed_round(other_world, instrument), other_world.group, [4] * 5)
    # 7 answers: one block of five (3s) is released, the last two (1s) wait for ever
    answers(closed_round(third, instrument), third.group, [3] * 5 + [1, 1])
    cell = vision(national_benchmark(instrument))
    assert cell.respondents == 20
    assert cell.mean == shown((10 * 2 + 5 * 4 + 5 * 3) / 20)  # one decimal, as shown
    assert cell.distribution == ((1, 0), (2, 10), (3, 5), (4, 5), (5, 0))


def test_two_networks_are_not_a_benchmark(world, other_world, instrument):
    answers(closed_round(world, instrument), world.group, [2] * 15)
    answers(closed_round(other_world, instrument), other_world.group, [4] * 15)
    cell = vision(national_benchmark(instrument))
    assert cell == Suppressed(Suppressed.TOO_FEW_NETWORKS)


def test_fewer_than_the_benchmarks_k_is_not_shown(world, other_world, instrument):
    """Three networks of five: 15 scores are fewer than the benchmark's own k."""
    third = make_world("third-network")
    for each in (world, other_world, third):
        answers(closed_round(each, instrument), each.group, [3] * 5)
    assert aggregation.BENCHMARK_K > 15
    assert vision(national_benchmark(instrument)) == Suppressed(Suppressed.TOO_FEW)


def test_open_rounds_do_not_count(world, other_world, instrument):
    third = make_world("third-network")
    for each in (world, other_world):
        answers(closed_round(each, instrument), each.group, [3] * 10)
    answers(build_round(third, instrument=instrument), third.group, [5] * 10)  # still open
    assert vision(national_benchmark(instrument)) == Suppressed(Suppressed.TOO_FEW_NETWORKS)


def test_each_closed_round_is_summed_once_then_read_from_the_cache(
        world, other_world, instrument, django_assert_num_queries):
    third = make_world("third-network")
    for each in (world, other_world, third):
        round_ = closed_round(each, instrument)
        answers(round_, each.group, [3] * 10)
        release_pooled_blocks(round_)  # the closing job, done once (at a page or here)
    dimensions = aggregation.instrument_dimensions(instrument)
    with django_assert_num_queries(2):  # the closed rounds, then their sums in one statement
        assert vision(national_benchmark(instrument, dimensions=dimensions)).mean == 3.0
    with django_assert_num_queries(1):
        assert vision(national_benchmark(instrument, dimensions=dimensions)).mean == 3.0
    newly_closed = closed_round(world, instrument)
    answers(newly_closed, world.group, [5] * 30)
    release_pooled_blocks(newly_closed)
    with django_assert_num_queries(2):  # only the newly closed round is summed
        assert vision(national_benchmark(instrument, dimensions=dimensions)).mean == (
            pytest.approx((30 * 3 + 30 * 5) / 60))


def test_the_results_page_shows_the_benchmark_without_naming_networks(
        client, world, other_world, instrument):
    from django.urls import reverse

    third = make_world("third-network", name="Digi Tredje")
    other_world.network.name = "Digi Andre"
    other_world.network.save()
    for each, value in ((world, 2), (other_world, 4), (third, 3)):
        answers(closed_round(each, instrument), each.group, [value] * 10)
    world.facilitator.language = "en"
    world.facilitator.save()
    round = world.group.cohorts.get().rounds.get()
    client.force_login(world.facilitator)
    page = client.get(reverse("round_results", kwargs={
        "network_slug": world.network.slug, "round_id": round.pk})).content.decode()
    assert "National benchmark, anonymised (today → ambition): <strong>3.0 → 5.0</strong>" in page
    for network in (other_world.network, third.network):
        assert network.name not in page and network.slug not in page
