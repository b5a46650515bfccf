"""A coordinator reminds their leaders once a day per thing; a network admin sees per cohort
what was sent, to how many, and what failed."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from reminders import services
from reminders.models import DeliveryStatus, Nudge, ReminderDelivery
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import make_group, make_person, make_round
from tests.reminders.world import complete_prework, local, make_cohort_world, set_clock

MONDAY = local(2026, 5, 11, 10)


def page(world):
    return reverse("organisation_reminders", kwargs={
        "network_slug": world.network.slug, "organisation_id": world.organisation.pk})


@pytest.fixture
def cw(world, monkeypatch):
    set_clock(monkeypatch, MONDAY)
    return make_cohort_world(world)


@pytest.mark.django_db
def test_the_coordinator_reminds_only_leaders_who_have_not_finished(client, cw,
                                                                    django_capture_on_commit_callbacks):
    done, behind = cw.leaders
    complete_prework(cw, done)
    client.force_login(cw.world.coordinator)
    listing = client.get(page(cw.world)).content.decode()
    assert "1 of 2" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(cw.world), {"what": f"module-{cw.cohort_module.pk}"},
                               follow=True)
    assert "is queued" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[behind.email]]
    assert cw.world.coordinator.name in mail.outbox[0].body
    assert "Reminded today" in response.content.decode()


@pytest.mark.django_db
def test_a_second_nudge_the_same_day_is_refused_with_a_clear_message(
        client, cw, monkeypatch, django_capture_on_commit_callbacks):
    client.force_login(cw.world.coordinator)
    what = {"what": f"module-{cw.cohort_module.pk}"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(cw.world), what)
        again = client.post(page(cw.world), what, follow=True)
    assert "already reminded of this today" in again.content.decode()
    assert len(mail.outbox) == 2
    assert Nudge.objects.for_network(cw.network).count() == 1

    set_clock(monkeypatch, MONDAY + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(cw.world), what)
    assert len(mail.outbox) == 4  # a new day, a new nudge


@pytest.mark.django_db
def test_the_once_a_day_limit_holds_per_organisation_and_thing(cw):
    round_ = make_round(cw.cohort, opens_at=MONDAY - timedelta(days=1),
                        closes_at=MONDAY + timedelta(days=5))
    coordinator = cw.world.coordinator
    services.nudge(cw.network, cw.world.organisation, sent_by=coordinator,
                   cohort_module=cw.cohort_module)
    services.nudge(cw.network, cw.world.organisation, sent_by=coordinator, round=round_)
    with pytest.raises(services.AlreadyNudgedToday):
        services.nudge(cw.network, cw.world.organisation, sent_by=coordinator, round=round_)


@pytest.mark.django_db
def test_a_round_nudge_skips_leaders_who_submitted(client, cw, django_capture_on_commit_callbacks):
    from assessments.models import Response

    answered, silent = cw.leaders
    round_ = make_round(cw.cohort, opens_at=MONDAY - timedelta(days=1),
                        closes_at=MONDAY + timedelta(days=5))
    Response.objects.create(network=cw.network, round=round_, person=answered,
                            submitted_at=MONDAY)
    client.force_login(cw.world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(cw.world), {"what": f"round-{round_.pk}"})
    assert [m.to for m in mail.outbox] == [[silent.email]]


@pytest.mark.django_db
def test_leaders_of_another_organisation_are_not_nudged(client, cw,
                                                        django_capture_on_commit_callbacks):
    from tests.factories import make_organisation

    elsewhere = make_group(cw.network, make_organisation(cw.network))
    cw.cohort.leader_groups.add(elsewhere)
    outsider = make_person()
    grant_role(outsider, cw.network, RoleKind.LEADER, leader_group=elsewhere)
    client.force_login(cw.world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(cw.world), {"what": f"module-{cw.cohort_module.pk}"})
    assert outsider.email not in [address for m in mail.outbox for address in m.to]


@pytest.mark.django_db
def test_nothing_open_means_nothing_to_nudge(client, world, monkeypatch):
    set_clock(monkeypatch, local(2026, 4, 1))
    make_cohort_world(world)
    client.force_login(world.coordinator)
    assert "Nothing is open right now" in client.get(page(world)).content.decode()
    response = client.post(page(world), {"what": "module-1"}, follow=True)
    assert "can no longer be reminded" in response.content.decode()


def overview(world, cohort):
    return reverse("cohort_reminders", kwargs={"network_slug": world.network.slug,
                                               "cohort_id": cohort.pk})


@pytest.mark.django_db
def test_the_admin_sees_what_was_sent_and_what_failed(client, cw, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    set_clock(monkeypatch, local(2026, 5, 4, 9))
    failing = cw.leaders[0]

    def send_messages(self, messages):
        if messages[0].to == [failing.email]:
            raise smtplib.SMTPRecipientsRefused({failing.email: (550, b"no such mailbox")})
        mail.outbox.extend(messages)
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    monkeypatch.setattr("django.conf.settings.REMINDER_MAX_ATTEMPTS", 1, raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch()
    client.force_login(cw.world.admin)
    html = client.get(overview(cw.world, cw.cohort)).content.decode()
    assert "Pre-work opens" in html and cw.cohort_module.module.title["en"] in html
    assert failing.name in html and "no such mailbox" in html
    statuses = set(ReminderDelivery.objects.for_network(cw.network).values_list("status",
                                                                                 flat=True))
    assert statuses == {DeliveryStatus.SENT, DeliveryStatus.FAILED}


@pytest.mark.django_db
def test_the_overview_costs_the_same_queries_for_a_bigger_cohort(
        client, cw, monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks):
    client.force_login(cw.world.admin)
    make_round(cw.cohort, opens_at=local(2026, 5, 10), closes_at=local(2026, 5, 30))
    set_clock(monkeypatch, local(2026, 5, 19, 9))

    def grow_and_dispatch():
        for _ in range(3):
            grant_role(make_person(), cw.network, RoleKind.LEADER, leader_group=cw.world.group)
        with django_capture_on_commit_callbacks(execute=True):
            services.dispatch()

    grow_and_dispatch()
    client.get(overview(cw.world, cw.cohort))  # the first visit remembers the network
    count = _count_queries(client, overview(cw.world, cw.cohort))
    sent = ReminderDelivery.objects.for_network(cw.network).count()
    grow_and_dispatch()
    assert ReminderDelivery.objects.for_network(cw.network).count() > sent
    with django_assert_num_queries(count):
        client.get(overview(cw.world, cw.cohort))


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


@pytest.mark.django_db
def test_the_overview_is_for_network_admins(client, cw):
    for role in ("leader", "coordinator", "facilitator"):
        client.force_login(cw.world.person(role))
        assert client.get(overview(cw.world, cw.cohort)).status_code == 404


@pytest.mark.django_db
def test_two_rounds_of_the_same_name_are_told_apart_by_their_instrument(client, cw):
    round_ = make_round(cw.cohort, opens_at=MONDAY - timedelta(days=1),
                        closes_at=MONDAY + timedelta(days=5))
    client.force_login(cw.world.coordinator)
    listing = client.get(page(cw.world)).content.decode()
    assert f"{round_.name} – {round_.instrument.name['en']}" in listing
