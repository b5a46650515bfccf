"""Retention: each network sets how long personal data stays after a person's last cohort
ended; the daily task erases what is due, the command lists it first."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Response
from gdpr import selectors, services
from gdpr.tasks import erase_due_personal_data
from tenancy.audit import AuditEvent, EventKind
from tenancy.models import Role, RoleKind
from tenancy.services import grant_role
from tests.factories import make_cohort, make_cohort_module, make_group, make_person

pytestmark = pytest.mark.django_db


def ended_cohort(world, months_ago, group=None, name="Kull 2021"):
    """A cohort of `group` (the world's) whose one module's post-work was due that long ago."""
    due = selectors.months_before(timezone.localdate(), months_ago)
    cohort = make_cohort(world, name=name, starts_on=due - timedelta(days=200))
    cohort.leader_groups.add(group or world.group)
    make_cohort_module(cohort, prework_opens_on=due - timedelta(days=100), postwork_due_on=due)
    return cohort


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert selectors.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert selectors.months_before(date(2026, 1, 15), 24) == date(2024, 1, 15)


class TestWhoIsDue:
    def test_people_whose_every_cohort_ended_longer_ago_than_the_period(self, world):
        ended_cohort(world, 25)
        due = selectors.people_due_for_erasure(world.network, timezone.localdate())
        # the group's leader; not the coordinator (the cohort does not take in their
        # organisation), never the network admin
        assert due == [world.leader]

    def test_not_yet_within_the_period(self, world):
        ended_cohort(world, 23)
        assert selectors.people_due_for_erasure(world.network, timezone.localdate()) == []

    def test_a_newer_cohort_keeps_them(self, world):
        ended_cohort(world, 30)
        ended_cohort(world, 1, name="Kull 2026")
        assert selectors.people_due_for_erasure(world.network, timezone.localdate()) == []

    def test_the_networks_own_period_counts(self, world):
        ended_cohort(world, 13)
        world.network.retention_months = 12
        world.network.save()
        assert selectors.people_due_for_erasure(world.network, timezone.localdate()) == [
            world.leader
        ]

    def test_a_removed_leader_with_answers_left_is_due_too(self, world):
        cohort = ended_cohort(world, 25)
        other_group = make_group(world.network, world.organisation)
        gone = make_person()
        grant_role(gone, world.network, RoleKind.LEADER, leader_group=other_group)
        cohort.leader_groups.add(other_group)
        from assessments.models import Round
        from tests.factories import build_instrument

        round_ = Round.objects.create(
            network=world.network,
            cohort=cohort,
            instrument=build_instrument(),
            name="Start",
            opens_at=timezone.now() - timedelta(days=800),
            closes_at=timezone.now() - timedelta(days=790),
        )
        Response.objects.create(network=world.network, round=round_, person=gone)
        gone.roles.all().delete()
        due = selectors.people_due_for_erasure(world.network, timezone.localdate())
        assert set(due) == {world.leader, gone}


class TestErasingWhatIsDue:
    def test_the_dry_run_lists_and_erases_nothing(self, world):
        ended_cohort(world, 25)
        output = io.StringIO()
        call_command("erase_due_personal_data", "--dry-run", stdout=output)
        assert f"#{world.leader.pk}" in output.getvalue()
        assert "Would erase 1 person(s) in 1 network(s)." in output.getvalue()
        world.leader.refresh_from_db()
        assert world.leader.erased_at is None
        assert Role.objects.for_network(world.network).filter(person=world.leader).exists()

    def test_the_daily_task_erases_and_records_it(self, world):
        ended_cohort(world, 25)
        assert erase_due_personal_data.delay().get() == 1
        world.leader.refresh_from_db()
        assert world.leader.erased_at is not None
        event = AuditEvent.objects.for_network(world.network).get(kind=EventKind.PERSON_ERASED)
        assert (event.actor_id, event.details["reason"]) == (None, "retention")
        assert event.actor_label == "Bro (scheduled)"  # the clock did it, no person
        assert services.erase_due_personal_data() == []  # nothing left to do


@pytest.mark.usefixtures("english_speakers")
class TestTheNetworkSettingsPage:
    def test_the_admin_sets_the_period_and_it_is_recorded(self, client, world):
        client.force_login(world.admin)
        url = reverse("network_settings", args=[world.network.slug])
        assert client.get(url).context["form"]["retention_months"].value() == 24
        assert client.post(url, {"retention_months": 36}).status_code == 302
        world.network.refresh_from_db()
        assert world.network.retention_months == 36
        event = AuditEvent.objects.for_network(world.network).get(kind=EventKind.RETENTION_CHANGED)
        assert event.details == {"previous": 24, "months": 36}

    def test_a_bad_value_is_explained_and_changes_nothing(self, client, world):
        client.force_login(world.admin)
        url = reverse("network_settings", args=[world.network.slug])
        page = client.post(url, {"retention_months": 0})
        assert page.status_code == 200 and page.context["form"].errors
        world.network.refresh_from_db()
        assert world.network.retention_months == 24

    def test_the_manage_page_says_the_period_and_links_the_pages(self, client, world):
        client.force_login(world.admin)
        page = client.get(reverse("manage_dashboard", args=[world.network.slug]))
        text = page.content.decode()
        assert "kept for 24 months" in text
        assert reverse("network_settings", args=[world.network.slug]) in text
        assert reverse("erase_person", args=[world.network.slug]) in text
