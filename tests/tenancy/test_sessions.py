"""Sessions end after idle time and at an absolute age, sooner for network admins and platform
staff; a request after the end loses nothing (tenancy/sessions.py, README "Sessions")."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse

from modules.models import GroupTaskAnswer, Reflection
from tenancy.models import RoleKind
from tenancy.services import create_invitation
from tenancy.sessions import LAST_SEEN_AT, SIGNED_IN_AT, UNSENT
from tests.factories import code_from_email, journey_activity, make_journey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]

HOUR = 3600


def home_url(world):
    return reverse("network_home", kwargs={"network_slug": world.network.slug})


def signed_in(client, person, *, signed_in_ago=0, seen_ago=0):
    """`person` signed in `signed_in_ago` seconds ago and last seen `seen_ago` seconds ago."""
    client.force_login(person)
    session = client.session
    now = time.time()
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN_AT] = now - seen_ago
    session.save()
    return client


def is_signed_in(client, world):
    response = client.get(home_url(world))
    return not response["Location"].startswith(reverse("account_request_login_code"))


@pytest.mark.parametrize(
    ("role", "idle_minutes"),
    [("admin", 30), ("leader", 8 * 60), ("coordinator", 8 * 60), ("facilitator", 8 * 60)],
)
def test_a_session_ends_after_the_idle_timeout_of_the_persons_role(
    client, world, role, idle_minutes
):
    person = world.person(role)
    assert is_signed_in(signed_in(client, person, seen_ago=idle_minutes * 60 - 60), world)
    assert not is_signed_in(signed_in(client, person, seen_ago=idle_minutes * 60 + 60), world)


def test_an_admins_idle_timeout_is_shorter_than_a_leaders(client, world):
    assert is_signed_in(signed_in(client, world.leader, seen_ago=HOUR), world)
    assert not is_signed_in(signed_in(client, world.admin, seen_ago=HOUR), world)


def test_platform_staff_have_the_short_timeouts(client, world):
    world.facilitator.is_staff = True
    world.facilitator.save(update_fields=["is_staff"])
    assert not is_signed_in(signed_in(client, world.facilitator, seen_ago=HOUR), world)


@pytest.mark.parametrize(("role", "hours"), [("admin", 12), ("leader", 14 * 24)])
def test_a_session_in_use_ends_at_its_absolute_age(client, world, role, hours):
    person = world.person(role)
    assert is_signed_in(signed_in(client, person, signed_in_ago=hours * HOUR - 60), world)
    assert not is_signed_in(signed_in(client, person, signed_in_ago=hours * HOUR + 60), world)


def test_the_timeouts_come_from_the_settings(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 5
    settings.SESSION_MAX_HOURS = 1
    assert not is_signed_in(signed_in(client, world.leader, seen_ago=6 * 60), world)
    assert not is_signed_in(signed_in(client, world.leader, signed_in_ago=HOUR + 60), world)
    assert is_signed_in(signed_in(client, world.leader, seen_ago=4 * 60), world)


def test_the_last_seen_stamp_is_renewed_only_every_few_minutes(client, world, settings):
    """No session write on every request: the stamp moves only when it is old enough."""
    settings.SESSION_TOUCH_SECONDS = 300
    signed_in(client, world.leader, seen_ago=60)
    stamp = client.session[LAST_SEEN_AT]
    row = Session.objects.get(session_key=client.session.session_key)
    client.get(home_url(world))
    assert client.session[LAST_SEEN_AT] == stamp
    assert Session.objects.get(pk=row.pk).session_data == row.session_data

    signed_in(client, world.leader, seen_ago=301)
    client.get(home_url(world))
    assert client.session[LAST_SEEN_AT] == pytest.approx(time.time(), abs=5)


def test_a_new_sign_in_starts_both_clocks(client, world):
    client.force_login(world.leader)
    assert client.session[SIGNED_IN_AT] == pytest.approx(time.time(), abs=5)
    assert client.session[LAST_SEEN_AT] == client.session[SIGNED_IN_AT]


# --- A request after the session ended -----------------------------------------------------


@pytest.fixture
def journey(world):
    return make_journey(world)


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def reflection_urls(world, journey):
    kwargs = {
        "cohort_module_id": journey.pk,
        "reflection_activity_id": journey_activity(world, "reflection").pk,
    }
    return url(world, "reflection", **kwargs), url(world, "reflection_save", **kwargs)


def task_url(world, journey):
    return url(
        world,
        "group_task",
        group_id=world.group.pk,
        cohort_module_id=journey.pk,
        task_activity_id=journey_activity(world, "group_task").pk,
    )


def end_session(client):
    Session.objects.all().delete()


def test_an_htmx_save_after_the_end_gets_401_instead_of_the_sign_in_page(client, world, journey):
    page, save = reflection_urls(world, journey)
    client.force_login(world.leader)
    end_session(client)
    response = client.post(save, {"text": "Lost?"}, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Trigger"] == "sessionEnded"
    assert response.content == b""
    assert not Reflection.objects.for_network(world.network).exists()


def test_an_idle_session_also_answers_an_htmx_save_with_401(client, world, journey):
    page, save = reflection_urls(world, journey)
    signed_in(client, world.leader, seen_ago=9 * HOUR)
    response = client.post(save, {"text": "Lost?"}, headers={"HX-Request": "true"})
    assert response.status_code == 401


def test_the_page_has_what_the_browser_needs_to_keep_the_text(client, world, journey):
    page, save = reflection_urls(world, journey)
    client.force_login(world.leader)
    html = client.get(page).content.decode()
    assert f'data-person="{world.leader.pk}"' in html
    # the server's clock, so the drafts' "saved at" reads right on a computer whose clock is off
    server_now = int(re.search(r'data-now="(\d+)"', html).group(1))
    assert abs(server_now - time.time()) < 5
    assert 'data-draft="text"' in html and 'data-draft-saved-at=""' in html
    assert '<template id="session-ended">' in html
    assert f'href="/accounts/login/code/?next={page}"' in html


def sign_in_again(client, person, next_url):
    """The sign-in the redirect leads to: a code by email, then on to `next`."""
    confirm = client.post(
        reverse("account_request_login_code"), {"email": person.email, "next": next_url}
    )["Location"]
    return client.post(
        confirm, {"code": code_from_email(mail.outbox[-1]), "next": next_url}, follow=True
    )


def test_a_form_posted_after_the_end_is_offered_again_after_signing_in(client, world, journey):
    page = task_url(world, journey)
    client.force_login(world.leader)
    end_session(client)
    text = "Our shared answer, written slowly."
    response = client.post(
        page, {"text": text, "base_version": 0}, headers={"Referer": f"http://testserver{page}"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/code/?next={page}"
    assert not GroupTaskAnswer.objects.for_network(world.network).exists()

    back = sign_in_again(client, world.leader, page)
    assert back.redirect_chain[-1][0] == page
    html = back.content.decode()
    assert "What you sent was not saved" in html
    assert text in html
    assert 'name="text" value="Our shared answer, written slowly."' in html

    client.post(page, {"text": text, "base_version": 0})
    assert GroupTaskAnswer.objects.for_network(world.network).get().text == text
    assert UNSENT not in client.session
    assert "What you sent was not saved" not in client.get(page).content.decode()


def test_a_kept_form_can_be_let_go(client, world, journey):
    page = task_url(world, journey)
    end_session(client)
    client.post(page, {"text": "Never mind", "base_version": 0})
    client.force_login(world.leader)
    assert "What you sent was not saved" in client.get(page).content.decode()
    response = client.post(
        page, {"text": "Never mind", "base_version": 0, "bro_discard_unsent": "1"}
    )
    assert response["Location"] == page
    assert not GroupTaskAnswer.objects.for_network(world.network).exists()
    assert "What you sent was not saved" not in client.get(page).content.decode()


def test_a_kept_form_shows_only_on_its_own_page(client, world, journey):
    page = task_url(world, journey)
    end_session(client)
    client.post(page, {"text": "Kept for the task page", "base_version": 0})
    client.force_login(world.leader)
    assert "What you sent" not in client.get(reflection_urls(world, journey)[0]).content.decode()
    assert "What you sent" in client.get(page).content.decode()


def test_a_post_to_an_address_without_a_page_returns_to_the_page_it_came_from(
    client, world, journey
):
    page, save = reflection_urls(world, journey)
    end_session(client)
    response = client.post(
        save, {"text": "Saved with the button"}, headers={"Referer": f"http://testserver{page}"}
    )
    assert response["Location"].endswith(f"?next={page}")
    response = client.post(
        save, {"text": "From elsewhere"}, headers={"Referer": "https://evil.example/n/x/"}
    )
    assert response["Location"].endswith(f"?next={save}")


def test_accepting_an_invitation_is_not_taken_for_a_form_sent_too_late(client, world):
    """Accepting ends on the sign-in page on purpose: nothing is kept, no way back is added."""
    _invitation, token = create_invitation(
        world.network,
        email="ola@test.example",
        name="Ola Nordmann",
        kind=RoleKind.LEADER,
        leader_group=world.group,
        organisation=world.organisation,
        invited_by=world.coordinator,
        language="en",
    )
    response = client.post(reverse("accept_invitation", args=[token]))
    assert "next=" not in response["Location"]
    assert UNSENT not in client.session
