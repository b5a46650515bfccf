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


def test_the_resources_found_cost_no_query_more(client, world, tagged,
                                                django_assert_num_queries):
    """The tagged resources are read in the query that finds them, and kept until the next
    write (issue 11): the page costs its five queries (test_queries) whether material is found
    or not, and a resource changed meanwhile shows at once."""
    round_ = build_round(world)
    build_submission(round_, person=world.leader, group=world.group,
                     scores={"vision": (1, 5), "customer": (3, 3), "data": (3, 4)})
    results_page(client, world, round_)
    url = reverse("assessment_results", kwargs={"network_slug": world.network.slug,
                                                "round_id": round_.pk})
    with django_assert_num_queries(5):
        assert "Case on vision" in own_section(client.get(url).content.decode())
    vision, _data = tagged
    vision.title = {"en": "Case on vision, second edition"}
    vision.save()
    assert "Case on vision, second edition" in own_section(client.get(url).content.decode())


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


def tag(activity, *tags):
    activity.dimension_tags = list(tags)
    activity.save(update_fields=["dimension_tags"])
    return activity


def test_a_leader_sees_the_cohorts_exercises_for_their_gaps_as_the_cohort_runs_them(
        client, world, tagged):
    from cohorts import tailoring
    from programmes.models import Activity
    from tests.factories import journey_activity, make_cohort, make_cohort_module, make_journey

    round_ = build_round(world)
    journey = make_journey(world)
    reflection = tag(journey_activity(world, "reflection"), "test-profile:vision")
    task = tag(journey_activity(world, "group_task"), "test-profile:vision")
    tag(journey_activity(world, "video"), "test-profile:vision")  # not an exercise
    elsewhere = make_cohort_module(make_cohort(world, name="Another cohort"), slug="strategy",
                                   content="journey", activities=0, title="Strategy")
    tag(Activity.objects.get(phase__module=elsewhere.module_id, kind="reflection"),
        "test-profile:vision")
    build_submission(round_, person=world.leader, group=world.group,
                     scores={"vision": (1, 5), "customer": (3, 3), "data": (3, 4)})
    own = own_section(results_page(client, world, round_))
    module_url = reverse("module_detail", kwargs={"network_slug": world.network.slug,
                                                  "cohort_module_id": journey.pk})
    assert f'href="{module_url}#activity-{reflection.pk}"' in own
    assert f"Exercise: {reflection.title['en']}" in own and "in module Organisation" in own
    assert f"#activity-{task.pk}" in own
    assert "Strategy" not in own and own.count("Exercise:") == 2  # no video, no other cohort

    tailoring.remove_activity(journey, task)  # the cohort no longer runs it
    own = own_section(results_page(client, world, round_))
    assert f"#activity-{task.pk}" not in own and f"#activity-{reflection.pk}" in own


def test_the_group_sees_exercises_only_for_its_released_gaps(client, world, tagged):
    from tests.factories import journey_activity, make_journey

    round_ = build_round(world)
    make_journey(world)
    vision = tag(journey_activity(world, "reflection"), "test-profile:vision")
    data = tag(journey_activity(world, "group_task"), "test-profile:data")
    start = timezone.now() - timedelta(hours=1)
    for index in range(4):
        build_submission(round_, person=world.leader if index == 0 else None, group=world.group,
                         scores={"vision": (3, 3), "customer": (3, 3), "data": (1, 5)},
                         submitted_at=start + timedelta(minutes=index))
    page = results_page(client, world, round_)
    assert "Material for your group's largest gaps" not in page  # below k: nothing
    build_submission(round_, group=world.group,
                     scores={"vision": (3, 3), "customer": (3, 3), "data": (1, 5)},
                     submitted_at=start + timedelta(minutes=5))
    page = results_page(client, world, round_)
    group = page.split("Material for your group's largest gaps")[1].split("</section>")[0]
    assert f"#activity-{data.pk}" in group and f"#activity-{vision.pk}" not in group


def test_the_standard_programme_tags_exercises(db):
    from programmes.loader import load_programme
    from programmes.models import Activity

    load_programme()
    tagged = Activity.objects.exclude(dimension_tags=[])
    assert tagged.count() >= 5
    assert set(tagged.values_list("kind", flat=True)) <= {"reflection", "group_task"}
    assert "capabilities:technological-foresight" in {
        tag for tags in tagged.values_list("dimension_tags", flat=True) for tag in tags}
