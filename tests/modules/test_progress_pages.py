"""Coordinators see which activities and assessments their organisation's leaders have done
(never what they answered); network admins and the cohort's facilitators see the same per
group; progress exports as CSV; the pages take the same number of queries for any size."""

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cohorts.models import Cohort
from modules.models import ActivityCompletion, Reflection
from modules.progress_views import GROUPS_PER_PAGE
from modules.selectors import leaders_progress
from programmes.models import Activity
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tenancy.spreadsheet import XLSX_CONTENT_TYPE
from tests.factories import (
    build_round,
    build_submission,
    make_cohort,
    make_cohort_module,
    make_group,
    make_module,
    make_organisation,
    make_person,
    with_mfa,
    world_cohort,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]

COHORT_PAGE_QUERIES = 15  # made afresh
COHORT_PAGE_KEPT_QUERIES = 4  # kept under the data's generation: session, person, roles, cohort


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def running_module(cohort, module=None):
    """A module of the cohort that is running today (pre-work opened a week ago)."""
    today = timezone.localdate()
    return make_cohort_module(cohort, module, prework_opens_on=today - timedelta(days=7),
                              gathering_on=today + timedelta(days=7))


def activities(cohort_module, kind):
    return list(Activity.objects.filter(phase__module=cohort_module.module_id, phase__kind=kind)
                .order_by("position"))


def complete(cohort, person, done):
    ActivityCompletion.objects.bulk_create([
        ActivityCompletion(network_id=cohort.network_id, cohort=cohort, person=person,
                           activity=activity) for activity in done])


def add_leaders(world, group, count):
    people = [make_person(name=f"Leder {n:03d}") for n in range(count)]
    for person in people:
        grant_role(person, world.network, RoleKind.LEADER, leader_group=group)
    return people


@pytest.fixture
def scene(world):
    """The world's cohort runs a module now; the leader has done all pre-work and one
    post-work activity, and has submitted the start assessment."""
    cohort = world_cohort(world)
    cohort.facilitators.add(world.facilitator)
    cohort_module = running_module(cohort)
    prework = activities(cohort_module, "prework")
    complete(cohort, world.leader, prework + activities(cohort_module, "postwork")[:1])
    Reflection.objects.create(network=world.network, cohort=cohort, person=world.leader,
                              activity=prework[0], text="Mine alone: a private reflection")
    build_submission(build_round(world, cohort=cohort), person=world.leader, group=world.group)
    return cohort, cohort_module


def test_the_coordinator_sees_each_leaders_progress_per_phase(client, world, scene):
    colleague = add_leaders(world, world.group, 1)[0]
    client.force_login(world.coordinator)
    response = client.get(url(world, "organisation_progress",
                              organisation_id=world.organisation.pk))
    assert response.status_code == 200
    rows = {row.person: row for row in response.context["progress"].rows}
    assert [(c.done, c.total) for c in rows[world.leader].cells] == [(2, 2), (0, 2), (1, 2)]
    assert rows[world.leader].cells[0].complete and not rows[world.leader].cells[2].complete
    assert rows[world.leader].assessments_submitted == 1
    assert [(c.done, c.total) for c in rows[colleague].cells] == [(0, 2), (0, 2), (0, 2)]
    page = response.content.decode()
    assert "✓" in page and "All done:" in page  # a mark and its text
    assert "2 of 2" in page and "1 of 2" in page and "0 of 2" in page
    assert "Mine alone" not in page  # never what anyone wrote


def test_an_assessment_activity_counts_when_submitted_in_the_modules_time(world):
    cohort = world_cohort(world)
    cohort_module = running_module(cohort)
    assessment = activities(cohort_module, "prework")[0]
    assessment.kind, assessment.instrument_slug = "assessment", "test-profile"
    assessment.save()
    round_ = build_round(world, cohort=cohort)
    build_submission(round_, person=world.leader, group=world.group)
    table = leaders_progress(world.network, cohort, [world.group], [cohort_module])
    (row,) = table.rows
    assert row.cells[0].done == 1
    late = build_round(world, cohort=cohort, name="Later",
                       opens_at=timezone.now() + timedelta(days=400),
                       closes_at=timezone.now() + timedelta(days=401))
    assert late.opens_at.date() > cohort_module.postwork_due_on


