"""The leader's test: start, save as you go (htmx and plain form), resume, review, submit once,
closed rounds, and nobody reaching anyone else's answers."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.instruments_io import import_instrument, parse_instrument
from assessments.models import Answer, DimensionScore, Item, Response
from assessments.taking import services
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.assessments.test_instruments_io import MINIMAL
from tests.factories import build_round, make_group, make_person, with_mfa

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def instrument(db):
    return import_instrument(parse_instrument(MINIMAL)).instrument


@pytest.fixture
def round_(world, instrument):
    return build_round(world, instrument=instrument)


@pytest.fixture
def items(instrument):
    return {item.code: item for item in Item.objects.filter(
        dimension__instrument=instrument).select_related("dimension")}


def url(name, round_, **kwargs):
    return reverse(name, kwargs={"network_slug": round_.network.slug, "round_id": round_.pk,
                                 **kwargs})


def field(item, kind):
    return f"a-{item.pk}-{kind}"


@pytest.fixture
def leader(client, world):
    world.leader.language = "en"  # these tests read the English status texts
    world.leader.save(update_fields=["language"])
    client.force_login(world.leader)
    return client


@pytest.fixture
def started(leader, round_):
    leader.post(url("assessment_take", round_))
    return Response.objects.for_network(round_.network).get(round=round_)


def answers_of(response):
    return {(a.item.code, a.kind): (None if a.dont_know else a.value)
            for a in response.answers.select_related("item")}


# --- intro and start -------------------------------------------------------------------------


def test_the_intro_explains_the_test_and_anonymity_with_the_networks_k(leader, world, round_):
    world.network.anonymity_threshold = 6
    world.network.save()
    page = leader.get(url("assessment_take", round_))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Short." in text or "Kort." in text  # the instrument's description
    assert "at least 6 people" in text
    assert not Response.objects.for_network(world.network).exists()  # looking starts nothing


def test_start_remembers_group_and_organisation_and_opens_the_first_part(leader, world, round_):
    page = leader.post(url("assessment_take", round_))
    assert page.url == url("assessment_take_step", round_, step=1)
    response = Response.objects.for_network(world.network).get(round=round_)
    assert (response.person, response.leader_group, response.organisation) == (
        world.leader, world.group, world.organisation)
    leader.post(url("assessment_take", round_))
    assert Response.objects.for_network(world.network).count() == 1


def test_a_leader_in_two_groups_of_the_cohort_chooses_the_group(leader, world, round_):
    second = make_group(world.network, world.organisation, name="Second group")
    round_.cohort.leader_groups.add(second)
    grant_role(world.leader, world.network, RoleKind.LEADER, leader_group=second)
    assert "Which leader group" in leader.get(url("assessment_take", round_)).content.decode()
    leader.post(url("assessment_take", round_), {"group": second.pk})
    assert Response.objects.for_network(world.network).get().leader_group == second


# --- the page of a dimension -----------------------------------------------------------------


def test_each_step_is_described_once_with_a_labelled_choice_for_today_and_ambition(
        leader, started, items, round_):
    html = leader.get(url("assessment_take_step", round_, step=1)).content.decode()
    vis = items["vis-1"]
    assert html.count("<fieldset") == 2  # one per item, named by the item's text
    assert html.count("Disagree") == 2 and html.count("Agree") == 2  # each step once per item
    for kind in ("today", "ambition"):
        name = field(vis, kind)
        assert f'<th scope="col" id="{name}-head">{kind.title()}' in html
        for value in ("1", "2", "dk"):
            # read as "Today, 2: Agree": the column heading, then the step
            assert (f'id="{name}-{value}" name="{name}" value="{value}" '
                    f'aria-labelledby="{name}-head step-{vis.pk}-{value}"') in html
        assert f'hx-params="{name}" hx-target="#status-{name}"' in html
        assert f'<span id="status-{name}" role="status" aria-live="polite">' in html
    assert html.count(f'hx-post="{url("assessment_answer_save", round_)}"') == 12
    assert "<dt>Today</dt><dd>Today</dd>" in html
    assert "<dt>Ambition</dt><dd>In two years</dd>" in html
    assert "<progress" in html and "0 of 6" in html
    assert "Part 1 of 2" in html


def test_an_item_with_its_own_options_shows_them(leader, started, items, round_):
    html = leader.get(url("assessment_take_step", round_, step=2)).content.decode()
    assert "Little" in html or "Lite" in html
    assert "Disagree" not in html and "Uenig" not in html


def test_the_htmx_save_stores_one_answer_and_answers_with_a_status(leader, started, items,
                                                                  round_):
    reply = leader.post(url("assessment_answer_save", round_),
                        {field(items["vis-1"], "today"): "2"}, **HTMX)
    assert reply.status_code == 200
    html = reply.content.decode()
    assert "Saved" in html
    assert 'hx-swap-oob="true"' in html and "1 of 6" in html
    assert answers_of(started) == {("vis-1", "today"): 2}


def test_changing_an_answer_updates_the_same_row(leader, started, items, round_):
    save = url("assessment_answer_save", round_)
    leader.post(save, {field(items["vis-1"], "today"): "2"}, **HTMX)
    leader.post(save, {field(items["vis-1"], "today"): "dk"}, **HTMX)
    assert answers_of(started) == {("vis-1", "today"): None}
    leader.post(save, {field(items["vis-1"], "today"): "1"}, **HTMX)
    assert answers_of(started) == {("vis-1", "today"): 1}
    assert Answer.objects.filter(response=started).count() == 1


def test_a_value_off_the_scale_or_an_item_of_another_instrument_is_refused(
        leader, started, items, round_, world):
    save = url("assessment_answer_save", round_)
    reply = leader.post(save, {field(items["vis-1"], "today"): "3"}, **HTMX)
    assert "not one of the choices" in reply.content.decode()
    other = build_round(world).instrument.dimensions.first().items.first()
    reply = leader.post(save, {field(other, "today"): "1"}, **HTMX)
    assert "not one of the choices" in reply.content.decode()
    assert answers_of(started) == {}


def test_without_javascript_next_saves_the_whole_page(leader, started, items, round_):
    reply = leader.post(url("assessment_take_step", round_, step=1), {
        field(items["vis-1"], "today"): "1", field(items["vis-1"], "ambition"): "2",
        field(items["vis-2"], "today"): "dk", "go": "next"})
    assert reply.url == url("assessment_take_step", round_, step=2)
    assert answers_of(started) == {("vis-1", "today"): 1, ("vis-1", "ambition"): 2,
                                   ("vis-2", "today"): None}
    reply = leader.post(url("assessment_take_step", round_, step=2), {
        field(items["cus-1"], "today"): "2", "go": "previous"})
    assert reply.url == url("assessment_take_step", round_, step=1)
    reply = leader.post(url("assessment_take_step", round_, step=2), {"go": "next"})
    assert reply.url == url("assessment_review", round_)


def test_the_saved_answers_are_checked_when_the_page_comes_back(leader, started, items,
                                                                round_):
    leader.post(url("assessment_answer_save", round_),
                {field(items["vis-2"], "ambition"): "1"}, **HTMX)
    html = leader.get(url("assessment_take_step", round_, step=1)).content.decode()
    name = field(items["vis-2"], "ambition")
    assert re.search(rf'id="{name}-1" name="{name}" value="1"[^>]* checked>', html)
    assert html.count(" checked") == 1


def test_resume_goes_to_the_first_part_with_a_question_left(client, world, started, items,
                                                            round_):
    services.save_answers(started, [(items[code], kind, 1) for code in ("vis-1", "vis-2")
                                    for kind in ("today", "ambition")])
    client.force_login(world.leader)  # another device: a new session
    html = client.get(url("assessment_take", round_)).content.decode()
    assert f'href="{url("assessment_take_step", round_, step=2)}"' in html
    assert client.post(url("assessment_take", round_)).url == url(
        "assessment_take_step", round_, step=2)
    services.save_answers(started, [(items["cus-1"], "today", 1),
                                    (items["cus-1"], "ambition", None)])
    assert client.post(url("assessment_take", round_)).url == url("assessment_review", round_)


# --- review and submit -----------------------------------------------------------------------


def test_review_shows_what_is_missing(leader, started, items, round_):
    services.save_answers(started, [(items["vis-1"], "today", 2)])
    html = leader.get(url("assessment_review", round_)).content.decode()
    assert "5 questions have no answer" in html
    assert "1 / 4" in html and "0 / 2" in html


def test_submit_once_stores_scores_and_later_submits_change_nothing(leader, started, items,
                                                                   round_, world):
    services.save_answers(started, [(items["vis-1"], "today", 2), (items["vis-2"], "today", 1),
                                    (items["cus-1"], "ambition", 2)])
    reply = leader.post(url("assessment_review", round_))
    assert reply.url == url("assessment_results", round_)
    assert leader.get(reply.url).status_code == 200
    started.refresh_from_db()
    submitted_at = started.submitted_at
    assert submitted_at is not None
    scores = set(DimensionScore.objects.for_network(world.network)
                 .values_list("dimension__code", "kind", "score"))
    assert scores == {("vision", "today", 1.5), ("customer", "ambition", 2.0)}

    again = leader.post(url("assessment_review", round_))  # double click, or a second tab
    assert again.url == url("assessment_results", round_)
    started.refresh_from_db()
    assert started.submitted_at == submitted_at
    assert set(DimensionScore.objects.for_network(world.network)
               .values_list("dimension__code", "kind", "score")) == scores


def test_a_second_tab_cannot_change_answers_after_submit(leader, started, items, round_):
    services.save_answers(started, [(items["vis-1"], "today", 2)])
    leader.post(url("assessment_review", round_))  # tab B submits
    reply = leader.post(url("assessment_answer_save", round_),  # tab A still shows the page
                        {field(items["vis-1"], "today"): "1"}, **HTMX)
    assert "can no longer be changed" in reply.content.decode()
    reply = leader.post(url("assessment_take_step", round_, step=1),
                        {field(items["vis-1"], "today"): "1", "go": "next"})
    assert reply.url == url("assessment_take", round_)
    assert answers_of(started) == {("vis-1", "today"): 2}


def test_after_submit_the_answers_are_shown_read_only(leader, started, items, round_):
    services.save_answers(started, [(items["vis-1"], "today", 2)])
    services.submit_response(started)
    html = leader.get(url("assessment_take_step", round_, step=1)).content.decode()
    assert 'type="radio"' not in html and "<form method=\"post\" class=\"take-form\"" not in html
    assert "2 – " in html
    assert leader.get(url("assessment_review", round_)).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_submit_once(world):
    instrument = import_instrument(parse_instrument(MINIMAL)).instrument
    round_ = build_round(world, instrument=instrument)
    response = services.start_response(round_, world.leader, world.group)
    item = Item.objects.filter(dimension__instrument=instrument).select_related(
        "dimension").first()
    services.save_answers(response, [(item, "today", 2)])
    results, barrier = [], threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            copy = Response.objects.for_network(world.network).get(pk=response.pk)
            results.append(services.submit_response(copy))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert DimensionScore.objects.for_network(world.network).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_answer_saved_while_a_submit_is_in_progress_waits_and_is_refused(world):
    """The autosave's one statement takes the response row FOR SHARE: it waits for a submit
    holding the row, then finds the response submitted and writes nothing, so the stored
    scores always match the stored answers."""
    instrument = import_instrument(parse_instrument(MINIMAL)).instrument
    round_ = build_round(world, instrument=instrument)
    response = services.start_response(round_, world.leader, world.group)
    item = Item.objects.filter(dimension__instrument=instrument).first()
    services.save_answers(response, [(item, "today", 2)])
    submit_holds_the_row, outcome = threading.Event(), []

    def answer_meanwhile():
        try:
            submit_holds_the_row.wait()
            copy = Response.objects.for_network(world.network).select_related(
                "round__instrument").get(pk=response.pk)
            services.save_answers(copy, [(item, "today", 1)])
            outcome.append("saved")
        except services.AnswerRefused as refusal:
            outcome.append(refusal.reason)
        finally:
            connection.close()

    thread = threading.Thread(target=answer_meanwhile)
    thread.start()
    with transaction.atomic():
        Response.objects.for_network(world.network).select_for_update().get(pk=response.pk)
        submit_holds_the_row.set()
        thread.join(timeout=1)
        assert thread.is_alive()  # the save waits for the submit's lock
        services.submit_response(response)
    thread.join()
    assert outcome == ["submitted"]
    assert list(Answer.objects.filter(response=response).values_list("value", flat=True)) == [2]


# --- open and closed -------------------------------------------------------------------------


def test_a_closed_round_refuses_every_change(leader, started, items, round_):
    services.save_answers(started, [(items["vis-1"], "today", 2)])
    round_.closes_at = timezone.now() - timedelta(minutes=1)
    round_.opens_at = round_.closes_at - timedelta(days=1)
    round_.save()
    reply = leader.post(url("assessment_answer_save", round_),
                        {field(items["vis-1"], "today"): "1"}, **HTMX)
    assert "round has closed" in reply.content.decode()
    html = leader.get(url("assessment_take_step", round_, step=1)).content.decode()
    assert "round has closed" in html and 'type="radio"' not in html
    assert "round has closed" in leader.get(url("assessment_take", round_)).content.decode()
    leader.post(url("assessment_review", round_))
    started.refresh_from_db()
    assert started.submitted_at is None
    assert answers_of(started) == {("vis-1", "today"): 2}


def test_a_round_not_open_yet_cannot_be_started(leader, world, instrument):
    later = build_round(world, instrument=instrument,
                        opens_at=timezone.now() + timedelta(days=2),
                        closes_at=timezone.now() + timedelta(days=9))
    assert "opens on" in leader.get(url("assessment_take", later)).content.decode()
    leader.post(url("assessment_take", later))
    assert not Response.objects.for_network(world.network).exists()


# --- nobody reaches anyone else's answers ----------------------------------------------------

TAKE_PAGES = [("assessment_take", {}), ("assessment_take_step", {"step": 1}),
              ("assessment_answer_save", {}), ("assessment_review", {})]


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "admin"])
def test_other_roles_get_404_on_every_take_page(client, world, started, round_, role):
    client.force_login(world.person(role))
    for name, kwargs in TAKE_PAGES:
        assert client.get(url(name, round_, **kwargs)).status_code == 404, name
        assert client.post(url(name, round_, **kwargs), {}, **HTMX).status_code == 404, name


def test_staff_and_a_leader_outside_the_cohort_get_404(client, world, started, round_):
    outsider = make_person()
    grant_role(outsider, world.network, RoleKind.LEADER,
               leader_group=make_group(world.network, world.organisation))
    staff = with_mfa(make_person(is_staff=True))
    for person in (outsider, staff):
        client.force_login(person)
        for name, kwargs in TAKE_PAGES:
            assert client.get(url(name, round_, **kwargs)).status_code == 404, (person, name)


def test_a_started_test_cannot_be_changed_once_the_group_has_left_the_cohort(
        leader, world, started, items, round_):
    """The autosave's own query keeps the rule of who may take a round: a response that
    exists is not enough."""
    save = url("assessment_answer_save", round_)
    assert leader.post(save, {field(items["vis-1"], "today"): "2"}, **HTMX).status_code == 200
    round_.cohort.leader_groups.remove(world.group)
    assert leader.post(save, {field(items["vis-1"], "today"): "3"}, **HTMX).status_code == 404
    assert leader.get(url("assessment_take_step", round_, step=1)).status_code == 404
    assert answers_of(started) == {("vis-1", "today"): 2}


def test_another_leader_of_the_group_sees_only_their_own_answers(client, world, started,
                                                                items, round_):
    services.save_answers(started, [(items["vis-1"], "today", 2)])
    colleague = make_person()
    grant_role(colleague, world.network, RoleKind.LEADER, leader_group=world.group)
    client.force_login(colleague)
    assert client.get(url("assessment_take_step", round_, step=1)).url == url(
        "assessment_take", round_)
    client.post(url("assessment_take", round_))
    html = client.get(url("assessment_take_step", round_, step=1)).content.decode()
    assert " checked" not in html
    client.post(url("assessment_answer_save", round_),
                {field(items["vis-1"], "today"): "1"}, **HTMX)
    assert answers_of(started) == {("vis-1", "today"): 2}


# --- the page does not grow with answers or leaders ------------------------------------------


def _queries(client, page):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    return len(captured.captured_queries)


def test_the_take_pages_query_count_does_not_grow(client, world, started, items, round_):
    client.force_login(world.leader)
    pages = [url("assessment_take", round_), url("assessment_take_step", round_, step=1),
             url("assessment_review", round_)]
    for page in pages:  # the first visit records the network as the last one used, and a
        client.get(page)  # process reads the instrument once
    small = [_queries(client, page) for page in pages]

    services.save_answers(started, [(item, kind, 1) for item in items.values()
                                    for kind in ("today", "ambition")])
    for _ in range(6):
        colleague = make_person()
        grant_role(colleague, world.network, RoleKind.LEADER, leader_group=world.group)
        other = services.start_response(round_, colleague, world.group)
        services.save_answers(other, [(item, "today", 2) for item in items.values()])
    assert [_queries(client, page) for page in pages] == small
    assert small[1] <= 11


def test_an_autosave_is_five_queries_whatever_the_answers_so_far(
        leader, started, items, round_, django_assert_num_queries):
    """The gathering's busiest request (issue 11): session, person, roles, the response with
    its round, and one statement that saves and returns the answers for the progress."""
    save = url("assessment_answer_save", round_)
    leader.post(save, {field(items["vis-1"], "today"): "1"}, **HTMX)
    services.save_answers(started, [(item, "ambition", 2) for item in items.values()])
    with django_assert_num_queries(5):
        reply = leader.post(save, {field(items["vis-2"], "today"): "2"}, **HTMX)
    assert "5 of 6" in reply.content.decode()  # the three ambitions, vis-1 and vis-2 today


def test_saving_an_unchanged_answer_writes_nothing(leader, started, items, round_):
    """Next re-sends the whole page; answers that did not change are not written again."""
    save = url("assessment_answer_save", round_)
    leader.post(save, {field(items["vis-1"], "today"): "2"}, **HTMX)
    first = Answer.objects.get(response=started).answered_at
    reply = leader.post(url("assessment_take_step", round_, step=1), {
        field(items["vis-1"], "today"): "2", field(items["vis-2"], "today"): "1", "go": "next"})
    assert reply.status_code == 302
    assert Answer.objects.get(response=started, item=items["vis-1"]).answered_at == first
    assert answers_of(started) == {("vis-1", "today"): 2, ("vis-2", "today"): 1}
