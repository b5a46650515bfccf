"""Redis down: pages still answer and say the work is queued; the dispatcher sends it later."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app
from reminders import services
from reminders.models import DeliveryStatus, ReminderDelivery
from tenancy.models import Invitation
from tenancy.services import find_invitation
from tests.reminders.world import local, make_cohort_world, set_clock


@pytest.mark.django_db
def test_inviting_a_leader_answers_and_shows_the_invitation_queued(
        client, world, redis_down, django_capture_on_commit_callbacks):
    url = reverse("organisation_detail", kwargs={"network_slug": world.network.slug,
                                                 "organisation_id": world.organisation.pk})
    world.coordinator.language = "en"
    world.coordinator.save()
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {
            "invite": "1", "invite-name": "Kari Nordmann", "invite-email": "kari@test.example",
            "invite-title": "", "invite-leader_group": world.group.pk, "invite-language": "nb"})
    assert response.status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    assert "Queued" in page.content.decode()
    invitation = Invitation.objects.for_network(world.network).get(email="kari@test.example")
    assert invitation.sent_at is None and not mail.outbox


@pytest.mark.django_db
def test_the_dispatcher_resends_an_unsent_invitation_with_a_new_link(
        world, monkeypatch, django_capture_on_commit_callbacks):
    from tenancy.services import create_invitation

    invitation, first_token = create_invitation(  # its email never left: no commit hook ran
        world.network, email="kari@test.example", kind="leader", invited_by=world.coordinator,
        language="nb", leader_group=world.group, organisation=world.organisation)
    made = invitation.created_at
    for minutes, expected in ((2, 0), (6, 1), (8, 1)):
        set_clock(monkeypatch, made + timedelta(minutes=minutes))
        with django_capture_on_commit_callbacks(execute=True):
            services.dispatch()
        assert len(mail.outbox) == expected
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    new_token = mail.outbox[0].body.split("/invitations/")[1].split("/")[0]
    assert find_invitation(first_token) is None
    assert find_invitation(new_token).pk == invitation.pk


@pytest.mark.django_db
def test_a_nudge_while_redis_is_down_is_queued_and_sent_later(
        client, world, monkeypatch, redis_down, django_capture_on_commit_callbacks):
    now = local(2026, 5, 11, 10)
    set_clock(monkeypatch, now)
    cw = make_cohort_world(world)
    url = reverse("organisation_reminders", kwargs={"network_slug": world.network.slug,
                                                    "organisation_id": world.organisation.pk})
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"what": f"module-{cw.cohort_module.pk}"}, follow=True)
    assert response.status_code == 200
    assert "2 queued" in response.content.decode()
    assert not mail.outbox

    app.conf.task_always_eager, app.conf.broker_url = True, "memory://"  # Redis is back
    set_clock(monkeypatch, now + timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch()
    nudged = sorted(m.to[0] for m in mail.outbox if "from your coordinator" in m.subject)
    assert nudged == sorted(p.email for p in cw.leaders)
    assert set(ReminderDelivery.objects.for_network(world.network)
               .values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert timezone.is_aware(now)


@pytest.mark.django_db
def test_enrolling_a_list_while_redis_is_down_answers_and_keeps_the_invitations(
        client, world, redis_down, django_capture_on_commit_callbacks):
    from tests.cohorts.test_enrolment_import import LIST, check_and_enrol

    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = check_and_enrol(client, world, LIST)
    assert response.status_code == 302
    invitations = Invitation.objects.for_network(world.network).filter(
        email__in=["kari@kommune.example", "jens@kommune.example"])
    assert invitations.count() == 2
    assert not any(invitation.sent_at for invitation in invitations) and not mail.outbox
