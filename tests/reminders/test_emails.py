"""Every reminder email: the person's language, two parts, the network's name, a settings link
and a one-click unsubscribe that works without signing in."""

from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse

from reminders import services
from reminders.emails import unsubscribe_token
from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind, ReminderPreference
from tests.reminders.world import local, make_cohort_world, sent_to, set_clock


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks, monkeypatch):
    def run(now):
        set_clock(monkeypatch, now)
        with django_capture_on_commit_callbacks(execute=True):
            return services.dispatch()
    return run


def unsubscribe_path(message):
    return urlparse(message.extra_headers["List-Unsubscribe"].strip("<>")).path


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "month"), [("nb", "mai"), ("da", "maj"), ("en", "May")])
def test_the_email_is_in_the_person_s_language(world, dispatch, language, month):
    cw = make_cohort_world(world)
    world.leader.language = language
    world.leader.save()
    dispatch(local(2026, 5, 17, 9))  # pre-work due: the gathering's date is in the text
    message = next(m for m in mail.outbox if m.to == [world.leader.email]
                   and m.extra_headers["X-Bro-Reminder"] == ReminderKind.PREWORK_DUE)
    assert message.extra_headers["Content-Language"] == language
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'<html lang="{language}">' in html
    assert f"20. {month} 2026" in message.body or f"{month} 20, 2026" in message.body
    assert cw.cohort_module.module.title[language] in message.body


@pytest.mark.django_db
def test_without_a_choice_the_network_s_language_is_used(world, dispatch):
    make_cohort_world(world)
    world.network.default_language = "da"
    world.network.save()
    world.leader.language = ""
    world.leader.save()
    dispatch(local(2026, 5, 4, 9))
    message = next(m for m in mail.outbox if m.to == [world.leader.email])
    assert message.extra_headers["Content-Language"] == "da"


@pytest.mark.django_db
def test_the_email_names_the_network_and_links_to_the_settings(world, dispatch):
    make_cohort_world(world)
    dispatch(local(2026, 5, 4, 9))
    message = mail.outbox[0]
    html, _mimetype = message.alternatives[0]
    assert message.subject.startswith(world.network.name)
    for part in (message.body, html):
        assert f"Sent by Bro for {world.network.name}" in part
        assert "/reminders/settings/" in part
        assert unsubscribe_path(message) in part
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_one_click_unsubscribe_switches_that_kind_off_without_sign_in(world, dispatch, client):
    make_cohort_world(world)
    dispatch(local(2026, 5, 4, 9))
    message = next(m for m in mail.outbox if m.to == [world.leader.email])
    path = unsubscribe_path(message)

    assert client.get(path).status_code == 200  # a link scanner's GET changes nothing
    assert services.is_enabled(ReminderKind.PREWORK_OPENS, person=world.leader)
    response = client.post(path, {"List-Unsubscribe": "One-Click"})  # no CSRF token, no session
    assert response.status_code == 200
    assert not services.is_enabled(ReminderKind.PREWORK_OPENS, person=world.leader)
    assert services.is_enabled(ReminderKind.PREWORK_DUE, person=world.leader)


@pytest.mark.django_db
def test_a_person_who_switched_a_kind_off_is_not_sent_it_and_it_is_recorded(world, dispatch):
    make_cohort_world(world)
    services.set_enabled(ReminderKind.PREWORK_OPENS, False, person=world.leader)
    dispatch(local(2026, 5, 4, 9))
    assert world.leader.email not in sent_to()
    skipped = ReminderDelivery.objects.for_network(world.network).get(person=world.leader)
    assert skipped.status == DeliveryStatus.SKIPPED
    dispatch(local(2026, 5, 17, 9))  # another kind still comes
    assert world.leader.email in sent_to("Finish")


@pytest.mark.django_db
def test_a_forged_unsubscribe_link_is_not_found(client, world):
    token = unsubscribe_token(kind=ReminderKind.PREWORK_OPENS, person=world.leader)
    url = reverse("reminder_unsubscribe", args=[token[:-3] + "abc"])
    assert client.post(url).status_code == 404
    assert not ReminderPreference.objects.exists()


@pytest.mark.django_db
def test_the_settings_page_stores_switches_per_person(client, world):
    client.force_login(world.leader)
    url = reverse("reminder_settings")
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="gathering_tomorrow"' in page.content.decode()
    on = {kind: "on" for kind in ReminderKind.values if kind != ReminderKind.ROUND_OPENS}
    assert client.post(url, on).status_code == 302
    assert services.enabled_kinds(world.leader)[ReminderKind.ROUND_OPENS] is False
    assert services.enabled_kinds(world.leader)[ReminderKind.ROUND_CLOSES] is True
    assert services.enabled_kinds(world.coordinator)[ReminderKind.ROUND_OPENS] is True
    assert 'name="round_opens"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_settings_page_needs_sign_in(client):
    assert client.get(reverse("reminder_settings")).status_code == 302
