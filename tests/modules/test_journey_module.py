"""The module page: phases with their introductions and ordered activities, marking done and
undone (plain POST and htmx), assessments done by submitting a round."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from modules.models import ActivityCompletion
from tests.factories import journey_activity, make_journey, make_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def module_url(world, cohort_module):
    return reverse("module_detail", kwargs={"network_slug": world.network.slug,
                                            "cohort_module_id": cohort_module.pk})


def done_url(world, cohort_module, activity):
    return reverse("activity_done", kwargs={"network_slug": world.network.slug,
                                            "cohort_module_id": cohort_module.pk,
                                            "activity_id": activity.pk})


def completions(world):
    return ActivityCompletion.objects.for_network(world.network).filter(person=world.leader)


def test_the_module_page_shows_phases_and_activities_in_order(client, world):
    cohort_module = make_journey(world)
    client.force_login(world.leader)
    response = client.get(module_url(world, cohort_module))
    page = response.content.decode()
    assert page.index("About the prework") < page.index("About the gathering") < page.index(
        "About the postwork")
    assert page.index("Do the assessment") < page.index("Do the video") < page.index(
        "Do the reflection") < page.index("Do the group_task")
    assert "Video" in page and "20 min" in page and "Not done yet" in page
    film = journey_activity(world, "video").resource
    assert reverse("resource_detail", kwargs={"network_slug": world.network.slug,
                                              "resource_id": film.pk}) in page
    assert "Kristiansand" in page, "the gathering's place"


def test_a_leader_marks_an_activity_done_and_undone_without_javascript(client, world):
    cohort_module = make_journey(world)
    video = journey_activity(world, "video")
    client.force_login(world.leader)
    response = client.post(done_url(world, cohort_module, video), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#activity-{video.pk}")
    client.post(done_url(world, cohort_module, video), {"done": "1"})
    assert completions(world).count() == 1, "marking twice changes nothing"
    page = client.get(module_url(world, cohort_module)).content.decode()
    assert "Mark as not done" in page
    client.post(done_url(world, cohort_module, video), {"done": "0"})
    assert not completions(world).exists()


def test_htmx_swaps_the_activity_and_the_progress_in_place(client, world):
    cohort_module = make_journey(world)
    video = journey_activity(world, "video")
    client.force_login(world.leader)
    response = client.post(done_url(world, cohort_module, video), {"done": "1"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="activity-{video.pk}"' in html and "activity--done" in html
    assert 'hx-swap-oob="true"' in html and "1 of" in html
    assert "Do the video: done" in html


def test_assessments_are_done_by_submitting_a_round_not_by_hand(client, world):
    from tests.factories import build_instrument, build_round, build_submission

    cohort_module = make_journey(world)
    assessment = journey_activity(world, "assessment")
    client.force_login(world.leader)
    client.post(done_url(world, cohort_module, assessment), {"done": "1"})
    assert not completions(world).exists()
    instrument = build_instrument(slug="digital-maturity")
    now = timezone.now()
    round_ = build_round(world, instrument=instrument, cohort=cohort_module.cohort,
                         opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=5))
    page = client.get(module_url(world, cohort_module)).content.decode()
    take = reverse("assessment_take", kwargs={"network_slug": world.network.slug,
                                              "round_id": round_.pk})
    assert f'href="{take}"' in page
    build_submission(round_, person=world.leader, group=world.group)
    response = client.get(module_url(world, cohort_module))
    item = next(i for i in response.context["journey"].items if i.activity == assessment)
    assert item.done


def test_only_leaders_in_the_cohort_open_its_modules(client, world):
    cohort_module = make_journey(world)
    elsewhere = make_world()
    client.force_login(elsewhere.leader)
    assert client.get(module_url(world, cohort_module)).status_code == 404
    from tenancy.models import RoleKind
    from tenancy.services import grant_role
    from tests.factories import make_group, make_person

    outsider = make_person()
    grant_role(outsider, world.network, RoleKind.LEADER,
               leader_group=make_group(world.network, world.organisation))
    client.force_login(outsider)
    assert client.get(module_url(world, cohort_module)).status_code == 404
    video = journey_activity(world, "video")
    assert client.post(done_url(world, cohort_module, video), {"done": "1"}).status_code == 404
    assert not ActivityCompletion.objects.for_network(world.network).exists()


def test_an_activity_of_another_module_is_not_found(client, world):
    from tests.factories import make_module, make_programme

    cohort_module = make_journey(world)
    other = make_module(make_programme("other"), "strategy", content="prework", activities=1)
    stranger = other.phases.get().activities.get()
    client.force_login(world.leader)
    assert client.post(done_url(world, cohort_module, stranger),
                       {"done": "1"}).status_code == 404
