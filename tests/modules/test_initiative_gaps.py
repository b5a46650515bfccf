"""Initiatives that close a gap: the dimensions they address, dated updates, the review in
post-work, the group's gaps page, and whether a gap narrowed between two rounds - told only
from released anonymous group numbers (README, "Initiatives that close the gap")."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import DimensionScore, Response
from modules.gaps import GroupGaps, Trend
from modules.links import activity_links
from modules.models import Initiative, InitiativeUpdate
from modules.selectors import ActivityItem
from programmes.models import Activity, ActivityKind
from tests.factories import (
    build_instrument,
    build_round,
    build_submission,
    make_group,
    make_initiative,
    make_journey,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


@pytest.fixture(autouse=True)
def facilitated(world):
    make_journey(world).cohort.facilitators.add(world.facilitator)


@pytest.fixture
def instrument(db):
    return build_instrument()


def closed_round(world, instrument, name, days_ago):
    now = timezone.now()
    return build_round(world, instrument=instrument, cohort=make_journey(world).cohort,
                       name=name, opens_at=now - timedelta(days=days_ago + 5),
                       closes_at=now - timedelta(days=days_ago))


def answer(round_, group, people, vision, start_days_ago):
    """`people` submissions with (today, ambition) = `vision` in the group, in order."""
    start = round_.opens_at + timedelta(hours=1)
    return [build_submission(round_, group=group, scores={"vision": vision, "data": (3, 4)},
                             submitted_at=start + timedelta(minutes=index))
            for index in range(people)]


def initiative_on_vision(world, instrument, days_ago=15):
    initiative = make_initiative(world, title="Vision workshop", owner=world.leader)
    initiative.dimensions.set([instrument.dimensions.get(code="vision")])
    Initiative.objects.for_network(world.network).filter(pk=initiative.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago))
    initiative.refresh_from_db()
    return initiative


def trend_of(world, initiative):
    initiative = Initiative.objects.for_network(world.network).get(pk=initiative.pk)
    dimension = initiative.dimensions.get()
    return GroupGaps(world.network, world.group).trend(initiative, dimension)


def test_the_gap_narrowed_is_told_when_both_rounds_show_the_group(client, world, instrument):
    before = closed_round(world, instrument, "Start", days_ago=20)
    after = closed_round(world, instrument, "End", days_ago=1)
    answer(before, world.group, 5, (2, 4), 25)  # gap 2.0
    answer(after, world.group, 5, (3, 4), 6)  # gap 1.0
    initiative = initiative_on_vision(world, instrument)
    assert trend_of(world, initiative).trend == Trend.NARROWED
    client.force_login(world.leader)
    page = client.get(url(world, "group_gaps", group_id=world.group.pk)).content.decode()
    assert "The gap narrowed" in page and "Vision workshop" in page
    assert "+1.0" in page  # the group's released gap in the latest round
    work = client.get(url(world, "group_work", group_id=world.group.pk)).content.decode()
    assert "The gap narrowed" in work


def test_a_gap_that_grew_did_not_narrow(world, instrument):
    before = closed_round(world, instrument, "Start", days_ago=20)
    after = closed_round(world, instrument, "End", days_ago=1)
    answer(before, world.group, 5, (3, 4), 25)
    answer(after, world.group, 5, (2, 4), 6)
    assert trend_of(world, initiative_on_vision(world, instrument)).trend == Trend.NOT_NARROWED


def test_without_a_later_round_the_initiative_waits(world, instrument):
    before = closed_round(world, instrument, "Start", days_ago=20)
    answer(before, world.group, 5, (2, 4), 25)
    assert trend_of(world, initiative_on_vision(world, instrument)).trend == Trend.WAITING
    assert trend_of(world, initiative_on_vision(world, instrument, days_ago=30)).trend == (
        Trend.NO_BASELINE)


@pytest.mark.parametrize("people_before, people_after", [(5, 4), (4, 5), (4, 4), (0, 5)])
def test_no_narrowed_signal_when_either_round_is_below_k(client, world, instrument,
                                                        people_before, people_after):
    before = closed_round(world, instrument, "Start", days_ago=20)
    after = closed_round(world, instrument, "End", days_ago=1)
    answer(before, world.group, people_before, (2, 4), 25)
    answer(after, world.group, people_after, (3, 4), 6)
    initiative = initiative_on_vision(world, instrument)
    assert trend_of(world, initiative).trend == Trend.NOT_SHOWN
    for role in ("leader", "coordinator", "facilitator", "admin"):
        client.force_login(world.person(role))
        for page in (url(world, "group_gaps", group_id=world.group.pk),
                     url(world, "group_work", group_id=world.group.pk),
                     url(world, "initiative_detail", initiative_id=initiative.pk)):
            text = client.get(page).content.decode()
            assert "The gap narrowed" not in text and "did not narrow" not in text, page
            assert "not shown" in text


def test_a_group_below_k_shows_no_number_and_no_change(client, world, instrument):
    after = closed_round(world, instrument, "End", days_ago=1)
    answer(after, world.group, 4, (1, 5), 6)
    client.force_login(world.leader)
    page = client.get(url(world, "group_gaps", group_id=world.group.pk)).content.decode()
    assert "+4.0" not in page and "1.0" not in page and "5.0" not in page
    assert "not shown: fewer than 5 answered" in page


def test_unreleased_answers_never_change_the_signal(world, instrument):
    """7 in the later round: 5 in a released block, 2 waiting. Whatever the 2 answered, the
    signal is the same (it reads only released blocks)."""
    before = closed_round(world, instrument, "Start", days_ago=20)
    after = closed_round(world, instrument, "End", days_ago=1)
    answer(before, world.group, 5, (2, 4), 25)
    answer(after, world.group, 5, (2.5, 4), 6)  # gap 1.5: narrowed
    waiting = answer(after, world.group, 2, (3, 3), 6)
    initiative = initiative_on_vision(world, instrument)
    first = trend_of(world, initiative).trend
    for response in waiting:
        DimensionScore.objects.for_network(world.network).filter(response=response).update(
            score=1)
        Response.objects.for_network(world.network).filter(pk=response.pk).update(
            submitted_at=timezone.now() - timedelta(days=3))
    assert first == trend_of(world, initiative).trend == Trend.NARROWED


def test_leaders_add_dated_updates_that_set_the_status_and_are_kept(client, world,
                                                                   instrument):
    initiative = make_initiative(world)
    client.force_login(world.leader)
    detail = url(world, "initiative_detail", initiative_id=initiative.pk)
    data = {"status": "started", "text": "First meeting held."}
    assert client.post(detail, data).status_code == 302
    assert client.post(detail, data).status_code == 302  # a double click is kept once
    initiative.refresh_from_db()
    assert initiative.status == "started"
    update = InitiativeUpdate.objects.for_network(world.network).get()
    assert (update.author, update.status, update.text) == (world.leader, "started",
                                                          "First meeting held.")
    page = client.get(detail).content.decode()
    assert "First meeting held." in page and world.leader.name in page
    client.post(detail, {"status": "done", "text": "Radar published."})
    assert InitiativeUpdate.objects.for_network(world.network).count() == 2
    for role in ("coordinator", "facilitator", "admin"):
        client.force_login(world.person(role))
        assert "Radar published." in client.get(detail).content.decode()
        assert client.post(detail, {"status": "stopped", "text": "x"}).status_code == 404
    assert InitiativeUpdate.objects.for_network(world.network).count() == 2


def test_the_review_lists_the_open_initiatives_and_comes_back_after_an_update(client, world):
    open_one = make_initiative(world, title="Open radar")
    make_initiative(world, title="Finished team", status="done")
    client.force_login(world.leader)
    review = url(world, "initiatives_review", group_id=world.group.pk)
    page = client.get(review).content.decode()
    assert "Open radar" in page and "Finished team" not in page
    response = client.post(url(world, "initiative_detail", initiative_id=open_one.pk),
                           {"status": "done", "text": "Done in May.", "next": review})
    assert response.url == review
    assert "Open radar" not in client.get(review).content.decode()
    other = make_group(world.network, world.organisation)
    assert client.get(url(world, "initiatives_review", group_id=other.pk)).status_code == 404


def test_every_post_work_asks_for_the_review(world):
    cohort_module = make_journey(world)
    activity = Activity(kind=ActivityKind.INITIATIVE_REVIEW, pk=1)
    links = activity_links(world.network.slug, cohort_module, ActivityItem(activity),
                           [world.group])
    assert links == [(url(world, "initiatives_review", group_id=world.group.pk),
                      "Review the open initiatives")]


def test_the_form_offers_the_cohorts_dimensions_and_the_groups_leaders(client, world,
                                                                      instrument):
    cohort_module = make_journey(world)
    closed_round(world, instrument, "Start", days_ago=20)
    client.force_login(world.leader)
    create = url(world, "initiative_create", group_id=world.group.pk,
                 cohort_module_id=cohort_module.pk)
    vision = instrument.dimensions.get(code="vision")
    assert f'value="{vision.pk}"' in client.get(create).content.decode()
    client.post(create, {"title": "Vision days", "horizon": "short", "owner": world.leader.pk,
                         "dimensions": [vision.pk]})
    initiative = Initiative.objects.for_network(world.network).get()
    assert list(initiative.dimensions.all()) == [vision]
    other = build_instrument(slug="elsewhere")
    client.post(create, {"title": "Foreign", "horizon": "short",
                         "dimensions": [other.dimensions.first().pk]})
    assert not Initiative.objects.for_network(world.network).filter(title="Foreign").exists()


def test_the_shared_list_filters_by_dimension_and_never_tells_a_trend(client, world,
                                                                      instrument):
    before = closed_round(world, instrument, "Start", days_ago=20)
    after = closed_round(world, instrument, "End", days_ago=1)
    answer(before, world.group, 5, (2, 4), 25)
    answer(after, world.group, 5, (3, 4), 6)
    shared = initiative_on_vision(world, instrument)
    Initiative.objects.for_network(world.network).filter(pk=shared.pk).update(
        shared_with_network=True)
    make_initiative(world, title="Other shared", shared_with_network=True)
    other_group = make_group(world.network, world.organisation)
    from tenancy.models import RoleKind
    from tenancy.services import grant_role
    from tests.factories import make_person
    outsider = make_person(language="en")
    grant_role(outsider, world.network, RoleKind.LEADER, leader_group=other_group)
    client.force_login(outsider)
    listing = url(world, "shared_initiatives")
    page = client.get(listing + "?dimension=test-profile:vision").content.decode()
    assert "Vision workshop" in page and "Other shared" not in page
    assert "The gap narrowed" not in page
    assert "Other shared" in client.get(listing).content.decode()


def test_the_gaps_page_reads_a_fixed_number_of_queries(client, world, instrument,
                                                       django_assert_max_num_queries):
    before = closed_round(world, instrument, "Start", days_ago=20)
    after = closed_round(world, instrument, "End", days_ago=1)
    answer(before, world.group, 5, (2, 4), 25)
    answer(after, world.group, 5, (3, 4), 6)
    initiative_on_vision(world, instrument)
    client.force_login(world.leader)
    gaps = url(world, "group_gaps", group_id=world.group.pk)
    client.get(gaps)
    with django_assert_max_num_queries(GAPS_QUERIES):
        client.get(gaps)
    for number in range(5):
        extra = make_initiative(world, title=f"More {number}", owner=world.leader)
        extra.dimensions.set(instrument.dimensions.all())
    with django_assert_max_num_queries(GAPS_QUERIES):
        assert "More 4" in client.get(gaps).content.decode()


# sign-in (3), the group, its rounds, each round's released sums (2) and the instrument's
# dimensions, the initiatives with owners, dimensions and updates (3), the resources for
# each round's largest gaps
GAPS_QUERIES = 13


@pytest.mark.parametrize("name", ["group_work", "initiatives_review"])
def test_the_group_pages_do_not_grow_with_the_initiatives(client, world, instrument, name,
                                                          django_assert_max_num_queries):
    before = closed_round(world, instrument, "Start", days_ago=20)
    after = closed_round(world, instrument, "End", days_ago=1)
    answer(before, world.group, 5, (2, 4), 25)
    answer(after, world.group, 5, (3, 4), 6)
    initiative_on_vision(world, instrument)
    client.force_login(world.leader)
    page = url(world, name, group_id=world.group.pk)
    client.get(page)
    with django_assert_max_num_queries(GROUP_PAGE_QUERIES) as first:
        client.get(page)
    for number in range(5):
        extra = make_initiative(world, title=f"More {number}", owner=world.leader)
        extra.dimensions.set(instrument.dimensions.all())
        InitiativeUpdate.objects.create(network=world.network, initiative=extra,
                                        author=world.leader, status="started", text="Begun")
    with django_assert_max_num_queries(len(first)):
        assert "More 4" in client.get(page).content.decode()


# sign-in (3), the page's own (the group's cohorts' modules, ambitions, pairs), the group's
# rounds with each round's released sums, the initiatives with owners, dimensions, updates
GROUP_PAGE_QUERIES = 16


def test_the_standard_programme_reviews_the_initiatives_in_every_post_work(db):
    from programmes.loader import load_programme

    programme = load_programme().programme
    for module in programme.modules.all():
        kinds = list(module.phases.get(kind="postwork").activities.values_list("kind", flat=True))
        assert kinds[-1] == ActivityKind.INITIATIVE_REVIEW, module.slug


def test_erasure_takes_the_person_off_initiatives_but_keeps_the_groups_updates(world):
    from gdpr.services import erase_person

    initiative = make_initiative(world, owner=world.leader)
    InitiativeUpdate.objects.create(network=world.network, initiative=initiative,
                                    author=world.leader, status="started", text="Begun")
    erase_person(world.leader)
    initiative.refresh_from_db()
    update = initiative.updates.get()
    assert initiative.owner is None and update.author is None and update.text == "Begun"
