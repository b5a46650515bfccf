"""Every page a role needs is reachable from the pages it already has, not only by URL."""

import pytest
from django.urls import reverse

from tests.factories import build_round

pytestmark = pytest.mark.django_db


def page(client, person, name, **kwargs):
    client.force_login(person)
    return client.get(reverse(name, kwargs=kwargs)).content.decode()


def test_a_leader_finds_the_library_and_the_assessments_in_the_header(client, world):
    html = page(client, world.leader, "leader_home", network_slug=world.network.slug)
    assert reverse("library", kwargs={"network_slug": world.network.slug}) in html
    assert reverse("my_assessments", kwargs={"network_slug": world.network.slug}) in html


def test_a_coordinator_finds_the_results_and_the_reminders_of_their_organisation(
        client, world):
    round_ = build_round(world)
    round_.cohort.organisations.add(world.organisation)
    html = page(client, world.coordinator, "organisation_detail",
                network_slug=world.network.slug, organisation_id=world.organisation.pk)
    assert reverse("round_results", kwargs={"network_slug": world.network.slug,
                                            "round_id": round_.pk}) in html
    assert reverse("organisation_reminders", kwargs={
        "network_slug": world.network.slug, "organisation_id": world.organisation.pk}) in html


def test_a_cohort_leads_to_its_rounds_reminders_and_reports(client, world):
    round_ = build_round(world)
    slug, cohort_id = world.network.slug, round_.cohort_id
    html = page(client, world.admin, "cohort_detail", network_slug=slug, cohort_id=cohort_id)
    for name in ("cohort_rounds", "cohort_reminders", "cohort_reports"):
        assert reverse(name, kwargs={"network_slug": slug, "cohort_id": cohort_id}) in html
    rounds = page(client, world.facilitator, "cohort_rounds", network_slug=slug,
                  cohort_id=cohort_id)
    for name in ("round_results", "round_gathering"):
        assert reverse(name, kwargs={"network_slug": slug, "round_id": round_.pk}) in rounds


def test_profile_leads_to_the_reminder_settings(client, world):
    client.force_login(world.leader)
    assert reverse("reminder_settings") in client.get(reverse("profile")).content.decode()
