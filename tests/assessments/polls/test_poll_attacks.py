"""Attacks on live polls and evaluations: results come from whole released blocks of k only.

Random histories (hypothesis) of answers, erasures, answers after closing and a second answer
by the same person are played against the real services and the real aggregation; after every
step the released rows must be what they were plus whole new blocks of k, and the shown
result may move only by exactly such a block, never by one person's answer, so differencing
two results (before and after, a screen watched after each answer) leaves k people or none."""

from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.anonymity.aggregation import poll_results
from assessments.models import PollAnswer, PollBlock
from assessments.polls import services
from tenancy.models import Network, Person, RoleKind
from tenancy.services import grant_role
from tests.factories import make_person, make_poll, world_gathering

pytestmark = pytest.mark.django_db

step = st.one_of(
    st.tuples(st.just("answer"), st.integers(1, 4)),
    st.tuples(st.just("answer"), st.integers(1, 4)),
    st.tuples(st.just("again"), st.integers(0, 99), st.integers(1, 4)),
    st.tuples(st.just("erase"), st.integers(0, 99)),
    st.just(("close",)))


def released(poll):
    return {block.pk: (block.position, block.respondents, dict(block.counts))
            for block in PollBlock.objects.for_network(poll.network_id).filter(poll=poll)}


def distribution(result):
    return dict(result.distribution) if result.shown else None


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=st.lists(step, min_size=1, max_size=25), k=st.integers(3, 5))
def test_a_result_moves_only_by_a_whole_block_of_k(world, history, k):
    with transaction.atomic():
        Network.objects.filter(pk=world.network.pk).update(anonymity_threshold=k)
        network = Network.objects.get(pk=world.network.pk)
        poll = make_poll(world, kind="choice", options=("A", "B", "C", "D"))
        people = []
        for action in history:
            rows_before = released(poll)
            before = poll_results(network, [poll])[poll.pk]
            if action[0] == "answer":
                person = make_person()
                grant_role(person, network, RoleKind.LEADER, leader_group=world.group)
                if services.answer_poll(network, poll.pk, person, action[1]):
                    people.append(person)
            elif action[0] == "again" and people:  # a second answer changes nothing
                person = people[action[1] % len(people)]
                assert not services.answer_poll(network, poll.pk, person, action[2])
            elif action[0] == "erase" and people:  # erasure: their answer goes, blocks stay
                Person.objects.filter(pk=people.pop(action[1] % len(people)).pk).delete()
            elif action[0] == "close":
                services.close_poll(poll)
                poll.refresh_from_db()
            rows_after = released(poll)
            after = poll_results(network, [poll])[poll.pk]
            assert all(rows_after[pk] == row for pk, row in rows_before.items())
            new = [rows_after[pk] for pk in rows_after.keys() - rows_before.keys()]
            assert len(new) <= 1  # one answer completes at most one block
            assert all(respondents == k for _position, respondents, _counts in new)
            if not new:
                assert after == before
                continue
            counts = Counter({int(value): n for value, n in new[0][2].items()})
            grown = Counter(distribution(after))
            grown.subtract(Counter(distribution(before) or {}))
            assert +grown == counts  # exactly the new block's k answers, never one person's
            assert after.respondents == k * len(rows_after)
        transaction.set_rollback(True)


def test_an_evaluations_items_are_cut_into_blocks_of_the_same_people(world):
    Network.objects.filter(pk=world.network.pk).update(anonymity_threshold=3)
    network = Network.objects.get(pk=world.network.pk)
    items = services.open_evaluation(world_gathering(world), created_by=world.facilitator)
    people = []
    for index in range(8):
        person = make_person()
        grant_role(person, network, RoleKind.LEADER, leader_group=world.group)
        assert services.answer_polls(
            network, {item.pk: (index + item.position) % 5 + 1 for item in items}, person)
        people.append(person)
    blocks_of = {}
    for item in items:
        members = {}
        for answer in PollAnswer.objects.for_network(network).filter(
                poll=item, released_block__isnull=False).select_related("released_block"):
            members.setdefault(answer.released_block.position, set()).add(answer.person_id)
        blocks_of[item.pk] = members
    first = blocks_of[items[0].pk]
    assert len(first) == 2 and all(len(members) == 3 for members in first.values())
    assert all(members == first for members in blocks_of.values())
    # No item can be differenced against another to isolate a person: same blocks, same k.
    results = poll_results(network, items)
    assert {result.respondents for result in results.values()} == {6}


def test_an_evaluation_is_answered_whole_or_not_at_all(world):
    network = world.network
    items = services.open_evaluation(world_gathering(world), created_by=world.facilitator)
    values = {item.pk: 3 for item in items}
    values[items[0].pk] = 9  # off the scale: nothing of it is stored
    assert not services.answer_polls(network, values, world.leader)
    assert not PollAnswer.objects.for_network(network).exists()
    values[items[0].pk] = 2
    assert services.answer_polls(network, values, world.leader)
    assert not services.answer_polls(network, values, world.leader)
    assert PollAnswer.objects.for_network(network).count() == len(items)


def test_k_is_locked_once_someone_answered_a_poll(world):
    from django.core.exceptions import ValidationError

    poll = make_poll(world)
    services.answer_poll(world.network, poll.pk, world.leader, 3)
    network = Network.objects.get(pk=world.network.pk)
    network.anonymity_threshold = 3
    with pytest.raises(ValidationError):
        network.save()