def test_unsubmitted_answers_do_not_count(world):
    from assessments.models import Response

    cohort = world_cohort(world)
    cohort_module = running_module(cohort)
    Response.objects.create(network=world.network, round=build_round(world, cohort=cohort),
                            person=world.leader, leader_group=world.group)
    (row,) = leaders_progress(world.network, cohort, [world.group], [cohort_module]).rows
    assert row.assessments_submitted == 0


def test_the_module_can_be_chosen(client, world, scene):
    cohort, _running = scene
    later = make_cohort_module(
        cohort, make_module(cohort.programme, "leadership", 2),
        prework_opens_on=timezone.localdate() + timedelta(days=90))
    client.force_login(world.coordinator)
    response = client.get(url(world, "organisation_progress",
                              organisation_id=world.organisation.pk),
                          {"cohort": cohort.pk, "module": later.pk})
    assert response.context["current"] == later
    assert [c.done for c in response.context["progress"].rows[0].cells] == [0, 0, 0]
    assert 'aria-current="true"' in response.content.decode()


def test_groups_outside_the_cohort_show_their_leaders_without_progress(client, world, scene):
    outside = make_group(world.network, world.organisation, "Ikke med")
    add_leaders(world, outside, 1)
    client.force_login(world.coordinator)
    page = client.get(url(world, "organisation_progress",
                          organisation_id=world.organisation.pk)).content.decode()
    assert "Ikke med" in page and "does not take part in Kull 2026" in page


def test_an_organisation_in_no_cohort_still_lists_its_leaders(client, world):
    client.force_login(world.coordinator)
    response = client.get(url(world, "organisation_progress",
                              organisation_id=world.organisation.pk))
    assert response.status_code == 200
    assert world.leader.name in response.content.decode()
    assert "does not take part in a cohort yet" in response.content.decode()


def test_admins_and_the_cohorts_facilitators_see_the_same_per_group(client, world, scene):
    for person in (world.admin, world.facilitator, world.coordinator):
        client.force_login(person)
        response = client.get(url(world, "group_progress", group_id=world.group.pk))
        assert response.status_code == 200, person
        (row,) = response.context["progress"].rows
        assert [c.done for c in row.cells] == [2, 0, 1]
    client.force_login(world.leader)
    assert client.get(url(world, "group_progress", group_id=world.group.pk)).status_code == 404


def test_a_facilitator_sees_only_groups_of_cohorts_they_facilitate(client, world, scene):
    outside = make_group(world.network, world.organisation)
    other_cohort = make_cohort(world, name="Not theirs")
    other_cohort.leader_groups.add(outside)
    client.force_login(world.facilitator)
    assert client.get(url(world, "group_progress", group_id=outside.pk)).status_code == 404
    response = client.get(url(world, "group_progress", group_id=world.group.pk),
                          {"cohort": other_cohort.pk})
    assert response.context["cohort"] == scene[0]  # not a cohort they do not facilitate


