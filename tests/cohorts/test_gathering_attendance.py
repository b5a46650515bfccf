"""Registration and attendance: leaders say whether they come; facilitators and network
admins see everyone and mark at the door who came; coordinators see their organisation's
leaders only; the list exports as CSV or Excel and the export is in the audit trail."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import GatheringRegistration
from tenancy.audit import AuditEvent, EventKind
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    make_group,
    make_organisation,
    make_person,
    world_cohort,
    world_gathering,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


@pytest.fixture
def gathering(world):
    gathering = world_gathering(world)
    gathering.starts_at = timezone.now() + timedelta(days=5)
    gathering.ends_at = gathering.starts_at + timedelta(hours=6)
    gathering.save()
    return gathering


def test_a_leader_says_they_are_coming_from_whats_next_and_can_change_it(
        client, world, gathering):
    client.force_login(world.leader)
    home = url(world, "leader_home")
    page = client.get(home).content.decode()
    assert "Are you coming?" in page and "I am coming" in page
    register = url(world, "gathering_register", gathering_id=gathering.pk)
    response = client.post(register, {"coming": "yes", "next": home})
    assert response.url == home
    assert "You have said you are coming." in client.get(home).content.decode()
    client.post(register, {"coming": "no"})
    registration = GatheringRegistration.objects.for_network(world.network).get()
    assert registration.coming is False
    module_page = url(world, "module_detail", cohort_module_id=gathering.cohort_module_id)
    assert "You have said you are not coming." in client.get(module_page).content.decode()


def test_a_leader_outside_the_cohort_cannot_register(client, world, gathering):
    outsider = make_person()
    grant_role(outsider, world.network, RoleKind.LEADER,
               leader_group=make_group(world.network, world.organisation, name="Outside"))
    client.force_login(outsider)
    assert client.post(url(world, "gathering_register", gathering_id=gathering.pk),
                       {"coming": "yes"}).status_code == 404


def test_the_facilitator_marks_attendance_at_the_door_without_javascript(
        client, world, gathering, django_assert_max_num_queries):
    world_cohort(world).facilitators.add(world.facilitator)
    for _ in range(5):
        grant_role(make_person(), world.network, RoleKind.LEADER, leader_group=world.group)
    client.force_login(world.facilitator)
    page_url = url(world, "gathering_attendance", gathering_id=gathering.pk)
    client.get(page_url)
    with django_assert_max_num_queries(9):  # the same with 6 leaders or 300
        page = client.get(page_url).content.decode()
    assert "0 coming, 0 not coming, 6 without an answer; 0 came." in page
    assert page.count('aria-pressed="false"') == 6
    response = client.post(page_url, {"person": world.leader.pk, "attended": "1"})
    assert response.url == f"{page_url}#leader-{world.leader.pk}"
    page = client.get(page_url).content.decode()
    assert "1 came." in page and page.count('aria-pressed="true"') == 1
    client.post(page_url, {"person": world.leader.pk, "attended": "0"})
    assert not GatheringRegistration.objects.for_network(world.network).get().attended
    # Someone who is not a leader of the cohort cannot be marked.
    assert client.post(page_url, {"person": world.admin.pk, "attended": "1"}).status_code == 404


def test_a_coordinator_sees_their_organisations_leaders_and_marks_nothing(
        client, world, gathering):
    other_organisation = make_organisation(world.network)
    other_group = make_group(world.network, other_organisation, name="Elsewhere")
    world_cohort(world).leader_groups.add(other_group)
    stranger = make_person(name="Stranger Leader")
    grant_role(stranger, world.network, RoleKind.LEADER, leader_group=other_group)
    client.force_login(world.coordinator)
    page_url = url(world, "gathering_attendance", gathering_id=gathering.pk)
    page = client.get(page_url).content.decode()
    assert world.leader.name in page and "Stranger Leader" not in page
    assert "<form" not in page.split("<table")[1]
    assert client.post(page_url, {"person": world.leader.pk, "attended": "1"}).status_code == 404
    client.force_login(world.facilitator)  # facilitates no cohort: nothing here
    assert client.get(page_url).status_code == 404


def test_the_export_is_the_same_list_and_is_recorded(client, world, gathering):
    client.force_login(world.admin)
    GatheringRegistration.objects.create(network=world.network, gathering=gathering,
                                         person=world.leader, coming=True, attended=True)
    response = client.get(url(world, "gathering_attendance_csv", gathering_id=gathering.pk))
    text = response.content.decode("utf-8-sig")
    assert world.leader.email in text and "Coming;Yes" in text
    xlsx = client.get(url(world, "gathering_attendance_xlsx", gathering_id=gathering.pk))
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    events = AuditEvent.objects.for_network(world.network).filter(
        kind=EventKind.ATTENDANCE_EXPORTED)
    assert sorted(event.details["format"] for event in events) == ["csv", "xlsx"]
    assert all(event.details["rows"] == 1 for event in events)
