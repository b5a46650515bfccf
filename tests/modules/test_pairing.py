"""Pairing leader groups across organisations for a gathering: suggestions only from released
anonymous numbers, adjusted and confirmed by the facilitator, and shown to the groups in
words (README, "Pairing leader groups")."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import DimensionScore
from modules import pairing
from modules.models import GroupPair
from tenancy.models import Organisation, RoleKind
from tenancy.services import grant_role
from tests.factories import (
    build_instrument,
    build_round,
    build_submission,
    make_group,
    make_journey,
    make_organisation,
    make_person,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


@pytest.fixture
def setting(world):
    """The world's group (Kommune A) and three groups of two other organisations in one
    cohort with a gathering; the round's numbers:

    - world.group: largest gap in "vision" (today 1), strong in "data" (today 5)
    - strong_in_vision (Kommune B): today 5 in vision, largest gap in "data" (today 1)
    - middling (Kommune C): today 3 everywhere, gap in vision
    - small (Kommune C): 4 answers, below k: no numbers at all
    """
    cohort_module = make_journey(world)
    cohort = cohort_module.cohort
    cohort.facilitators.add(world.facilitator)
    b = make_organisation(world.network, "Kommune B")
    c = make_organisation(world.network, "Kommune C")
    Organisation.objects.for_network(world.network).filter(pk__in=[world.organisation.pk, c.pk]
                                                           ).update(size_band="medium")
    strong = make_group(world.network, b, "Strong in vision")
    middling = make_group(world.network, c, "Middling")
    small = make_group(world.network, c, "Small group")
    cohort.leader_groups.add(world.group, strong, middling, small)
    build_instrument()
    round_ = build_round(world, cohort=cohort)
    start = timezone.now() - timedelta(hours=2)
    scores = {
        world.group.pk: {"vision": (1, 5), "customer": (3, 3), "data": (5, 5)},
        strong.pk: {"vision": (5, 5), "customer": (3, 3), "data": (1, 5)},
        middling.pk: {"vision": (3, 5), "customer": (3, 3), "data": (3, 3)},
        small.pk: {"vision": (5, 5), "customer": (5, 5), "data": (5, 5)},
    }
    groups = {world.group.pk: world.group, strong.pk: strong, middling.pk: middling,
              small.pk: small}
    minute = 0
    for pk, values in scores.items():
        for _ in range(4 if pk == small.pk else 5):
            minute += 1
            build_submission(round_, group=groups[pk], scores=values,
                             submitted_at=start + timedelta(minutes=minute))
    return cohort_module, round_, strong, middling, small


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def suggestions(world, cohort):
    groups = list(cohort.leader_groups.select_related("organisation").order_by("name", "pk"))
    return [(s.first.pk, s.second.pk, getattr(s.first_learns, "code", None),
             getattr(s.second_learns, "code", None), s.similar_size)
            for s in pairing.suggest(world.network, cohort, groups)]


def pair_of(found, group):
    return next(entry for entry in found if group.pk in entry[:2])


def test_a_group_is_paired_with_one_strong_where_its_gap_is_largest(world, setting):
    cohort_module, _round, strong, middling, small = setting
    found = suggestions(world, cohort_module.cohort)
    first, second, first_learns, second_learns, _similar = pair_of(found, world.group)
    assert {first, second} == {world.group.pk, strong.pk}
    learns = {first: first_learns, second: second_learns}
    assert learns == {world.group.pk: "vision", strong.pk: "data"}
    # the groups of one organisation are never paired with each other
    assert all({entry[0], entry[1]} != {middling.pk, small.pk} for entry in found)


def test_a_group_below_k_gives_no_reason_from_numbers(world, setting):
    cohort_module, round_, strong, middling, small = setting
    cohort_module.cohort.leader_groups.remove(middling, world.group)
    found = suggestions(world, cohort_module.cohort)
    entry = pair_of(found, small)
    assert {entry[0], entry[1]} == {small.pk, strong.pk}
    assert entry[2] is None and entry[3] is None


def test_an_unreleased_answer_never_changes_the_suggestions(world, setting):
    """The 5th answer of the small group would complete its block; the 4 waiting answers,
    whatever they are, change nothing."""
    cohort_module, round_, strong, middling, small = setting
    before = suggestions(world, cohort_module.cohort)
    for score in (1, 3, 5):
        DimensionScore.objects.for_network(world.network).filter(leader_group=small).update(
            score=score)
        assert suggestions(world, cohort_module.cohort) == before
    # one more answer in a group that already showed: waiting, nothing moves either
    build_submission(round_, group=world.group,
                     scores={"vision": (5, 5), "customer": (1, 5), "data": (1, 5)})
    assert suggestions(world, cohort_module.cohort) == before


def test_the_facilitator_adjusts_and_confirms_and_the_groups_read_why(client, world, setting):
    cohort_module, _round, strong, middling, small = setting
    gathering = cohort_module.gathering
    client.force_login(world.facilitator)
    pairs_url = url(world, "gathering_pairs", gathering_id=gathering.pk)
    page = client.get(pairs_url).content.decode()
    assert "Suggested pairs" in page and "Strong in vision" in page
    # the facilitator swaps: the world's group with "Middling", "Strong in vision" with "Small"
    response = client.post(pairs_url, {f"partner-{world.group.pk}": middling.pk,
                                       f"partner-{middling.pk}": world.group.pk,
                                       f"partner-{strong.pk}": small.pk})
    assert response.status_code == 302
    pairs = {frozenset((pair.first_id, pair.second_id)) for pair in
             GroupPair.objects.for_network(world.network).filter(gathering=gathering)}
    assert pairs == {frozenset((world.group.pk, middling.pk)), frozenset((strong.pk, small.pk))}
    assert "Confirmed pairs" in client.get(pairs_url).content.decode()

    client.force_login(world.leader)
    work = client.get(url(world, "group_work", group_id=world.group.pk)).content.decode()
    assert "paired with Middling" in work
    # Middling (today 3) stands higher in vision than the group (today 1): said in words
    assert "Middling stands strong in vision, where" in work
    assert "Their organisations are of a similar size." in work
    for number in ("3.0", "1.0", "5.0", "+2.0"):
        assert number not in work.split("Paired at gatherings")[1].split("</section>")[0]

    small_leader = make_person(language="en")
    grant_role(small_leader, world.network, RoleKind.LEADER, leader_group=small)
    client.force_login(small_leader)
    work = client.get(url(world, "group_work", group_id=small.pk)).content.decode()
    section = work.split("Paired at gatherings")[1].split("</section>")[0]
    assert "paired with Strong in vision" in section
    assert "stands strong" not in section  # the small group has no released numbers


def test_only_the_people_who_run_the_cohort_pair(client, world, setting):
    cohort_module = setting[0]
    pairs_url = url(world, "gathering_pairs", gathering_id=cohort_module.gathering.pk)
    for role in ("leader", "coordinator"):
        client.force_login(world.person(role))
        assert client.get(pairs_url).status_code == 404
    client.force_login(world.admin)
    assert client.get(pairs_url).status_code == 200


def test_a_network_admin_sets_the_kind_and_population_of_an_organisation(client, world):
    page = reverse("organisation_detail", kwargs={"network_slug": world.network.slug,
                                                  "organisation_id": world.organisation.pk})
    change = {"attributes": "1", "attributes-kind": "county", "attributes-size_band": "city"}
    client.force_login(world.coordinator)
    assert "Kind and size of the organisation" not in client.get(page).content.decode()
    client.post(page, change)
    world.organisation.refresh_from_db()
    assert (world.organisation.kind, world.organisation.size_band) == ("municipality", "")
    client.force_login(world.admin)
    assert "Kind and size of the organisation" in client.get(page).content.decode()
    assert client.post(page, change).status_code == 302
    world.organisation.refresh_from_db()
    assert (world.organisation.kind, world.organisation.size_band) == ("county", "city")
