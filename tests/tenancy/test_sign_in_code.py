"""Signing in: an emailed one-time code first, a password only for those who set one."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from tenancy.models import Person
from tests.factories import code_from_email, make_person, sign_in_with_code

pytestmark = pytest.mark.django_db

CODE_PAGE = "/accounts/login/code/"


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_sign_in_page_is_the_code_page():
    assert resolve_url(settings.LOGIN_URL) == CODE_PAGE


def test_a_network_page_sends_a_stranger_to_the_code_page(client, world):
    response = client.get(reverse("manage_dashboard", args=[world.network.slug]))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(CODE_PAGE + "?next=")


def test_the_welcome_page_links_to_the_code_page(client, db):
    assert f'href="{CODE_PAGE}"' in client.get("/").content.decode()


@pytest.mark.parametrize("page", [CODE_PAGE, "/accounts/login/"])
def test_both_sign_in_pages_offer_a_code_first_and_a_password_second(client, db, page):
    html = text_of(client.get(page))
    assert html.index("Send me a code") < html.index("Use a password")


def test_the_whole_code_flow_lands_a_leader_on_their_page(client, world):
    response = client.post(CODE_PAGE, {"email": world.leader.email})
    assert response.headers["Location"] == reverse("account_confirm_login_code")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.leader.email]
    assert message.subject.startswith("Bro: ")
    assert [mimetype for _content, mimetype in message.alternatives] == ["text/html"]
    code = code_from_email(message)
    assert code in message.alternatives[0][0]

    page = client.get(response.headers["Location"])
    assert world.leader.email in page.content.decode()
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, follow=True)
    assert response.resolver_match.url_name == "leader_home"
    assert response.context["user"] == world.leader


def test_a_wrong_code_does_not_sign_in(client, world):
    client.post(CODE_PAGE, {"email": world.leader.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_is_only_sent_to_known_people_and_the_page_does_not_tell(world):
    known_browser, stranger_browser = Client(), Client()
    known = known_browser.post(CODE_PAGE, {"email": world.leader.email})
    unknown = stranger_browser.post(CODE_PAGE, {"email": "nobody@elsewhere.example"})
    assert known.headers["Location"] == unknown.headers["Location"]
    assert not Person.objects.filter(email="nobody@elsewhere.example").exists()
    assert [message.to for message in mail.outbox] == [[world.leader.email]]  # none to strangers
    pages = [re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", text_of(
                 browser.get(response.headers["Location"])).split("<main")[1]).replace(
                 email, "ADDRESS")
             for browser, response, email in (
                 (known_browser, known, world.leader.email),
                 (stranger_browser, unknown, "nobody@elsewhere.example"))]
    assert pages[0] == pages[1]
    assert "Bro sends codes only to people it has invited" in pages[1]


def test_the_email_address_is_matched_whatever_its_case(client, world):
    response = sign_in_with_code(client, world.leader.email.upper())
    assert response.context["user"] == world.leader


def test_signing_in_with_a_code_verifies_the_email_address(client, world):
    from allauth.account.models import EmailAddress

    sign_in_with_code(client, world.coordinator.email)
    assert EmailAddress.objects.get(user=world.coordinator).verified


def test_password_sign_in_works_for_a_person_who_set_one(client, world):
    sign_in_with_code(client, world.leader.email)
    assert client.get(reverse("profile")).content.decode().count(
        reverse("account_change_password")) == 1
    response = client.post(reverse("account_set_password"),
                           {"password1": "bro-bridges-2026", "password2": "bro-bridges-2026"})
    assert response.status_code == 302
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/login/", {
        "login": world.leader.email, "password": "bro-bridges-2026"}, follow=True)
    assert response.resolver_match.url_name == "leader_home"


def test_a_person_without_a_password_cannot_sign_in_with_an_empty_one(client, world):
    response = client.post("/accounts/login/", {"login": world.leader.email, "password": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signing_out_asks_to_confirm_and_then_signs_out(client, world):
    client.force_login(world.leader)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert 'action="/accounts/logout/"' in page.content.decode()
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_the_header_signs_out_with_a_form(client, world):
    client.force_login(world.leader)
    html = client.get(reverse("profile")).content.decode()
    assert re.search(r'<form method="post" action="/accounts/logout/"[ >]', html)


class TestSignupIsClosed:
    def test_the_signup_page_says_bro_is_by_invitation_only(self, client, db):
        response = client.get(reverse("account_signup"))
        assert "By invitation only" in response.content.decode()

    def test_posting_the_signup_form_creates_nobody(self, client, db):
        client.post(reverse("account_signup"), {
            "email": "new@test.example", "password1": "bro-bridges-2026",
            "password2": "bro-bridges-2026"})
        assert not Person.objects.filter(email="new@test.example").exists()
        assert "_auth_user_id" not in client.session

    def test_the_sign_in_pages_do_not_offer_to_sign_up(self, client, db):
        for page in (CODE_PAGE, "/accounts/login/"):
            assert reverse("account_signup") not in client.get(page).content.decode()


class TestRateLimits:
    """allauth's limits count in the real Redis cache (config/settings/test.py)."""

    def test_a_fourth_code_request_for_one_email_within_a_minute_is_refused(self, world):
        for _attempt in range(3):
            Client().post(CODE_PAGE, {"email": world.leader.email})
        assert len(mail.outbox) == 3
        response = Client().post(CODE_PAGE, {"email": world.leader.email.upper()})
        assert response.status_code == 200
        assert "Too many" in response.content.decode()
        assert len(mail.outbox) == 3

    def test_repeated_failed_passwords_lock_the_account_for_a_while(self, client, world):
        world.leader.set_password("bro-bridges-2026")
        world.leader.save()
        for _attempt in range(5):
            response = client.post("/accounts/login/", {
                "login": world.leader.email, "password": "wrong-password"})
            assert response.status_code == 200
        response = client.post("/accounts/login/", {
            "login": world.leader.email, "password": "bro-bridges-2026"})
        assert "_auth_user_id" not in client.session
        assert "Too many" in response.content.decode()

    def test_the_limits_count_in_redis(self, client, world):
        from django.core.cache import caches

        backend = caches["default"]
        assert type(backend).__name__ == "RunScopedRedisCache"
        client.post(CODE_PAGE, {"email": world.leader.email})
        keys = list(backend._cache.get_client().scan_iter(match=f"{backend.key_prefix}:*"))
        assert any(b"request_login_code" in key for key in keys), keys

    def test_too_many_sign_in_attempts_from_one_address_get_a_bro_page(
            self, client, db, settings):
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "30/m/ip"}
        person = make_person()
        response = None
        for _attempt in range(31):
            response = client.post("/accounts/login/", {"login": person.email, "password": "x"})
            if response.status_code == 429:
                break
        assert response.status_code == 429
        assert "Too many attempts" in response.content.decode()
        assert 'class="site-header"' in response.content.decode()


def test_the_deploy_check_wants_redis_for_the_rate_limits(settings):
    from tenancy.checks import shared_cache_for_rate_limits

    assert shared_cache_for_rate_limits(None) == []
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in shared_cache_for_rate_limits(None)] == ["tenancy.W001"]
