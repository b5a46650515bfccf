"""Sign-in at a gathering: ~300 leaders behind one venue address (and Bro behind a proxy) sign
in by code within two minutes, while guessing codes and asking for codes for strangers' addresses
stay stopped."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import code_from_email, make_person

pytestmark = pytest.mark.django_db

CODE_PAGE = "/accounts/login/code/"
PROXY = "10.0.0.2"
VENUE = "203.0.113.7"


class Clock:
    """allauth's rate limits read time.time(); this clock moves only when told."""

    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def time(self):
        return self.now

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    from allauth.core.internal import ratelimit

    fake = Clock()
    monkeypatch.setattr(ratelimit, "time", fake)
    return fake


@pytest.fixture
def behind_a_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def at_the_venue(forwarded_for=VENUE):
    """A phone on the venue's Wi-Fi, reaching Bro through its reverse proxy."""
    return Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": forwarded_for})


def signed_in_by_code(client, email):
    """Ask for a code, enter it from the email; whether the browser is now signed in."""
    sent_before = len(mail.outbox)
    client.post(CODE_PAGE, {"email": email})
    if len(mail.outbox) == sent_before:
        return False
    client.post(reverse("account_confirm_login_code"), {"code": code_from_email(mail.outbox[-1])})
    return "_auth_user_id" in client.session


def test_300_leaders_sign_in_by_code_from_one_address_within_two_minutes(
    behind_a_proxy, clock, world
):
    leaders = [make_person() for _ in range(300)]
    for leader in leaders:
        clock.now += 120 / len(leaders)
        assert signed_in_by_code(at_the_venue(), leader.email), leader.email
    assert signed_in_by_code(at_the_venue(), world.leader.email)  # and room to spare


def test_one_address_may_ask_for_600_codes_in_ten_minutes_and_no_more():
    """The venue's 300 need one code each, some two; the limit stays finite (the mechanism
    is shown with a small limit in test_behind_a_proxy_the_client_address_counts...)."""
    from allauth.core.internal.ratelimit import get_rates

    per_ip = [rate for rate in get_rates(app="allauth.account", action="request_login_code")
              if rate.per == "ip"]
    assert [(rate.amount, rate.duration) for rate in per_ip] == [(600, 600)]


def test_one_address_guessing_codes_is_stopped_and_the_venue_still_signs_in(
    behind_a_proxy, clock, world
):
    guesser = at_the_venue()
    for _code in range(3):
        guesser.post(CODE_PAGE, {"email": world.leader.email})
        right_code = code_from_email(mail.outbox[-1])
        for _guess in range(3):  # three wrong tries end a code
            guesser.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"})
        guesser.post(reverse("account_confirm_login_code"), {"code": right_code})
        assert "_auth_user_id" not in guesser.session
    refused = guesser.post(CODE_PAGE, {"email": world.leader.email})
    assert "Too many" in refused.content.decode()  # a fourth code within the minute
    assert len(mail.outbox) == 3

    assert signed_in_by_code(at_the_venue(), world.coordinator.email)
    clock.now += 61
    assert signed_in_by_code(at_the_venue(), world.leader.email)


def test_codes_asked_for_unknown_addresses_send_no_email(behind_a_proxy, clock, world):
    known = at_the_venue().post(CODE_PAGE, {"email": world.leader.email})
    assert len(mail.outbox) == 1
    for n in range(20):
        unknown = at_the_venue().post(CODE_PAGE, {"email": f"victim{n}@elsewhere.example"})
        assert unknown.status_code == 302
        assert unknown.headers["Location"] == known.headers["Location"]
    assert len(mail.outbox) == 1


def test_behind_a_proxy_the_client_address_counts_and_cannot_be_forged(
    settings, behind_a_proxy, clock
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "request_login_code": "2/m/ip,3/m/key"}

    emails = (f"x{n}@elsewhere.example" for n in range(10))

    def ask(client):
        return client.post(CODE_PAGE, {"email": next(emails)}).status_code

    # The client cannot choose its address by writing its own X-Forwarded-For first.
    assert ask(at_the_venue(f"198.51.100.1, {VENUE}")) == 302
    assert ask(at_the_venue(f"198.51.100.2, {VENUE}")) == 302
    assert ask(at_the_venue(f"198.51.100.3, {VENUE}")) == 200  # refused: a third from VENUE
    assert ask(at_the_venue("192.0.2.50")) == 302  # another client behind the same proxy
    # A request that bypassed the proxy counts by its own address, and answers.
    assert ask(Client(REMOTE_ADDR="192.0.2.77")) == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings, clock):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "request_login_code": "2/m/ip,3/m/key"}
    statuses = [at_the_venue(f"198.51.100.{n}").post(
        CODE_PAGE, {"email": f"x{n}@elsewhere.example"}).status_code for n in range(3)]
    assert statuses == [302, 302, 200]  # all three from the proxy's address