def test_progress_exports_as_csv_for_excel(client, world, scene):
    add_leaders(world, world.group, 1)[0].__class__.objects.filter(
        name="Leder 000").update(name="=HYPERLINK(\"x\")")
    client.force_login(world.coordinator)
    response = client.get(url(world, "organisation_progress_csv",
                              organisation_id=world.organisation.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 2  # one row per leader
    assert header[:5] == ["Name", "Email", "Title", "Organisation", "Leader group"]
    assert "Pre-work (done of 2)" in header[5]
    leader_row = next(row for row in body if row[1] == world.leader.email)
    assert leader_row[5:] == ["2", "0", "1", "1"]
    assert any(row[0] == "'=HYPERLINK(\"x\")" for row in body)  # no formula from a name
    assert "Mine alone" not in content


def test_progress_exports_as_an_excel_workbook_without_formulas(client, world, scene):
    add_leaders(world, world.group, 1)[0].__class__.objects.filter(
        name="Leder 000").update(name="=HYPERLINK(\"x\")", title="-1+2")
    client.force_login(world.coordinator)
    page = client.get(url(world, "organisation_progress",
                          organisation_id=world.organisation.pk)).content.decode()
    xlsx_url = url(world, "organisation_progress_xlsx", organisation_id=world.organisation.pk)
    assert f'href="{xlsx_url}?cohort=' in page
    response = client.get(xlsx_url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).active]
    header, body = [cell.value for cell in rows[0]], rows[1:]
    assert header[:5] == ["Name", "Email", "Title", "Organisation", "Leader group"]
    leader_row = next(row for row in body if row[1].value == world.leader.email)
    assert [cell.value for cell in leader_row[5:]] == [2, 0, 1, 1]  # numbers, not text
    named = next(row for row in body if row[0].value == "=HYPERLINK(\"x\")")
    assert (named[0].data_type, named[2].data_type, named[2].value) == ("s", "s", "-1+2")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml  # text, never a formula


def test_the_group_csv_is_for_those_who_see_the_group(client, world, scene):
    client.force_login(world.facilitator)
    response = client.get(url(world, "group_progress_csv", group_id=world.group.pk))
    assert response.status_code == 200
    client.force_login(world.leader)
    assert client.get(url(world, "group_progress_csv",
                          group_id=world.group.pk)).status_code == 404


def test_the_facilitator_page_shows_completion_per_group_and_the_gatherings(client, world,
                                                                            scene):
    cohort, cohort_module = scene
    gathering = cohort_module.gathering
    gathering.agenda = "09.00 Velkommen til samling"
    gathering.save()
    add_leaders(world, world.group, 1)
    client.force_login(world.facilitator)
    response = client.get(url(world, "facilitator_home"))
    assert response.status_code == 200
    (block,) = response.context["entry"]["overview"].groups
    assert block.phase_percentages == [50, 0, 25]
    page = response.content.decode()
    assert "50 % done" in page and "09.00 Velkommen til samling" in page
    assert url(world, "gathering_ics", gathering_id=gathering.pk) in page
    assert url(world, "group_progress", group_id=world.group.pk) in page


def test_a_facilitator_without_cohorts_is_told_so(client, world):
    client.force_login(world.facilitator)
    assert "You facilitate no cohort" in client.get(url(world, "facilitator_home")).content.decode()


def fill(world, cohort, groups, leaders_per_group, module):
    """Leaders in groups of the cohort, each with some completions and a submission."""
    cohort_module = running_module(cohort, module)
    round_ = build_round(world, cohort=cohort)
    for group in groups:
        cohort.leader_groups.add(group)
        for person in add_leaders(world, group, leaders_per_group):
            complete(cohort, person, activities(cohort_module, "prework")[:2])
            build_submission(round_, person=person, group=group)


def page_queries(client, world, name, **kwargs):
    client.force_login(world.coordinator if "organisation" in name else world.admin)
    target = url(world, name, **kwargs)
    client.get(target)  # the first page of a session also notes the network
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "target"), [
    ("organisation_progress", "organisation"), ("organisation_progress_csv", "organisation"),
    ("group_progress", "group"), ("facilitator_home", None), ("cohort_detail", "cohort")])
def test_progress_pages_take_the_same_queries_for_twice_the_leaders_and_activities(
        client, world, other_world, django_assert_num_queries, name, target):
    small_module = make_module(slug="organisation", activities=2)
    big_module = make_module(slug="strategy", position=3, activities=5)
    counts = []
    for each, groups, leaders, module in [(world, 1, 3, small_module),
                                          (other_world, 2, 7, big_module)]:
        cohort = world_cohort(each)
        cohort.facilitators.add(each.facilitator)
        extra = [make_group(each.network, each.organisation) for _ in range(groups - 1)]
        fill(each, cohort, [each.group, *extra], leaders, module)
        kwargs = {"organisation": {"organisation_id": each.organisation.pk},
                  "group": {"group_id": each.group.pk},
                  "cohort": {"cohort_id": cohort.pk}, None: {}}[target]
        if name == "facilitator_home":
            client.force_login(each.facilitator)
            client.get(url(each, name))
            with CaptureQueriesContext(connection) as queries:
                client.get(url(each, name))
            counts.append(len(queries))
        else:
            counts.append(page_queries(client, each, name, **kwargs))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 25


