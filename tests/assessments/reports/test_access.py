"""Who may have a report made and download it: the cohort's facilitators, the network's admins
and the group's own leaders; everyone else, and every other network, gets 404."""

import io

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Report, ReportKind, ReportStatus
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import make_person, make_report_results, network_roles_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def results(world):
    return make_report_results(world)


def url(name, world, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def ask_for_group_report(client, world, group, cohort, capture):
    with capture(execute=True):
        response = client.post(url("group_reports", world, group_id=group.pk),
                               {"cohort": cohort.pk})
    return response


@pytest.mark.parametrize("role", ["leader", "facilitator", "admin"])
def test_the_groups_leaders_the_cohorts_facilitator_and_admins_get_the_group_report(
        client, world, results, role, django_capture_on_commit_callbacks):
    client.force_login(world.person(role))
    page = client.get(url("group_reports", world, group_id=world.group.pk))
    assert page.status_code == 200
    assert results.round.cohort.name in page.content.decode()

    response = ask_for_group_report(client, world, world.group, results.round.cohort,
                                    django_capture_on_commit_callbacks)
    report = Report.objects.for_network(world.network).get()
    assert response.status_code == 302
    assert response["Location"] == url("report_detail", world, report_id=report.pk)
    assert (report.kind, report.leader_group, report.requested_by) == (
        ReportKind.GROUP, world.group, world.person(role))
    assert report.status == ReportStatus.READY  # tasks run in-process in tests

    download = client.get(url("report_download", world, report_id=report.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert download["Content-Disposition"].endswith(".pdf\"")
    assert world.group.name.lower().replace(" ", "-") in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF")
    assert world.group.name in PdfReader(io.BytesIO(body)).pages[0].extract_text()
    # The file itself has no public address (no /media/ route outside DEBUG).
    assert client.get("/media/" + report.file.name).status_code == 404


def outsiders(world, other_world, results):
    """People who must not reach the world's group report, by what they are."""
    lonely_facilitator = make_person()
    grant_role(lonely_facilitator, world.network, RoleKind.FACILITATOR)
    return {"coordinator of the group's organisation": world.coordinator,
            "leader of another group": results.small_leader,
            "facilitator of another cohort": lonely_facilitator,
            "admin of another network": other_world.admin,
            "leader of another network": other_world.leader}


def test_everyone_else_gets_404_for_the_group_report(client, world, other_world, results):
    report = Report.objects.create(
        network=world.network, cohort=results.round.cohort, leader_group=world.group,
        kind=ReportKind.GROUP, language="nb", status=ReportStatus.FAILED)
    pages = [url("group_reports", world, group_id=world.group.pk),
             url("report_detail", world, report_id=report.pk),
             url("report_download", world, report_id=report.pk),
             url("report_retry", world, report_id=report.pk)]
    for who, person in outsiders(world, other_world, results).items():
        client.force_login(person)
        for page in pages:
            assert client.get(page).status_code == 404, (who, page)
            assert client.post(page, {"cohort": results.round.cohort.pk}).status_code == 404, (
                who, page)
    assert Report.objects.for_network(world.network).count() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED  # nobody retried it


def test_a_report_of_another_network_is_not_found_even_for_its_own_role(
        client, world, other_world):
    other = make_report_results(other_world)
    report = Report.objects.create(
        network=other_world.network, cohort=other.round.cohort, leader_group=other_world.group,
        kind=ReportKind.GROUP, language="da")
    client.force_login(world.admin)
    assert client.get(url("report_detail", world, report_id=report.pk)).status_code == 404
    assert client.get(url("group_reports", world,
                          group_id=other_world.group.pk)).status_code == 404


def test_a_leader_may_not_have_a_report_made_for_a_cohort_outside_their_group(
        client, world, results):
    from tests.factories import make_cohort

    elsewhere = make_cohort(world, name="Kull 2027")
    client.force_login(world.leader)
    response = client.post(url("group_reports", world, group_id=world.group.pk),
                           {"cohort": elsewhere.pk})
    assert response.status_code == 404
    assert not Report.objects.for_network(world.network).exists()


def test_the_network_report_is_for_the_cohorts_facilitators_and_admins_only(
        client, world, other_world, results, django_capture_on_commit_callbacks):
    cohort = results.round.cohort
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cohort_reports", world, cohort_id=cohort.pk))
    report = Report.objects.for_network(world.network).get()
    assert (report.kind, report.leader_group, report.language) == (
        ReportKind.NETWORK, None, world.network.default_language)
    assert response["Location"] == url("report_detail", world, report_id=report.pk)
    client.force_login(world.admin)
    assert client.get(url("report_download", world, report_id=report.pk)).status_code == 200
    assert client.get(url("cohort_reports", world, cohort_id=cohort.pk)).status_code == 200

    people = {**outsiders(world, other_world, results), "the group's leader": world.leader}
    for who, person in people.items():
        client.force_login(person)
        for page in (url("cohort_reports", world, cohort_id=cohort.pk),
                     url("report_detail", world, report_id=report.pk),
                     url("report_download", world, report_id=report.pk)):
            assert client.get(page).status_code == 404, (who, page)


def render_links(person, network, **objects):
    request = RequestFactory().get("/")
    request.user, request.network = person, network
    request.roles = network_roles_of(person, network)
    template = Template("{% load report_links %}{% report_links group=group cohort=cohort %}")
    return template.render(Context({"request": request, "group": objects.get("group"),
                                    "cohort": objects.get("cohort")}))


def test_the_links_partial_offers_only_the_reports_the_person_may_have(world, results):
    cohort = results.round.cohort
    group_page = url("group_reports", world, group_id=world.group.pk)
    cohort_page = url("cohort_reports", world, cohort_id=cohort.pk)

    leader = render_links(world.leader, world.network, cohort=cohort)
    assert group_page in leader and cohort_page not in leader
    facilitator = render_links(world.facilitator, world.network, cohort=cohort)
    assert cohort_page in facilitator and group_page not in facilitator
    assert group_page in render_links(world.facilitator, world.network, group=world.group)
    assert render_links(world.coordinator, world.network, cohort=cohort,
                        group=world.group).strip() == ""
