"""Live polls in the room: answered once from What's next, shown only in whole blocks of k
(the assessments' one anonymity rule), cheap to answer and cached on the screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.anonymity.aggregation import poll_results
from assessments.models import Poll, PollAnswer, PollBlock
from assessments.polls import services
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    make_group,
    make_person,
    make_poll,
    world_cohort,
    world_gathering,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def leaders(world, count, group=None):
    people = []
    for _ in range(count):
        person = make_person(language="en")
        grant_role(person, world.network, RoleKind.LEADER, leader_group=group or world.group)
        people.append(person)
    return people


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def test_a_leader_answers_from_whats_next_without_javascript(client, world):
    poll = make_poll(world, question="Which first?", kind="choice",
                     options=("Data", "People", "Money"))
    client.force_login(world.leader)
    home = client.get(url(world, "leader_home")).content.decode()
    assert "Poll in the room" in home and "Which first?" in home and "People" in home
    response = client.post(url(world, "poll_answer", poll_id=poll.pk), {"value": "2"})
    assert response.status_code == 302 and response.url.endswith("#polls")
    assert PollAnswer.objects.for_network(world.network).get(poll=poll).value == 2
    home = client.get(response.url).content.decode()
    assert "Thank you: your answer is in." in home
    assert 'name="value"' not in home  # answered: no second form


def test_an_answer_is_given_once_and_never_changes(client, world):
    poll = make_poll(world)
    client.force_login(world.leader)
    client.post(url(world, "poll_answer", poll_id=poll.pk), {"value": "1"})
    response = client.post(url(world, "poll_answer", poll_id=poll.pk), {"value": "5"},
                           follow=True)
    assert "Your answer was not saved" in response.content.decode()
    assert list(PollAnswer.objects.for_network(world.network).filter(poll=poll)
                .values_list("value", flat=True)) == [1]


def test_a_closed_poll_or_a_value_off_the_scale_stores_nothing(client, world):
    poll = make_poll(world)
    client.force_login(world.leader)
    client.post(url(world, "poll_answer", poll_id=poll.pk), {"value": "9"})
    services.close_poll(poll)
    client.post(url(world, "poll_answer", poll_id=poll.pk), {"value": "3"})
    assert not PollAnswer.objects.for_network(world.network).exists()
    assert not services.answer_poll(world.network, poll.pk, world.leader, 9)


def test_htmx_swaps_the_card_in_place(client, world):
    poll = make_poll(world)
    client.force_login(world.leader)
    response = client.post(url(world, "poll_answer", poll_id=poll.pk), {"value": "4"},
                           headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="polls-now"')
    assert 'hx-trigger="every 15s"' in page and "your answer is in" in page


def test_phones_look_for_a_question_only_while_a_gathering_of_theirs_is_on(client, world):
    gathering = world_gathering(world)
    client.force_login(world.leader)
    gathering.starts_at = timezone.now() + timedelta(days=3)
    gathering.ends_at = gathering.starts_at + timedelta(hours=6)
    gathering.save()
    assert 'hx-get="' + url(world, "polls_now") not in client.get(
        url(world, "leader_home")).content.decode()
    gathering.starts_at = timezone.now() - timedelta(hours=1)
    gathering.save()
    assert 'hx-get="' + url(world, "polls_now") in client.get(
        url(world, "leader_home")).content.decode()
    poll = make_poll(world)  # a question waiting for their answer is not refreshed away
    assert 'hx-get="' + url(world, "polls_now") not in client.get(
        url(world, "leader_home")).content.decode()
    services.answer_poll(world.network, poll.pk, world.leader, 3)
    assert 'hx-get="' + url(world, "polls_now") in client.get(
        url(world, "leader_home")).content.decode()


def test_answering_is_one_cheap_write(client, world, django_assert_max_num_queries):
    poll = make_poll(world)
    others = leaders(world, 3)
    for person in others:
        services.answer_poll(world.network, poll.pk, person, 3)
    client.force_login(world.leader)
    client.get(url(world, "leader_home"))
    # session, person, roles; the poll through the policy; lock, "answered?", insert, the
    # waiting answers (+ the test's savepoint and its release): whatever the room's size.
    with django_assert_max_num_queries(10):
        response = client.post(url(world, "poll_answer", poll_id=poll.pk), {"value": "2"})
    assert response.status_code == 302


def test_the_fifth_answer_releases_a_block_in_the_same_few_queries(
        world, django_assert_max_num_queries):
    poll = make_poll(world)
    people = leaders(world, 5)
    for person in people[:4]:
        services.answer_poll(world.network, poll.pk, person, 4)
    with django_assert_max_num_queries(9):  # 3 more to write the block (+ 2 savepoint)
        assert services.answer_poll(world.network, poll.pk, people[4], 5)
    block = PollBlock.objects.for_network(world.network).get(poll=poll)
    assert block.respondents == 5 and block.counts == {"4": 4, "5": 1}


def test_results_show_at_k_and_move_only_in_blocks_of_k(world):
    poll = make_poll(world)
    people = leaders(world, 12)
    seen = []
    for person, value in zip(people, [1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 1, 1], strict=True):
        services.answer_poll(world.network, poll.pk, person, value)
        seen.append(poll_results(world.network, [poll])[poll.pk])
    assert not any(result.shown for result in seen[:4])
    assert all(result == seen[4] for result in seen[4:9])  # 5th..9th: the first block
    assert seen[4].mean == 3.0 and seen[4].respondents == 5
    assert all(result == seen[9] for result in seen[9:])  # 10th..12th: two blocks
    assert seen[9].mean == 4.0 and seen[9].respondents == 10


def test_a_closed_poll_never_shows_its_last_answers_below_k(client, world):
    poll = make_poll(world)
    for person, value in zip(leaders(world, 7), [3, 3, 3, 3, 3, 1, 1], strict=True):
        services.answer_poll(world.network, poll.pk, person, value)
    services.close_poll(poll)
    client.force_login(world.facilitator)
    world_cohort(world).facilitators.add(world.facilitator)
    page = client.get(url(world, "poll_screen", poll_id=poll.pk)).content.decode()
    assert "7 have answered" in page and "The poll is closed." in page
    assert "Counted: 5 answers" in page and "mean 3.0" in page


def test_the_screen_shows_nothing_before_k_and_is_served_from_the_shared_cache(
        client, world, django_assert_max_num_queries):
    world_cohort(world).facilitators.add(world.facilitator)
    poll = make_poll(world, question="Ready?")
    people = leaders(world, 5)
    for person in people[:4]:
        services.answer_poll(world.network, poll.pk, person, 2)
    client.force_login(world.facilitator)
    page = client.get(url(world, "poll_screen", poll_id=poll.pk)).content.decode()
    assert "4 have answered" in page and "Not shown yet" in page and "<progress" not in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    live = url(world, "poll_screen", poll_id=poll.pk)
    first = client.get(live, headers={"HX-Request": "true"}).content.decode()
    assert first.lstrip().startswith('<div id="poll-live"')
    with django_assert_max_num_queries(6):  # session, person, roles, the poll, the key
        again = client.get(live, headers={"HX-Request": "true"}).content.decode()
    assert again == first
    services.answer_poll(world.network, poll.pk, people[4], 4)
    after = client.get(live, headers={"HX-Request": "true"}).content.decode()
    assert "5 have answered" in after and "Counted: 5 answers" in after
    assert "mean 2.4" in after


def test_the_room_opens_one_poll_at_a_time(client, world):
    world_cohort(world).facilitators.add(world.facilitator)
    first = make_poll(world, question="First?")
    second = make_poll(world, question="Second?", opened=False)
    client.force_login(world.facilitator)
    response = client.post(url(world, "poll_open", poll_id=second.pk))
    assert response.url == url(world, "poll_screen", poll_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_open() and second.is_open()


def test_a_facilitator_writes_a_choice_poll_in_the_room(client, world):
    world_cohort(world).facilitators.add(world.facilitator)
    gathering = world_gathering(world)
    client.force_login(world.facilitator)
    room = url(world, "gathering_room", gathering_id=gathering.pk)
    refused = client.post(room, {"kind": "choice", "question": "Which?", "options": "Only"})
    assert refused.status_code == 400 and "Write 2 to 6 options" in refused.content.decode()
    client.post(room, {"kind": "choice", "question": "Which?", "options": "A\nB\n\nC"})
    poll = Poll.objects.for_network(world.network).get()
    assert poll.kind == "choice" and poll.scale_max == 3 and poll.opened_at is None
    assert "Which?" in client.get(room).content.decode()


def test_people_outside_the_gathering_cannot_reach_a_poll(client, world, other_world):
    poll = make_poll(world)
    outsider = make_group(world.network, world.organisation, name="Not in the cohort")
    stranger = make_person()
    grant_role(stranger, world.network, RoleKind.LEADER, leader_group=outsider)
    client.force_login(stranger)
    assert client.post(url(world, "poll_answer", poll_id=poll.pk),
                       {"value": "3"}).status_code == 404
    client.force_login(world.facilitator)  # facilitates no cohort here
    assert client.get(url(world, "poll_screen", poll_id=poll.pk)).status_code == 404
    client.force_login(other_world.admin)
    assert client.get(reverse("poll_screen", kwargs={
        "network_slug": other_world.network.slug, "poll_id": poll.pk})).status_code == 404
    assert not PollAnswer.objects.for_network(world.network).exists()
