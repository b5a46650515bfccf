"""How long a sign-in lasts, and what happens to a request that arrives after it ended.

A session ends after a spell of idleness or at an absolute age, whichever comes first; both
are shorter for network admins and platform staff (settings SESSION_IDLE_MINUTES*,
SESSION_MAX_HOURS*; README, "Sessions"). The last-seen stamp is written at most once every
SESSION_TOUCH_SECONDS, so a busy person costs no session write per request.

A request that needs a signed-in person after the end loses nothing: an htmx save gets 401
(the page keeps the text and asks the person to sign in again, static/js/drafts.js), and a
form posted without JavaScript is kept in the session that the new sign-in carries on, then
offered again on the page the form was on (`unsent_form`).
"""

import time
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from tenancy.services import person_must_use_mfa

SIGNED_IN_AT = "bro_signed_in_at"
LAST_SEEN_AT = "bro_last_seen_at"
STRICT = "bro_strict_lifetime"
UNSENT = "bro_unsent_form"
# The button that lets go of a kept form instead of sending it again.
DISCARD = "bro_discard_unsent"
# A form kept for after the sign-in is dropped if it is bigger than this (characters).
UNSENT_LIMIT = 200_000


def lifetimes(strict):
    """(idle, absolute) in seconds: network admins and platform staff get the short ones."""
    if strict:
        return (settings.SESSION_IDLE_MINUTES_ADMINS * 60, settings.SESSION_MAX_HOURS_ADMINS * 3600)
    return settings.SESSION_IDLE_MINUTES * 60, settings.SESSION_MAX_HOURS * 3600


def start_session(session, person, now=None):
    """Stamp a new sign-in; the stored expiry lets clearsessions remove idle sessions too."""
    now = now or time.time()
    strict = person_must_use_mfa(person)
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
    session[STRICT] = strict
    session.set_expiry(lifetimes(strict)[0] + settings.SESSION_TOUCH_SECONDS)


class SessionLifetimeMiddleware:
    """Signs out a session that was idle too long or is too old; otherwise renews the
    last-seen stamp when it is more than SESSION_TOUCH_SECONDS old."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request, time.time())
        return self.get_response(request)

    @staticmethod
    def _check(request, now):
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is None:  # a session from before these rules: its clock starts now
            start_session(session, request.user, now)
            return
        idle, absolute = lifetimes(session.get(STRICT, True))
        last_seen = session.get(LAST_SEEN_AT, signed_in_at)
        if now - last_seen > idle or now - signed_in_at > absolute:
            logout(request)
            return
        if now - last_seen >= settings.SESSION_TOUCH_SECONDS:
            session[LAST_SEEN_AT] = now
            # A role given or taken meanwhile changes the lifetime from here on.
            strict = person_must_use_mfa(request.user)
            session[STRICT] = strict
            session.set_expiry(lifetimes(strict)[0] + settings.SESSION_TOUCH_SECONDS)


class SignInAgainMiddleware:
    """Where a page would send a signed-out person to the sign-in page: an htmx request gets
    401 (its page shows why and keeps the text), a posted form is kept for after the sign-in,
    which then leads back to the page the form was on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.user.is_authenticated:
            unsent = request.session.get(UNSENT)
            if unsent and unsent["action"] == request.path:
                del request.session[UNSENT]  # sent again, or let go of
                if DISCARD in request.POST:
                    return redirect(unsent["page"])
        response = self.get_response(request)
        if request.user.is_authenticated or not _sends_to_sign_in(response):
            return response
        if request.htmx:
            return HttpResponse(status=401, headers={"HX-Trigger": "sessionEnded"})
        if request.method == "POST":
            page = _page_of_form(request)
            _keep_unsent_form(request, page)
            return redirect_to_login(page)
        return response


def _sends_to_sign_in(response):
    """A redirect to the sign-in page that comes back (`next`): a page that needs a signed-in
    person, not a step that ends in signing in (accepting an invitation)."""
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path == resolve_url(settings.LOGIN_URL) and "next" in parse_qs(location.query)


def _page_of_form(request):
    """The page the posted form was on (its Referer, when from this site), so that after the
    sign-in the person lands on it and not on an address that only takes posts."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _keep_unsent_form(request, page):
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if name != "csrfmiddlewaretoken"
    ]
    if sum(len(name) + len(value) for name, value in fields) > UNSENT_LIMIT:
        return
    request.session[UNSENT] = {
        "action": request.path,
        "page": urlsplit(page).path,
        "fields": fields,
    }


def unsent_form(request):
    """Context processor: the form this person posted when their session had ended, on the
    page it came from (shown in base.html with a button that sends it again)."""
    if not request.user.is_authenticated:
        return {}
    unsent = request.session.get(UNSENT)
    if not unsent or unsent["page"] != request.path:
        return {}
    return {
        "unsent_form": {
            "action": unsent["action"],
            "fields": unsent["fields"],
            "discard": DISCARD,
            "texts": [value for name, value in unsent["fields"] if " " in value.strip()],
        }
    }