def test_facilitators_see_how_many_in_each_group_never_signed_in(client, world, scene):
    """k−1 invented leaders around one real person would fill a block with that person's
    numbers; the cohort page shows, per group, how many leaders never signed in."""
    cohort, _cohort_module = scene
    invented = add_leaders(world, world.group, 3)
    for person in invented[:1]:
        person.last_login = timezone.now()
        person.save(update_fields=["last_login"])
    world.leader.last_login = timezone.now()
    world.leader.save(update_fields=["last_login"])
    client.force_login(world.facilitator)
    response = client.get(url(world, "cohort_detail", cohort_id=cohort.pk))
    (block,) = response.context["overview"].groups
    assert block.never_signed_in == 2
    page = response.content.decode()
    assert "Never signed in" in page
    row = page[page.index(f">{world.group.name}</a>"):]
    row = row[:row.index("</tr>")]
    assert "<td>4</td>" in row and "<td>2</td>" in row


def test_the_cohort_page_counts_each_group_as_the_table_of_its_leaders_does(client, world,
                                                                           scene):
    """The cohort page counts in the database (modules.progress.done_per_group) what the
    group's progress page counts leader by leader: an assessment done by a submission in
    the module's time, once even when also marked done; other activities when marked done."""
    cohort, cohort_module = scene
    assessment = activities(cohort_module, "prework")[1]
    assessment.kind, assessment.instrument_slug = "assessment", "test-profile"
    assessment.save()
    colleague, marked, idle = add_leaders(world, world.group, 3)
    build_submission(cohort.rounds.get(), person=colleague, group=world.group)
    complete(cohort, marked, [assessment])  # marked done and never submitted
    complete(cohort, colleague, activities(cohort_module, "postwork"))
    other = make_cohort(world, name="Another")  # completions elsewhere do not count
    complete(other, idle, activities(cohort_module, "prework"))
    client.force_login(world.facilitator)
    response = client.get(url(world, "cohort_detail", cohort_id=cohort.pk))
    (block,) = response.context["overview"].groups
    (expected,) = leaders_progress(world.network, cohort, [world.group], [cohort_module]).groups
    assert (block.leaders, block.never_signed_in) == (4, expected.never_signed_in)
    assert block.phase_percentages == expected.phase_percentages() == [50, 0, 38]


def test_the_cohort_page_shows_the_groups_a_page_at_a_time(client, world, scene):
    cohort, _cohort_module = scene
    for number in range(GROUPS_PER_PAGE):
        cohort.leader_groups.add(make_group(world.network, world.organisation,
                                            f"Gruppe {number:02d}"))
    client.force_login(world.facilitator)
    target = url(world, "cohort_detail", cohort_id=cohort.pk)
    first = client.get(target)
    assert len(first.context["overview"].groups) == GROUPS_PER_PAGE
    page = first.content.decode()
    assert "21 leader groups, each with its progress" in page
    assert "1–20 of 21 groups" in page and "?page=2" in page
    (last,) = client.get(target, {"page": 2}).context["overview"].groups
    assert last.group == world.group  # "Ledergruppe …" after "Gruppe 00" to "Gruppe 19"
    home = client.get(url(world, "facilitator_home")).content.decode()
    assert f'href="{target}">All 21 leader groups</a>' in home


