"""A facilitator's or network admin's message to a cohort or one group: emailed once to each
leader in their language through the reminders' once-only deliveries, shown on What's next
until dismissed or for N days, and recorded in the audit trail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reminders import services
from reminders.models import ReminderDelivery
from tenancy.audit import AuditEvent, EventKind
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import make_group, make_person, world_cohort

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def page(world, cohort):
    return reverse("cohort_message", kwargs={"network_slug": world.network.slug,
                                             "cohort_id": cohort.pk})


def test_a_message_to_the_cohort_is_emailed_once_and_shown_on_whats_next(
        client, world, django_capture_on_commit_callbacks):
    cohort = world_cohort(world)
    cohort.facilitators.add(world.facilitator)
    danish = make_person(language="da")
    grant_role(danish, world.network, RoleKind.LEADER, leader_group=world.group)
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(world, cohort), {
            "leader_group": "", "subject": "Bring your laptop", "body": "We start at nine.",
            "days": "3"}, follow=True)
    assert "The message is sent to 2 leaders." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.leader.email, danish.email])
    english = next(m for m in mail.outbox if m.to == [world.leader.email])
    assert "Bring your laptop" in english.subject and "We start at nine." in english.body
    assert english.extra_headers["Content-Language"] == "en"
    assert next(m for m in mail.outbox if m.to == [danish.email]).extra_headers[
        "Content-Language"] == "da"
    event = AuditEvent.objects.for_network(world.network).get(kind=EventKind.MESSAGE_SENT)
    assert event.details["recipients"] == 2

    # Once only: the send task run again for every delivery sends nothing more.
    for delivery in ReminderDelivery.objects.for_network(world.network):
        services.send_delivery(delivery.pk)
    assert len(mail.outbox) == 2

    client.force_login(world.leader)
    home = reverse("leader_home", kwargs={"network_slug": world.network.slug})
    assert "Bring your laptop" in client.get(home).content.decode()
    message = cohort.messages.get()
    client.post(reverse("message_dismiss", kwargs={"network_slug": world.network.slug,
                                                   "message_id": message.pk}))
    assert "Bring your laptop" not in client.get(home).content.decode()
    client.force_login(danish)
    assert "Bring your laptop" in client.get(home).content.decode()  # still there for others


def test_a_message_to_one_group_reaches_only_its_leaders_and_expires(
        client, world, django_capture_on_commit_callbacks):
    cohort = world_cohort(world)
    other = make_group(world.network, world.organisation, name="Helse")
    cohort.leader_groups.add(other)
    elsewhere = make_person(language="en")
    grant_role(elsewhere, world.network, RoleKind.LEADER, leader_group=other)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(world, cohort), {"leader_group": str(other.pk), "subject": "Helse only",
                                          "body": "Hi.", "days": "1"})
    assert [m.to for m in mail.outbox] == [[elsewhere.email]]
    home = reverse("leader_home", kwargs={"network_slug": world.network.slug})
    client.force_login(world.leader)
    assert "Helse only" not in client.get(home).content.decode()
    client.force_login(elsewhere)
    assert "Helse only" in client.get(home).content.decode()
    message = cohort.messages.get()
    message.sent_at = timezone.now() - timedelta(days=2)
    message.shown_until = timezone.now() - timedelta(days=1)
    message.save()
    assert "Helse only" not in client.get(home).content.decode()


def test_only_those_who_run_the_cohort_write_and_a_group_of_another_cohort_is_refused(
        client, world):
    cohort = world_cohort(world)
    client.force_login(world.facilitator)  # facilitates no cohort
    assert client.get(page(world, cohort)).status_code == 404
    outside = make_group(world.network, world.organisation, name="Outside")
    client.force_login(world.admin)
    response = client.post(page(world, cohort), {"leader_group": str(outside.pk),
                                                 "subject": "x", "body": "y", "days": "2"})
    assert response.status_code == 400 and not cohort.messages.exists()
