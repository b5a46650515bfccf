"""The gathering's anonymous evaluation: five statements answered by leaders after the
gathering, results to those who run it only, in whole blocks of k."""

import pytest
from django.urls import reverse

from assessments.models import Poll, PollAnswer
from assessments.polls import services
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import make_person, world_cohort, world_gathering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def test_leaders_evaluate_and_the_facilitator_sees_results_only_at_k(client, world):
    world_cohort(world).facilitators.add(world.facilitator)
    gathering = world_gathering(world)
    client.force_login(world.facilitator)
    room = url(world, "gathering_room", gathering_id=gathering.pk)
    client.post(url(world, "evaluation_open", gathering_id=gathering.pk))
    client.post(url(world, "evaluation_open", gathering_id=gathering.pk))  # once only
    items = list(Poll.objects.for_network(world.network).filter(purpose="evaluation"))
    assert len(items) == 5 and {item.question["nb"] != "" for item in items} == {True}

    client.force_login(world.leader)
    home = client.get(url(world, "leader_home")).content.decode()
    assert "How was the gathering?" in home
    form_url = url(world, "gathering_evaluation", gathering_id=gathering.pk)
    page = client.get(form_url).content.decode()
    assert "The gathering was worth my time." in page and "<textarea" not in page
    incomplete = client.post(form_url, {f"item_{items[0].pk}": "4"})
    assert incomplete.status_code == 400 and "Answer every statement." in \
        incomplete.content.decode()
    assert not PollAnswer.objects.for_network(world.network).exists()
    response = client.post(form_url, {f"item_{item.pk}": "4" for item in items})
    assert response.status_code == 302
    assert "How was the gathering?" not in client.get(url(world, "leader_home")).content.decode()
    assert "You have evaluated this gathering." in client.get(form_url).content.decode()

    client.force_login(world.facilitator)
    assert "Counted:" not in client.get(room).content.decode()
    for value in (1, 2, 3, 5):
        person = make_person()
        grant_role(person, world.network, RoleKind.LEADER, leader_group=world.group)
        services.answer_polls(world.network, {item.pk: value for item in items}, person)
    page = client.get(room).content.decode()
    assert page.count("Counted: 5 answers") == 5 and "mean 3.0" in page


def test_the_evaluations_results_are_not_for_leaders_or_coordinators(client, world):
    gathering = world_gathering(world)
    services.open_evaluation(gathering, created_by=world.admin)
    for role in ("leader", "coordinator"):
        client.force_login(world.person(role))
        assert client.get(url(world, "gathering_room",
                              gathering_id=gathering.pk)).status_code == 404
