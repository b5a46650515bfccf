"""The results pages: a leader's own results, group results, and what each role sees."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    build_instrument,
    build_round,
    build_submission,
    make_group,
    make_organisation,
    make_person,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def at(minutes):
    return timezone.now() - timedelta(hours=2) + timedelta(minutes=minutes)


def url(name, world, round):
    return reverse(name, kwargs={"network_slug": world.network.slug, "round_id": round.pk})


def fill_group(round, group, count, scores, start=0):
    for minute in range(count):
        build_submission(round, group=group, submitted_at=at(start + minute), scores=scores)


def test_a_leader_sees_their_own_scores_and_no_aggregate_below_k(client, world):
    round = build_round(world)
    build_submission(round, person=world.leader, group=world.group, submitted_at=at(0),
                     scores={"vision": (2.5, 4.25), "customer": (3, 3), "data": (1, 5)})
    client.force_login(world.leader)
    response = client.get(url("assessment_results", world, round))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your capability profile" in page
    assert "4.2" in page or "4.3" in page  # the leader's own ambition for vision
    assert "Your group: not shown: fewer than 5 answered." in page
    assert f"{world.network.name}: not shown: fewer than 5 answered." in page
    assert "<svg" in page and "<title" in page and "<desc" in page


def test_a_leader_sees_group_and_network_once_k_have_answered(client, world):
    round = build_round(world)
    build_submission(round, person=world.leader, group=world.group, submitted_at=at(0),
                     scores={"vision": (1, 2)})
    fill_group(round, world.group, 4, {"vision": (3, 5)}, start=1)  # group mean 2.6, 4.4
    client.force_login(world.leader)
    page = client.get(url("assessment_results", world, round)).content.decode()
    assert "not shown: fewer than" not in page
    assert "2.6" in page and "4.4" in page


def test_a_leader_who_has_not_answered_is_told_so_and_sees_their_group(client, world):
    round = build_round(world)
    fill_group(round, world.group, 5, {"vision": (1.5, 2.5)})
    client.force_login(world.leader)
    response = client.get(url("assessment_results", world, round))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have not submitted this assessment yet" in page
    assert "Your group: not shown" not in page
    assert "<td>1.5</td><td>2.5</td><td>5</td>" in page  # the group's column


def test_a_leader_outside_the_rounds_cohort_gets_404(client, world):
    round = build_round(world)
    elsewhere = make_group(world.network, make_organisation(world.network))
    outsider = make_person()
    grant_role(outsider, world.network, RoleKind.LEADER, leader_group=elsewhere)
    client.force_login(outsider)
    assert client.get(url("assessment_results", world, round)).status_code == 404


def test_generations_show_the_level_per_area_and_overall(client, world):
    instrument = build_instrument(
        slug="test-generations", kind="generations", level="floor",
        areas=(("services", ("services",)), ("processes", ("processes",))))
    round = build_round(world, instrument=instrument)
    build_submission(round, person=world.leader, group=world.group, submitted_at=at(0),
                     scores={"services": (2.75, 4), "processes": (3.5, 5)})
    client.force_login(world.leader)
    page = client.get(url("assessment_results", world, round)).content.decode()
    assert "Your generation" in page
    # overall today: floor((2.75 + 3.5) / 2) = floor(3.125) = 3; ambition floor(4.5) = 4
    assert "<strong>generation 3</strong>" in page
    assert "<strong>generation 4</strong>" in page
    assert "<td>generation 2</td>" in page  # services today: floor(2.75)
    # the rule in the leader's own numbers, the average at two decimals (3.13, not 3.1)
    assert ("Your average today is 3.13, so today you are in generation 3: generation 4 "
            "counts once your average reaches 4.") in page


def test_the_change_since_the_leaders_earlier_round_matches_codes(client, world):
    version_1 = build_instrument(slug="test-change", areas=(("a", ("vision", "old-one")),))
    version_2 = build_instrument(slug="test-change", version=2,
                                 areas=(("a", ("vision", "new-one")),))
    first = build_round(world, instrument=version_1, name="Autumn",
                        opens_at=timezone.now() - timedelta(days=90),
                        closes_at=timezone.now() - timedelta(days=80))
    second = build_round(world, instrument=version_2, name="Spring")
    build_submission(first, person=world.leader, group=world.group,
                     submitted_at=timezone.now() - timedelta(days=85),
                     scores={"vision": (2, 4), "old-one": (1, 1)})
    build_submission(second, person=world.leader, group=world.group, submitted_at=at(0),
                     scores={"vision": (3.5, 4), "new-one": (5, 5)})
    client.force_login(world.leader)
    page = client.get(url("assessment_results", world, second)).content.decode()
    assert "Change since your earlier round" in page
    assert "Autumn" in page
    assert "<td>+1.5</td>" in page  # vision: 3.5 - 2


def test_a_later_round_is_never_the_earlier_one(client, world):
    instrument = build_instrument(slug="test-later", areas=(("a", ("vision",)),))
    first = build_round(world, instrument=instrument, name="Spring",
                        opens_at=timezone.now() - timedelta(days=90),
                        closes_at=timezone.now() - timedelta(days=80))
    later = build_round(world, instrument=instrument, name="Autumn",
                        opens_at=timezone.now() - timedelta(days=10))
    build_submission(first, person=world.leader, group=world.group,
                     submitted_at=timezone.now() - timedelta(days=85), scores={"vision": (2, 4)})
    build_submission(later, person=world.leader, group=world.group, submitted_at=at(0),
                     scores={"vision": (3.5, 4)})
    client.force_login(world.leader)
    spring = client.get(url("assessment_results", world, first)).content.decode()
    assert "Change since your earlier round" not in spring
    autumn = client.get(url("assessment_results", world, later)).content.decode()
    assert "Change since your earlier round" in autumn and "<td>+1.5</td>" in autumn


def test_group_results_show_the_network_and_groups_each_once_shown(client, world):
    round = build_round(world)
    small = make_group(world.network, world.organisation, name="Small group")
    round.cohort.leader_groups.add(small)
    fill_group(round, world.group, 5, {"vision": (2, 4)})
    fill_group(round, small, 2, {"vision": (5, 5)}, start=10)
    client.force_login(world.facilitator)
    response = client.get(url("round_results", world, round))
    assert response.status_code == 200
    page = response.content.decode()
    assert "7 responses submitted." in page
    assert "Small group" in page and world.group.name in page
    assert "not shown: fewer than 5 answered" in page
    assert "Talk about vision" in page  # the discussion prompt
    assert "Open the gathering screen" in page


def test_group_results_compare_the_groups_on_one_dimension_at_a_time(client, world):
    round = build_round(world)
    other = make_group(world.network, world.organisation, name="Other group")
    round.cohort.leader_groups.add(other)
    fill_group(round, world.group, 5, {"vision": (2, 4), "customer": (3, 5)})
    fill_group(round, other, 5, {"vision": (1, 2), "customer": (4, 4)}, start=10)
    client.force_login(world.facilitator)

    first = client.get(url("round_results", world, round)).content.decode()
    assert "1.0 → 2.0" in first and "4.0 → 4.0" not in first  # vision's comparison only
    assert "?d=2#dimension-customer" in first  # the way to the next dimension's comparison
    second = client.get(url("round_results", world, round) + "?d=2").content.decode()
    assert "4.0 → 4.0" in second and "1.0 → 2.0" not in second
    assert "?d=1#dimension-vision" in second
    # every dimension keeps its prompt and the network's numbers on both
    for page in (first, second):
        assert "Talk about vision" in page and "Talk about customer" in page


def test_a_coordinator_sees_only_their_organisations_groups(client, world):
    round = build_round(world)
    other_organisation = make_organisation(world.network)
    foreign = make_group(world.network, other_organisation, name="Foreign group")
    round.cohort.leader_groups.add(foreign)
    fill_group(round, world.group, 5, {"vision": (2, 4)})
    fill_group(round, foreign, 5, {"vision": (4, 4)}, start=10)
    client.force_login(world.coordinator)
    page = client.get(url("round_results", world, round)).content.decode()
    assert world.group.name in page
    assert world.organisation.name in page
    assert "Foreign group" not in page
    assert "Open the gathering screen" not in page


def test_a_coordinator_of_an_organisation_outside_the_cohort_gets_404(client, world):
    round = build_round(world)
    other = make_person()
    grant_role(other, world.network, RoleKind.COORDINATOR,
               organisation=make_organisation(world.network))
    client.force_login(other)
    assert client.get(url("round_results", world, round)).status_code == 404


def test_a_facilitator_of_another_cohort_gets_404(client, world):
    from tests.factories import make_cohort

    round = build_round(world)
    other_cohort = make_cohort(world, name="Kull 2027")
    other_round = build_round(world, cohort=other_cohort)
    client.force_login(world.facilitator)
    assert client.get(url("round_results", world, round)).status_code == 200
    assert client.get(url("round_results", world, other_round)).status_code == 404
    assert client.get(url("round_gathering", world, other_round)).status_code == 404


def test_free_text_never_appears_in_results(client, world):
    from modules.models import GroupTaskAnswer, Reflection
    from programmes.models import Activity, Module, Phase

    round = build_round(world)
    fill_group(round, world.group, 5, {"vision": (2, 4)})
    build_submission(round, person=world.leader, group=world.group, submitted_at=at(9),
                     scores={"vision": (3, 3)})
    module = Module.objects.create(programme=round.cohort.programme, slug="m", theme="strategy",
                                   position=1, title={"en": "M"})
    phase = Phase.objects.create(module=module, kind="prework", position=1)
    activity = Activity.objects.create(phase=phase, slug="a", kind="reflection", position=1,
                                       title={"en": "A"})
    Reflection.objects.create(network=world.network, cohort=round.cohort, person=world.leader,
                              activity=activity, text="MY-PRIVATE-REFLECTION")
    GroupTaskAnswer.objects.create(network=world.network, cohort=round.cohort,
                                   leader_group=world.group, activity=activity,
                                   text="OUR-GROUP-TEXT")
    pages = []
    for person, name in ((world.leader, "assessment_results"),
                         (world.facilitator, "round_results"),
                         (world.admin, "round_gathering")):
        client.force_login(person)
        pages.append(client.get(url(name, world, round)).content.decode())
    for page in pages:
        assert "MY-PRIVATE-REFLECTION" not in page
        assert "OUR-GROUP-TEXT" not in page


def test_a_facilitator_of_another_cohort_sees_no_gathering_link_the_cohorts_facilitator_does(
        client, world):
    """A facilitator who sees the round's results as coordinator of one of its organisations
    does not run the round, so is not offered its gathering screen (which would be 404)."""
    from tests.factories import make_cohort

    round = build_round(world)
    fill_group(round, world.group, 5, {"vision": (2, 4)})
    other = make_person()
    grant_role(other, world.network, RoleKind.FACILITATOR)
    grant_role(other, world.network, RoleKind.COORDINATOR, organisation=world.organisation)
    make_cohort(world, name="Kull 2027").facilitators.add(other)
    gathering = url("round_gathering", world, round)
    client.force_login(other)
    response = client.get(url("round_results", world, round))
    assert response.status_code == 200
    assert gathering not in response.content.decode()
    assert client.get(gathering).status_code == 404
    client.force_login(world.facilitator)
    assert gathering in client.get(url("round_results", world, round)).content.decode()
    assert client.get(gathering).status_code == 200


def test_same_named_groups_come_in_the_same_order_on_the_page_and_in_the_pdf(client, world):
    from assessments.reports.document import report_data
    from tests.factories import make_report, world_cohort

    cohort = world_cohort(world)
    first = make_group(world.network, make_organisation(world.network, name="Zeta"), name="Twin")
    second = make_group(world.network, make_organisation(world.network, name="Alpha"),
                        name="Twin")
    cohort.leader_groups.add(second, first)
    round = build_round(world, cohort=cohort)
    client.force_login(world.admin)
    page = client.get(url("round_results", world, round)).context["page"]
    on_page = [selection.label for selection in page.groups if selection.label.endswith("Twin")]
    overview = next(table for table in report_data(make_report(world, kind="network"))
                    .rounds[0].tables if any(label.endswith("Twin") for label, _ in table.rows))
    in_pdf = [label for label, _cells in overview.rows if label.endswith("Twin")]
    assert on_page == in_pdf == ["Zeta: Twin", "Alpha: Twin"]  # by name, then the older first
