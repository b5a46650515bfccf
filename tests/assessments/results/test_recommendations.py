"""Resources for the largest gaps: a leader's from their own scores, a group's from its
released numbers only (README, "Recommendations")."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.loader import ProgrammeFileError, _Checker
from tests.factories import build_instrument, build_round, build_submission, make_network_resource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


@pytest.fixture
def tagged(world):
    build_instrument()
    vision = make_network_resource(world, "vision-case", dimension_tags=["test-profile:vision"],
                                   title={"en": "Case on vision"})
    data = make_network_resource(world, "data-case", dimension_tags=["test-profile:data"],
                                 title={"en": "Case on data"})
    make_network_resource(world, "other-case", dimension_tags=["elsewhere:vision"],
                          title={"en": "Case of another instrument"})
    return vision, data


def results_page(client, world, round_):
    client.force_login(world.leader)
    return client.get(reverse("assessment_results", kwargs={
        "network_slug": world.network.slug, "round_id": round_.pk})).content.decode()


def own_section(page):
    return page.split("Material for your largest gaps")[1].split("</section>")[0]


def test_a_leader_sees_material_for_their_own_largest_gaps(client, world, tagged):
    round_ = build_round(world)
    build_submission(round_, person=world.leader, group=world.group,
                     scores={"vision": (1, 5), "customer": (3, 3), "data": (3, 4)})
    page = results_page(client, world, round_)
    own = own_section(page)
    assert own.index("Case on vision") < own.index("Case on data")  # largest gap first
    assert "Case of another instrument" not in page
    assert "Material for your group's largest gaps" not in page  # the group is below k


def test_the_group_sees_material_only_for_its_released_gaps(client, world, tagged):
    round_ = build_round(world)
    start = timezone.now() - timedelta(hours=1)
    for index in range(4):
        build_submission(round_, person=world.leader if index == 0 else None, group=world.group,
                         scores={"vision": (3, 3), "customer": (3, 3), "data": (1, 5)},
                         submitted_at=start + timedelta(minutes=index))
    assert "Material for your group's largest gaps" not in results_page(client, world, round_)
    build_submission(round_, group=world.group,
                     scores={"vision": (3, 3), "customer": (3, 3), "data": (1, 5)},
                     submitted_at=start + timedelta(minutes=5))
    page = results_page(client, world, round_)
    group = page.split("Material for your group's largest gaps")[1].split("</section>")[0]
    assert "Case on data" in group and "Case on vision" not in group


def test_the_programme_file_tags_resources_by_instrument_and_dimension():
    checker = _Checker()
    assert checker._dimension_tag("capabilities:digital-curiosity", "r") == (
        "capabilities:digital-curiosity")
    for bad in ("digital-curiosity", "capabilities:", "a b:c"):
        with pytest.raises(ProgrammeFileError, match="r"):
            checker._dimension_tag(bad, "r")


def test_the_standard_programme_seeds_tags(db):
    from programmes.loader import load_programme
    from resources.models import Resource

    load_programme()
    tagged = Resource.objects.shared().exclude(dimension_tags=[])
    assert tagged.count() >= 5
