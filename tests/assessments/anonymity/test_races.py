"""Released blocks under concurrency: people of one group submitting at the same moment, and
several screens reading a round in the moment it closes (assessments/anonymity/blocks.py)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from assessments.anonymity.aggregation import round_results
from assessments.models import Item, ReleasedBlock, Response, Round
from assessments.taking.services import save_answers, start_response, submit_response
from tests.factories import build_round, build_submission, make_group, make_person

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(function, arguments):
    barrier, errors = threading.Barrier(len(arguments)), []

    def run(argument):
        try:
            barrier.wait()
            function(argument)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_a_group_submitting_at_the_same_moment_fills_whole_blocks_once(world):
    k = world.network.anonymity_threshold
    round_ = build_round(world)
    item = Item.objects.filter(dimension__instrument=round_.instrument,
                               dimension__code="vision").get()
    responses = []
    for _ in range(2 * k):
        response = start_response(round_, make_person(), world.group)
        save_answers(response, [(item, "today", 3)])
        responses.append(response.pk)

    _at_once(lambda pk: submit_response(
        Response.objects.for_network(world.network).get(pk=pk)), responses)

    blocks = ReleasedBlock.objects.for_network(world.network).filter(round=round_)
    assert sorted(blocks.values_list("position", flat=True)) == [1, 2]
    assert not Response.objects.for_network(world.network).filter(
        round=round_, released_block__isnull=True).exists()


def test_screens_reading_a_round_as_it_closes_pool_it_once(world):
    k = world.network.anonymity_threshold
    round_ = build_round(world, opens_at=timezone.now() - timedelta(days=3),
                         closes_at=timezone.now() - timedelta(minutes=1))
    for group in (world.group, make_group(world.network, world.organisation)):
        for minute in range(k - 1):  # waiting: no group fills a block of its own
            build_submission(round_, group=group, scores={"vision": (minute + 1, 4)},
                             submitted_at=timezone.now() - timedelta(days=2, minutes=-minute))

    def read(_):
        round_results(Round.objects.for_network(world.network)
                      .select_related("network", "instrument").get(pk=round_.pk))

    _at_once(read, range(4))

    pooled = ReleasedBlock.objects.for_network(world.network).filter(round=round_)
    assert list(pooled.values_list("kind", "position")) == [("pooled", 1)]  # 8 waiting: one
    network = round_results(Round.objects.for_network(world.network)
                            .select_related("network", "instrument").get(pk=round_.pk)).network
    assert network.by_code()["vision"].today.respondents == k
