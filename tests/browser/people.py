"""A person at a browser: signs in with the emailed code, moves around by what the pages
show (accessible names, labels), and checks every page they land on with axe-core.

Names of buttons and links are the English msgids run through Django's gettext in the page's
own language, so the same journey works in nb, nn, da and en, translated or not yet.
"""

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.core import mail
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext
from playwright.sync_api import expect

from tests.factories import TOTP_SECRET, code_from_email, current_totp_code

AXE_URL = "/static/bro-tests/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  // Frames of video services are not Bro's pages (and the tests keep them empty).
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"], iframes: false});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                              summary: n.failureSummary}))}));
}"""
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Screenshots are written only when asked for, so test runs do not churn the committed PNGs:
# BRO_SCREENSHOTS=docs/screenshots ./bro test tests/browser
SCREENSHOTS = os.environ.get("BRO_SCREENSHOTS", "")
LINK = re.compile(r"https?://\S+")
OUTSIDE = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])[a-z]+://")


class AccessibilityViolations(AssertionError):
    pass


class WiderThanAPhone(AssertionError):
    pass


# What sticks out to the right of a 390 px screen, or holds text wider than itself (a long
# email address), to name it when a page is too wide.
WIDE_ELEMENTS = """(width) => [...document.body.querySelectorAll("*")]
  .filter(el => !el.closest(".visually-hidden, [hidden]")
                && (el.getBoundingClientRect().right > width + 0.5
                    || (el.scrollWidth > el.clientWidth + 1
                        && getComputedStyle(el).overflowX === "visible")))
  .slice(0, 8)
  .map(el => el.outerHTML.slice(0, 160) + " right=" + Math.round(el.getBoundingClientRect().right)
             + " scrollWidth=" + el.scrollWidth)"""


def page_key(url):
    """Pages are told apart by their view: part 1 and part 3 of an assessment are one page."""
    path = urlsplit(url).path
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def last_email_to(address):
    messages = emails_to(address)
    assert messages, f"no email to {address} in {[m.to for m in mail.outbox]}"
    return messages[-1]


def link_in(message, containing=""):
    """The first link in the plain-text part of an email (that contains `containing`)."""
    links = [url for url in LINK.findall(message.body) if containing in url]
    assert links, message.body
    return links[0]


class Person:
    """One person's browser (a context of its own: own cookies and viewport)."""

    def __init__(self, context, origin, name):
        self.context, self.origin, self.name = context, origin, name
        self.visited, self.checked = {}, set()
        self.page = None
        self.new_page()

    def new_page(self):
        """A fresh tab, as after closing the browser window (the session cookie stays)."""
        if self.page is not None:
            self.page.close()
        self.page = self.context.new_page()
        self.page.on("framenavigated", self._landed)
        self.in_flight = 0
        self.page.on("request", self._request_started)
        self.page.on("requestfinished", self._request_ended)
        self.page.on("requestfailed", self._request_ended)
        return self.page

    def _request_started(self, request):
        self.in_flight += 1

    def _request_ended(self, request):
        self.in_flight -= 1

    def wait_for_saves(self, quiet_ms=200, limit_ms=10_000):
        """Wait until the page has sent nothing for a moment (htmx saves in the background
        and queues a save made while another is on its way)."""
        quiet = waited = 0
        while quiet < quiet_ms:
            assert waited < limit_ms, f"{self.in_flight} requests still running on {self.page.url}"
            self.page.wait_for_timeout(25)
            waited += 25
            quiet = quiet + 25 if self.in_flight == 0 else 0

    def _landed(self, frame):
        if frame.parent_frame is None and frame.url.startswith(self.origin):
            self.visited.setdefault(page_key(frame.url), frame.url)

    # --- words on the page ------------------------------------------------------------

    @property
    def language(self):
        return self.page.locator("html").get_attribute("lang")

    def t(self, msgid, context=None, **values):
        """`msgid` (or a lazy translation, such as a choice's label) as the page shows it in
        its current language, with its %(values)s."""
        with translation.override(self.language):
            if not isinstance(msgid, str):
                text = str(msgid)
            else:
                text = pgettext(context, msgid) if context else gettext(msgid)
        return text % values if values else text

    def tn(self, singular, plural, count, **values):
        """A plural msgid; {% blocktranslate count counter=… %} names its number "counter"."""
        with translation.override(self.language):
            return ngettext(singular, plural, count) % {"count": count, "counter": count,
                                                        **values}

    def button(self, msgid, exact=True, **kwargs):
        return self.page.get_by_role("button", name=self.t(msgid, **kwargs), exact=exact)

    def link(self, msgid, exact=True, **kwargs):
        return self.page.get_by_role("link", name=self.t(msgid, **kwargs), exact=exact)

    def _for(self, role, msgid, thing):
        name = re.compile(
            rf"^{re.escape(self.t(msgid))}\s*(:\s*{re.escape(thing)}|\({re.escape(thing)}\))$")
        return self.page.get_by_role(role, name=name)

    def button_for(self, msgid, thing):
        """A button like "Mark as done" followed, for screen readers, by what it acts on."""
        return self._for("button", msgid, thing)

    def link_for(self, msgid, thing):
        """A link like "Watch" followed, for screen readers, by what it opens: "Watch: Film"
        or "Change dates and gathering (Organisation)"."""
        return self._for("link", msgid, thing)

    def field(self, msgid, **kwargs):
        """The field labelled `msgid` (Django's forms add a colon to their labels)."""
        name = re.escape(self.t(msgid, **kwargs))
        return self.page.get_by_label(re.compile(rf"^\s*{name}:?\s*$"))

    def heading(self, text, level=1):
        return self.page.get_by_role("heading", level=level, name=text)

    def status(self):
        return self.page.get_by_role("status")

    # --- moving around ----------------------------------------------------------------

    def goto(self, path_or_url):
        url = path_or_url if "://" in path_or_url else self.origin + path_or_url
        self.page.goto(url)
        return self.page

    def follow_email_link(self, message, containing=""):
        """Open a link from an email the way a person clicks it in their mail program."""
        return self.goto(link_in(message, containing))

    def sign_in(self, email, totp_secret=None):
        """Ask for a code, read it from the email, type it; then the authenticator app's code
        when the person has one (network admins)."""
        page = self.page
        if not page.url.startswith(self.origin + "/accounts/login/code/"):
            self.goto("/accounts/login/code/")
        self.check()
        sent_before = len(emails_to(email))
        email_field = self.field("Email")
        if email_field.input_value() != email:
            email_field.fill(email)
        self.button("Send me a code").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/"))
        self.check()
        assert len(emails_to(email)) == sent_before + 1
        self.field("Code").fill(code_from_email(last_email_to(email)))
        self.button("Confirm").click()
        if totp_secret:
            expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
            self.check()
            self.field("Code").fill(current_totp_code(totp_secret))
            self.button("Sign In").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/"))
        return page

    def sign_in_as_admin(self, email):
        return self.sign_in(email, totp_secret=TOTP_SECRET)

    def pick_language(self, code):
        """Change the language with the picker in the header, like a person would."""
        self.page.locator(f'.language-picker button[value="{code}"]').click()
        expect(self.page.locator("html")).to_have_attribute("lang", code)

    # --- keyboard only ----------------------------------------------------------------

    def focused(self):
        return self.page.evaluate("""() => {
          const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "",
                  value: el.value || "", checked: !!el.checked,
                  text: (el.innerText || el.value || "").trim()};
        }""")

    def tab_to(self, text, prefix=False, limit=80):
        """Press Tab until the element with this visible text (or text starting so) has the
        focus."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            focused = self.focused()["text"]
            if focused == text or (prefix and focused.startswith(text)):
                return
        raise AssertionError(f"Tab never reached {text!r} on {self.page.url}")

    # --- checks -------------------------------------------------------------------------

    def check(self):
        """axe-core on the page as it is now: no WCAG 2.1 A/AA violations; and the page fits a
        390 px phone screen without scrolling sideways."""
        page = self.page
        page.wait_for_load_state()
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=self.origin + AXE_URL)
        violations = page.evaluate(AXE_RUN, AXE_TAGS)
        self.checked.add(page_key(page.url))
        if violations:
            raise AccessibilityViolations(
                f"axe-core on {page.url} ({self.name}):\n"
                + json.dumps(violations, indent=1, ensure_ascii=False))
        self.assert_fits_a_phone()

    def assert_fits_a_phone(self):
        """document.documentElement.scrollWidth <= 390 with the page laid out for a phone
        (a desktop journey's window is narrowed for the measurement, then widened again)."""
        page = self.page
        viewport = page.viewport_size
        if viewport != PHONE:
            page.set_viewport_size(PHONE)
        try:
            width = page.evaluate("() => document.documentElement.scrollWidth")
            wide = page.evaluate(WIDE_ELEMENTS, PHONE["width"]) if width > PHONE["width"] else []
        finally:
            if viewport != PHONE:
                page.set_viewport_size(viewport)
        if width > PHONE["width"]:
            raise WiderThanAPhone(
                f"{page.url} ({self.name}) is {width - PHONE['width']} px wider than a "
                f"{PHONE['width']} px phone screen:\n" + "\n".join(wide))

    def screenshot(self, name, full_page=True):
        """docs/screenshots/<name>.png for the README (a screen's worth from the top of the
        page, or the full page)."""
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            if not full_page:
                self.page.evaluate("window.scrollTo(0, 0)")
            self.page.screenshot(path=Path(SCREENSHOTS) / f"{name}.png", full_page=full_page)


class People:
    def __init__(self, new_context, origin):
        self.new_context, self.origin = new_context, origin
        self.everyone = []

    def open(self, name, viewport=DESKTOP, locale="en-GB", **context_args):
        context = self.new_context(viewport=viewport, locale=locale, **context_args)
        context.set_default_timeout(10_000)
        # Nothing leaves the machine: embedded players of video services stay empty.
        context.route(OUTSIDE, lambda route: route.abort())
        person = Person(context, self.origin, name)
        self.everyone.append(person)
        return person

    def assert_every_page_checked(self):
        missed = {f"{person.name}: {url}" for person in self.everyone
                  for path, url in person.visited.items() if path not in person.checked}
        assert not missed, "pages not checked with axe-core:\n" + "\n".join(sorted(missed))
