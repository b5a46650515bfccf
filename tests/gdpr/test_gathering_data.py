"""A person's gathering data: their registrations and poll answers are in their download and go
with an erasure, while the released blocks of a poll stay as they are."""

import pytest

from assessments.models import PollAnswer, PollBlock
from assessments.polls import services as poll_services
from cohorts import services as cohort_services
from cohorts.models import GatheringRegistration
from gdpr import export
from gdpr.services import erase_person
from tenancy.models import Network, RoleKind
from tenancy.services import grant_role
from tests.factories import make_person, make_poll, world_gathering

pytestmark = pytest.mark.django_db


def test_registrations_and_poll_answers_are_downloaded_and_erased(world):
    Network.objects.filter(pk=world.network.pk).update(anonymity_threshold=3)
    network = Network.objects.get(pk=world.network.pk)
    gathering = world_gathering(world)
    poll = make_poll(world, question="Ready for data?")
    cohort_services.register_for_gathering(network, gathering, world.leader, True)
    others = [make_person() for _ in range(2)]
    for person in others:
        grant_role(person, network, RoleKind.LEADER, leader_group=world.group)
    for person, value in zip([world.leader, *others], (2, 3, 4), strict=True):
        poll_services.answer_poll(network, poll.pk, person, value)
    block = PollBlock.objects.for_network(network).get()

    data = export.collect(world.leader, "en")
    assert data["gatherings"][0]["coming"] is True
    assert data["poll_answers"] == [{"network": network.name, "question": "Ready for data?",
                                     "answer": 2,
                                     "answered_at": data["poll_answers"][0]["answered_at"]}]

    erase_person(world.leader, network=network)
    assert not PollAnswer.objects.for_network(network).filter(person=world.leader).exists()
    assert not GatheringRegistration.objects.for_network(network).exists()
    kept = PollBlock.objects.for_network(network).get()
    assert (kept.pk, kept.respondents, kept.counts) == (block.pk, 3, {"2": 1, "3": 1, "4": 1})