def test_the_cohort_page_reads_as_many_times_for_one_group_as_for_many(
        client, world, scene, django_assert_num_queries):
    """Made afresh: session, person, roles; the cohort, its schedule and resources; the
    groups' count and page; the module's phases and activities, the rounds of its assessment
    and the counts; the report links; the organisations and the facilitators. Kept under the
    generation of the data (tenancy.generations), until the next write: the first four."""
    cohort, cohort_module = scene
    assessment = activities(cohort_module, "prework")[1]
    assessment.kind, assessment.instrument_slug = "assessment", "test-profile"
    assessment.save()
    client.force_login(world.facilitator)
    target = url(world, "cohort_detail", cohort_id=cohort.pk)
    client.get(target, {"page": 9})
    with django_assert_num_queries(COHORT_PAGE_QUERIES):
        client.get(target)
    with django_assert_num_queries(COHORT_PAGE_KEPT_QUERIES):
        client.get(target)
    for _number in range(2 * GROUPS_PER_PAGE):
        group = make_group(world.network, make_organisation(world.network))
        cohort.leader_groups.add(group)
        for person in add_leaders(world, group, 3):
            complete(cohort, person, activities(cohort_module, "gathering"))
            build_submission(cohort.rounds.get(), person=person, group=group)
    for queries in (COHORT_PAGE_QUERIES, COHORT_PAGE_KEPT_QUERIES):
        with django_assert_num_queries(queries):
            client.get(target, {"page": 2})


def test_the_cohort_page_shows_each_change_at_once(client, world, scene):
    """The page is kept under the generation of the network's data (tenancy.generations):
    what a leader marks done, a first sign-in and a new name show on the very next view, and
    an admin's page (with the admin's buttons) is never a facilitator's."""
    cohort, cohort_module = scene
    (colleague,) = add_leaders(world, world.group, 1)
    target = url(world, "cohort_detail", cohort_id=cohort.pk)
    admin, leader = Client(), Client()
    admin.force_login(with_mfa(world.admin))
    assert "Name, start and modules" in admin.get(target).content.decode()
    client.force_login(world.facilitator)

    def cells():
        page = client.get(target).content.decode()
        row = page[page.index(f">{world.group.name}</a>"):]
        return page, re.findall(r"<td>(.*?)</td>", row[:row.index("</tr>")])

    page, before = cells()
    assert "Name, start and modules" not in page
    assert before[:3] == ["2", "2", "50 % done"]  # leaders, never signed in, pre-work
    assert cells()[1] == before  # kept, and the same
    leader.force_login(colleague)  # the colleague's first sign-in
    for activity in activities(cohort_module, "prework"):
        response = leader.post(url(world, "activity_done", cohort_module_id=cohort_module.pk,
                                   activity_id=activity.pk), {"done": "1"})
        assert response.status_code == 302
    assert cells()[1][:3] == ["2", "1", '<span class="mark" aria-hidden="true">✓</span> '
                                        "100 % done"]
    Cohort.objects.for_network(world.network).filter(pk=cohort.pk).update(name="Kull 2027")
    assert "<h1>Kull 2027</h1>" in cells()[0]


def test_an_erased_facilitator_is_gone_from_the_kept_cohort_page(client, world, scene):
    """The page kept under the data's generation names the facilitators; erasing one is a
    write, so the next view is made afresh without them."""
    from django.db import transaction

    from gdpr.services import erase_person

    cohort, _cohort_module = scene
    other = make_person(name="Fasilitator Fjernes")
    grant_role(other, world.network, RoleKind.FACILITATOR)
    cohort.facilitators.add(other)
    client.force_login(world.facilitator)
    target = url(world, "cohort_detail", cohort_id=cohort.pk)
    assert "Fasilitator Fjernes" in client.get(target).content.decode()
    with transaction.atomic():
        erase_person(other)
    assert "Fasilitator Fjernes" not in client.get(target).content.decode()


def test_the_facilitator_home_keeps_each_cohort_until_the_next_write(
        client, world, scene, django_assert_num_queries):
    """Each cohort's section is kept as the cohort page is; the next gathering is read on
    every view (it turns on the time of day)."""
    cohort, cohort_module = scene
    (colleague,) = add_leaders(world, world.group, 1)
    client.force_login(world.facilitator)
    home = url(world, "facilitator_home")
    assert "50 % done" in client.get(home).content.decode()
    with django_assert_num_queries(6):  # the floor's 3, the cohorts, the next gathering's 2
        assert "50 % done" in client.get(home).content.decode()
    complete(cohort, colleague, activities(cohort_module, "prework"))
    assert "100 % done" in client.get(home).content.decode()
