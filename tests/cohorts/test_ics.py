"""Every gathering offers a calendar file (RFC 5545) to the people of its cohort, and to nobody
else."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cohorts.ics import Event, calendar, escape_text, fold
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    make_cohort,
    make_cohort_module,
    make_group,
    make_organisation,
    make_person,
    world_cohort,
)


def ics_url(world, gathering):
    return reverse("gathering_ics", kwargs={"network_slug": world.network.slug,
                                            "gathering_id": gathering.pk})


def unfold(text):
    return text.replace("\r\n ", "")


def test_text_is_escaped_as_rfc_5545_says():
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "æøå" * 60
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert unfold(folded) == line
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_a_calendar_has_the_required_properties_and_crlf_line_ends():
    text = calendar([Event(
        uid="gathering-1@bro.example", stamp=datetime(2026, 1, 1, 12, tzinfo=UTC),
        starts_at=datetime(2026, 3, 2, 8, tzinfo=UTC),
        ends_at=datetime(2026, 3, 2, 14, 30, tzinfo=UTC), summary="Samling, modul 1")])
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in ("UID:gathering-1@bro.example", "DTSTAMP:20260101T120000Z",
                 "DTSTART:20260302T080000Z", "DTEND:20260302T143000Z",
                 "SUMMARY:Samling\\, modul 1"):
        assert line + "\r\n" in text
    assert "LOCATION" not in text and "DESCRIPTION" not in text


@pytest.fixture
def gathering(world):
    cohort_module = make_cohort_module(
        world_cohort(world), gathering_on=date(2026, 3, 2),
        place="Clarion Hotel Ernst, Kristiansand",
        agenda="09.00 Velkommen; kaffe\n10.00 Fem generasjoner, digital modenhet",
        speakers="Ingrid Solberg")
    return cohort_module.gathering


@pytest.mark.django_db
def test_the_gathering_file_carries_its_times_place_and_agenda(client, world, gathering):
    client.force_login(world.leader)
    response = client.get(ics_url(world, gathering))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = unfold(response.content.decode())
    assert "DTSTART:20260302T080000Z\r\n" in text  # 09:00 in Norway in winter
    assert "DTEND:20260302T143000Z\r\n" in text
    assert "LOCATION:Clarion Hotel Ernst\\, Kristiansand\r\n" in text
    with translation.override("nb"):  # the leader reads the network's language
        speakers = gettext("Speakers:")
    assert ("DESCRIPTION:09.00 Velkommen\\; kaffe\\n10.00 Fem generasjoner\\, digital "
            f"modenhet\\n\\n{speakers}\\nIngrid Solberg") in text
    assert "Kull 2026" in text and "Modul organisation" in text
    assert f"UID:gathering-{gathering.pk}@" in text
    assert "URL:http" in text


@pytest.mark.django_db
def test_an_online_gathering_gives_its_link_as_location_and_url(client, world):
    cohort_module = make_cohort_module(world_cohort(world), gathering_on=date(2026, 7, 1),
                                          place="", online_url="https://meet.example/agder")
    client.force_login(world.admin)
    text = unfold(client.get(ics_url(world, cohort_module.gathering)).content.decode())
    assert "LOCATION:https://meet.example/agder\r\n" in text
    assert "URL:https://meet.example/agder\r\n" in text
    assert "DTSTART:20260701T070000Z\r\n" in text  # summer time: UTC+2


@pytest.mark.django_db
def test_the_uid_stays_when_the_date_changes(client, world, gathering):
    client.force_login(world.admin)
    before = unfold(client.get(ics_url(world, gathering)).content.decode())
    gathering.starts_at = gathering.starts_at.replace(day=9)
    gathering.ends_at = gathering.ends_at.replace(day=9)
    gathering.save()
    after = unfold(client.get(ics_url(world, gathering)).content.decode())
    uid = next(line for line in before.split("\r\n") if line.startswith("UID:"))
    assert uid in after
    assert "DTSTART:20260309T080000Z" in after


@pytest.mark.django_db
def test_the_people_of_the_cohort_get_the_file(client, world, gathering):
    gathering.cohort_module.cohort.facilitators.add(world.facilitator)
    for person in (world.leader, world.coordinator, world.facilitator, world.admin):
        client.force_login(person)
        assert client.get(ics_url(world, gathering)).status_code == 200, person


@pytest.mark.django_db
def test_people_outside_the_cohort_do_not(client, world, gathering):
    outsider_org = make_organisation(world.network)
    outsider_group = make_group(world.network, outsider_org)
    leader, coordinator, facilitator = make_person(), make_person(), make_person()
    grant_role(leader, world.network, RoleKind.LEADER, leader_group=outsider_group)
    grant_role(coordinator, world.network, RoleKind.COORDINATOR, organisation=outsider_org)
    grant_role(facilitator, world.network, RoleKind.FACILITATOR)
    other_cohort = make_cohort(world, name="Another cohort")
    other_cohort.facilitators.add(facilitator)
    for person in (leader, coordinator, facilitator, world.facilitator):
        client.force_login(person)
        assert client.get(ics_url(world, gathering)).status_code == 404, person


@pytest.mark.django_db
def test_another_networks_gathering_is_not_found(client, world, other_world):
    theirs = make_cohort_module(world_cohort(other_world)).gathering
    client.force_login(world.admin)
    assert client.get(ics_url(world, theirs)).status_code == 404
    client.force_login(other_world.admin)
    url = reverse("gathering_ics", kwargs={"network_slug": other_world.network.slug,
                                           "gathering_id": theirs.pk})
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_group_page_links_the_calendar_file_for_its_leaders(client, world, gathering):
    client.force_login(world.leader)
    page = client.get(reverse("leader_group_detail", kwargs={
        "network_slug": world.network.slug, "group_id": world.group.pk})).content.decode()
    assert ics_url(world, gathering) in page
    assert "09.00 Velkommen; kaffe" in page
