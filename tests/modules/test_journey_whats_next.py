"""The leader's "What's next": the module and phase running on a day, what is due, the next
gathering, progress, and the next activities; pinned query counts."""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts import schedule
from modules.models import ActivityCompletion
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import journey_activity, make_journey, make_module, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


OPENS, GATHERING, DUE = date(2026, 3, 2), date(2026, 3, 30), date(2026, 5, 25)


def at(day, hour=9):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.mark.parametrize(("today", "state", "due_on"), [
    (OPENS - timedelta(days=1), "upcoming", OPENS),
    (OPENS, "prework", GATHERING),
    (GATHERING - timedelta(days=1), "prework", GATHERING),
    (GATHERING, "gathering", GATHERING),
    (GATHERING + timedelta(days=1), "postwork", DUE),
    (DUE, "postwork", DUE),
    (DUE + timedelta(days=1), "finished", DUE),
])
def test_the_phase_follows_the_cohort_module_dates(today, state, due_on):
    cohort_module = SimpleNamespace(prework_opens_on=OPENS, postwork_due_on=DUE)
    gathering = SimpleNamespace(starts_at=at(GATHERING))
    assert schedule.module_state(cohort_module, gathering, today) == (state, due_on)


def test_without_a_gathering_date_the_module_stays_in_prework():
    cohort_module = SimpleNamespace(prework_opens_on=OPENS, postwork_due_on=DUE)
    assert schedule.module_state(cohort_module, None, OPENS + timedelta(days=40)) == (
        "prework", None)


def home(client, world):
    client.force_login(world.leader)
    return client.get(reverse("leader_home", kwargs={"network_slug": world.network.slug}))


def test_a_leader_without_a_cohort_is_told_kindly(client, world):
    page = home(client, world).content.decode()
    assert "Your programme has not started yet" in page
    assert "Your leader group is not in a cohort yet." in page


def test_in_prework_the_leader_sees_what_is_due_and_the_next_gathering(client, world):
    today = timezone.localdate()
    gathering_on = today + timedelta(days=9)
    cohort_module = make_journey(world, prework_opens_on=today - timedelta(days=5),
                                 gathering_on=gathering_on)
    response = home(client, world)
    page = response.content.decode()
    assert "Organisation: Pre-work" in page
    assert "Pre-work is open. Do it before the gathering on" in page
    assert "Kristiansand" in page and "09:00–15:30" in page
    ics = reverse("gathering_ics", kwargs={"network_slug": world.network.slug,
                                           "gathering_id": cohort_module.gathering.pk})
    assert f'href="{ics}"' in page
    assert "Do the reflection" in page and "Write your reflection" in page


def test_on_the_gathering_day_and_in_postwork(client, world):
    today = timezone.localdate()
    make_journey(world, prework_opens_on=today - timedelta(days=20), gathering_on=today)
    assert "Today is the gathering." in home(client, world).content.decode()


def test_in_postwork_the_due_date_is_shown(client, world):
    today = timezone.localdate()
    due = today + timedelta(days=30)
    make_journey(world, prework_opens_on=today - timedelta(days=40),
                 gathering_on=today - timedelta(days=10), postwork_due_on=due)
    page = home(client, world).content.decode()
    assert "Organisation: Post-work" in page
    assert "Post-work is due on" in page


def test_before_the_module_starts_it_says_when(client, world):
    today = timezone.localdate()
    make_journey(world, prework_opens_on=today + timedelta(days=3),
                 gathering_on=today + timedelta(days=30))
    page = home(client, world).content.decode()
    assert "Organisation: Coming up" in page
    assert "when the pre-work opens" in page


def test_after_the_last_module_the_programme_is_finished(client, world):
    today = timezone.localdate()
    make_journey(world, prework_opens_on=today - timedelta(days=100),
                 gathering_on=today - timedelta(days=70), postwork_due_on=today - timedelta(days=1))
    assert "You have been through the whole programme" in home(client, world).content.decode()


def test_progress_counts_the_leaders_own_completions(client, world):
    cohort_module = make_journey(world)
    video = journey_activity(world, "video")
    ActivityCompletion.objects.create(network=world.network, cohort=cohort_module.cohort,
                                      person=world.leader, activity=video)
    colleague = make_person()
    grant_role(colleague, world.network, RoleKind.LEADER, leader_group=world.group)
    ActivityCompletion.objects.create(network=world.network, cohort=cohort_module.cohort,
                                      person=colleague,
                                      activity=journey_activity(world, "reflection"))
    response = home(client, world)
    page = response.content.decode()
    total = len(response.context["journeys"][0].modules[0].items)
    assert f'max="{total}" value="1"' in page
    assert f"1 of {total} activities done" in page
    next_titles = [item.activity.slug for item in
                   response.context["journeys"][0].current_modules[0].next]
    assert "video" not in next_titles and "reflection" in next_titles


def _grow(world, cohort_module, leaders=6, activities=12):
    for _ in range(leaders):
        person = make_person()
        grant_role(person, world.network, RoleKind.LEADER, leader_group=world.group)
        ActivityCompletion.objects.create(network=world.network, cohort=cohort_module.cohort,
                                          person=person, activity=journey_activity(world, "video"))
    module = cohort_module.module
    make_module(module.programme, module.slug, content="journey", activities=activities)




def test_the_leader_home_reads_a_fixed_number_of_queries(client, world,
                                                          django_assert_num_queries):
    cohort_module = make_journey(world)
    url = reverse("leader_home", kwargs={"network_slug": world.network.slug})
    client.force_login(world.leader)
    client.get(url)  # the first visit remembers the network on the person
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get(url).status_code == 200
    _grow(world, cohort_module)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get(url).status_code == 200


def test_the_module_page_reads_a_fixed_number_of_queries(client, world,
                                                          django_assert_num_queries):
    cohort_module = make_journey(world)
    url = reverse("module_detail", kwargs={"network_slug": world.network.slug,
                                           "cohort_module_id": cohort_module.pk})
    client.force_login(world.leader)
    client.get(url)
    with django_assert_num_queries(MODULE_QUERIES):
        assert client.get(url).status_code == 200
    _grow(world, cohort_module)
    with django_assert_num_queries(MODULE_QUERIES):
        assert client.get(url).status_code == 200


# Sign-in and the network (session, person, the person's roles with their networks), then the page:
# the leader's cohorts, their modules, phases, activities, completions, open rounds and
# submitted rounds; the module page reads the cohort module, the leader's groups in the cohort,
# the network's own resources and the cohort's own speakers and cases instead of the cohorts.
# Both read whether the leader said they come to the gathering; What's next also the messages
# and the open polls.
HOME_QUERIES = 13
MODULE_QUERIES = 13
