"""The dashboards per role (issue 15): each shows what needs the person now, only counts of
people and submitted rounds (never answers), and takes the same number of queries however
many groups and leaders there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.dashboards import HEATMAP_GROUPS_PER_PAGE, heat_class
from modules.selectors import leaders_progress
from tenancy.services import create_invitation
from tests.factories import (
    build_submission,
    make_cohort,
    make_cohort_module,
    make_group,
    make_module,
    make_network,
    make_person,
    with_mfa,
)
from tests.modules.test_progress_pages import (
    activities,
    add_leaders,
    complete,
    fill,
    scene,  # noqa: F401 (a fixture)
    url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]

# Progress counted per group in the database (modules.progress.done_per_group): 24 each when
# the dashboards read every leader (modules.selectors.leaders_progress). The admin's page lists
# the staff roles and counts the leaders (one query more than listing every role).
ADMIN_DASHBOARD_QUERIES = 22
ORGANISATION_PAGE_QUERIES = 21


def queries_for(client, person, target):
    client.force_login(person)
    client.get(target)  # the first page of a session also notes the network
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    return len(queries)


def test_the_heatmap_writes_the_value_and_the_shade_only_repeats_it():
    assert [heat_class(p) for p in (None, 0, 1, 24, 25, 50, 75, 100)] == [
        "heat-none", "heat-0", "heat-1", "heat-1", "heat-2", "heat-3", "heat-4", "heat-4"]


class TestNetworkAdmin:
    def test_the_admin_sees_cohorts_gatherings_open_rounds_and_the_heatmap(self, client, world):
        cohort = fill_world(world, groups=2, leaders=3)
        client.force_login(world.admin)
        page = client.get(url(world, "manage_dashboard")).content.decode()
        assert "Next gatherings" in page and "Clarion Hotel Ernst" in page
        assert "Open assessment rounds" in page
        # 3 leaders in each of 2 groups plus the world's own leader; 6 have submitted
        assert "6 of 7 leaders have submitted" in page
        assert f"Progress of the leader groups in {cohort.name}" in page
        assert 'class="heatmap"' in page and "%" in page
        assert "Add an organisation" in page  # tenancy's page is still all there

    def test_the_page_takes_the_same_queries_for_more_groups_and_leaders(
            self, client, world, other_world):
        counts = []
        for each, groups, leaders in [(world, 1, 2), (other_world, 3, 6)]:
            fill_world(each, groups=groups, leaders=leaders)
            counts.append(queries_for(client, each.admin, url(each, "manage_dashboard")))
        assert counts == [ADMIN_DASHBOARD_QUERIES] * 2


def fill_world(world, *, groups, leaders, slug="organisation"):
    from tests.factories import world_cohort

    cohort = world_cohort(world)
    cohort.facilitators.add(world.facilitator)
    extra = [make_group(world.network, world.organisation) for _ in range(groups - 1)]
    fill(world, cohort, [world.group, *extra], leaders, make_module(slug=slug, activities=2))
    return cohort


def per_module(table, cohort_modules):
    """(done, total) per cohort module of the one group of `table` (leaders_progress), added up
    leader by leader: what the dashboards showed before they counted in the database."""
    (block,) = table.groups
    return [tuple(sum(getattr(row.cells[i], field) for row in block.rows
                      for i, column in enumerate(table.columns)
                      if column.cohort_module == cohort_module)
                  for field in ("done", "total")) for cohort_module in cohort_modules]


def test_the_dashboards_count_each_group_as_the_table_of_its_leaders_does(client, world,
                                                                         scene):  # noqa: F811
    """The heatmap (every module) and the coordinator's bars (the module running now) count in
    the database (modules.progress.done_per_group) what the per-leader table counts."""
    cohort, cohort_module = scene
    later = make_cohort_module(cohort, slug="later", activities=1)
    assessment = activities(cohort_module, "prework")[1]
    assessment.kind, assessment.instrument_slug = "assessment", "test-profile"
    assessment.save()
    colleague, marked, idle = add_leaders(world, world.group, 3)
    build_submission(cohort.rounds.get(), person=colleague, group=world.group)
    complete(cohort, marked, [assessment, *activities(later, "gathering")])
    complete(cohort, colleague, activities(cohort_module, "postwork"))
    complete(make_cohort(world, name="Another"), idle, activities(cohort_module, "prework"))
    modules = [cohort_module, later]
    expected = per_module(leaders_progress(world.network, cohort, [world.group], modules),
                          modules)
    assert expected == [(7, 24), (1, 12)]

    client.force_login(world.admin)
    heatmap = client.get(url(world, "manage_dashboard")).context["overview"].heatmap
    (row,) = heatmap.rows
    assert heatmap.modules == modules and row.leaders == 4
    assert [(share.done, share.total) for share in row.cells] == expected

    client.force_login(world.coordinator)
    (bar,) = client.get(url(world, "organisation_detail", organisation_id=world.organisation.pk)
                        ).context["group_bars"]
    assert (bar.leaders, bar.share.done, bar.share.total) == (4, *expected[0])


def test_the_heatmap_shows_the_groups_a_page_at_a_time(client, world, scene):  # noqa: F811
    cohort, _cohort_module = scene
    for number in range(HEATMAP_GROUPS_PER_PAGE):
        cohort.leader_groups.add(make_group(world.network, world.organisation,
                                            f"Gruppe {number:02d}"))
    client.force_login(world.admin)
    target = url(world, "manage_dashboard")
    first = client.get(target)
    assert len(first.context["overview"].heatmap.rows) == HEATMAP_GROUPS_PER_PAGE
    page = first.content.decode()
    assert "1–20 of 21 groups" in page and f"?cohort={cohort.pk}&amp;page=2" in page
    (last,) = client.get(target, {"cohort": cohort.pk, "page": 2}
                         ).context["overview"].heatmap.rows
    assert last.group == world.group  # "Ledergruppe …" after "Gruppe 00" to "Gruppe 19"


class TestFacilitator:
    def test_the_next_gathering_links_its_rounds_screen_results_and_reports(self, client,
                                                                           world):
        cohort = fill_world(world, groups=1, leaders=1)
        round_ = cohort.rounds.get()
        client.force_login(world.facilitator)
        page = client.get(url(world, "facilitator_home")).content.decode()
        assert "Your next gathering" in page
        for name, kwargs in [("round_gathering", {"round_id": round_.pk}),
                             ("round_results", {"round_id": round_.pk}),
                             ("cohort_rounds", {"cohort_id": cohort.pk}),
                             ("cohort_reports", {"cohort_id": cohort.pk})]:
            assert f'href="{url(world, name, **kwargs)}"' in page, name

    def test_without_a_gathering_coming_up_it_says_so(self, client, world):
        client.force_login(world.facilitator)
        assert "No gathering planned" in client.get(
            url(world, "facilitator_home")).content.decode()


class TestCoordinator:
    def test_groups_progress_as_bars_with_values_and_invited_leaders_marked(self, client,
                                                                           world):
        fill_world(world, groups=1, leaders=2)
        create_invitation(world.network, email=world.leader.email, name=world.leader.name,
                          kind="leader", leader_group=world.group,
                          organisation=world.organisation, invited_by=world.coordinator,
                          language="en")
        client.force_login(world.coordinator)
        page = client.get(url(world, "organisation_detail",
                              organisation_id=world.organisation.pk)).content.decode()
        assert "How far the groups have come" in page
        assert "<progress" in page and "% done" in page
        assert "1 has not accepted the invitation yet" in page
        assert page.count("Invited, not yet accepted") == 1
        progress = client.get(url(world, "organisation_progress",
                                  organisation_id=world.organisation.pk)).content.decode()
        assert progress.count("Invited, not yet accepted") == 1

    def test_the_page_takes_the_same_queries_for_more_groups_and_leaders(
            self, client, world, other_world):
        counts = []
        for each, groups, leaders in [(world, 1, 2), (other_world, 3, 6)]:
            fill_world(each, groups=groups, leaders=leaders)
            for person in add_leaders(each, each.group, 2):
                create_invitation(each.network, email=person.email, name=person.name,
                                  kind="leader", leader_group=each.group,
                                  organisation=each.organisation,
                                  invited_by=each.coordinator, language="en")
            counts.append(queries_for(client, each.coordinator, url(
                each, "organisation_detail", organisation_id=each.organisation.pk)))
        assert counts == [ORGANISATION_PAGE_QUERIES] * 2


class TestPlatformStaff:
    def test_staff_land_on_the_overview_of_every_network(self, client, world, other_world):
        fill_world(world, groups=2, leaders=3)
        staff = with_mfa(make_person(is_staff=True))
        client.force_login(staff)
        response = client.get("/", follow=True)
        assert response.resolver_match.url_name == "staff_overview"
        page = response.content.decode()
        assert world.network.name in page and other_world.network.name in page
        assert reverse("admin:index") in page
        # The authoring pages are one click away, not in the raw admin.
        assert reverse("staff_instruments") in page and reverse("staff_programmes") in page

    def test_others_get_a_404(self, client, world):
        client.force_login(world.admin)
        assert client.get(reverse("staff_overview")).status_code == 404
        assert client.get(reverse("design_components")).status_code == 404

    def test_the_overview_takes_the_same_queries_for_more_networks(self, client, world):
        staff = with_mfa(make_person(is_staff=True))
        fill_world(world, groups=1, leaders=2)
        first = queries_for(client, staff, reverse("staff_overview"))
        for slug in ("third", "fourth"):
            make_network(slug)
        assert queries_for(client, staff, reverse("staff_overview")) == first

    def test_the_components_page_shows_the_design_language(self, client):
        client.force_login(with_mfa(make_person(is_staff=True)))
        page = client.get(reverse("design_components")).content.decode()
        assert "Type scale" in page and 'class="heatmap"' in page
        assert 'aria-hidden="true" focusable="false"><use href="/static/icons/icons.svg#' in page

