"""The base layout on Bro's main pages: landmarks, skip link, titles, one h1, labelled inputs,
everything served by Bro itself, and nothing the strict Content-Security-Policy would block."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tenancy.services import create_invitation
from tests.factories import (
    make_cohort,
    make_network_sign_in,
    make_person,
    with_mfa,
    world_cohort_module,
)

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.labels_for, self.text_of_title = [], set(), ""
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.text_of_title += data

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


def signed_in(role):
    def setup(client, world):
        client.force_login(world.person(role))
    return setup


def anonymous(client, world):
    return None


def in_code_stage(client, world):
    client.post(reverse("account_request_login_code"), {"email": world.leader.email})


def new_admin(client, world):
    from allauth.account.models import EmailAddress

    from tenancy.services import grant_role

    person = make_person()
    grant_role(person, world.network, "network_admin")
    EmailAddress.objects.filter(user=person).update(verified=True)  # as after a code sign-in
    client.force_login(person)


def admin_at_the_app_step(client, world):
    from tests.factories import sign_in_with_code

    sign_in_with_code(client, world.admin.email)


def leader_with_password(client, world):
    world.leader.set_password("bro-bridges-2026")
    world.leader.save()
    client.force_login(world.leader)


def staff_with_app(client, world):
    client.force_login(with_mfa(make_person(is_staff=True)))


def slug(world):
    return world.network.slug


PAGES = {
    "welcome": (anonymous, lambda w: "/"),
    "sign in with a code": (anonymous, lambda w: reverse("account_request_login_code")),
    "sign in with a password": (anonymous, lambda w: reverse("account_login")),
    "enter the code": (in_code_stage, lambda w: reverse("account_confirm_login_code")),
    "signup closed": (anonymous, lambda w: reverse("account_signup")),
    "password reset": (anonymous, lambda w: reverse("account_reset_password")),
    "sign out": (signed_in("leader"), lambda w: reverse("account_logout")),
    "set a password": (signed_in("leader"), lambda w: reverse("account_set_password")),
    "change the password": (leader_with_password,
                            lambda w: reverse("account_change_password")),
    "enter the app code": (admin_at_the_app_step, lambda w: reverse("mfa_authenticate")),
    "profile": (signed_in("leader"), lambda w: reverse("profile")),
    "networks": (signed_in("leader"), lambda w: reverse("network_choice")),
    "connected sign-ins": (signed_in("leader"), lambda w: reverse("socialaccount_connections")),
    "network sign-in": (anonymous, lambda w: reverse("account_request_login_code")
                        + f"?network={slug(w)}"),
    "two-factor": (signed_in("admin"), lambda w: reverse("mfa_index")),
    "set up the app": (new_admin, lambda w: reverse("mfa_activate_totp")),
    "manage": (signed_in("admin"), lambda w: reverse("manage_dashboard", args=[slug(w)])),
    "people and roles": (signed_in("admin"), lambda w: reverse("network_people",
                                                               args=[slug(w)])),
    "sign-in providers": (signed_in("admin"), lambda w: reverse("sign_in_settings",
                                                                args=[slug(w)])),
    "organisation": (signed_in("coordinator"), lambda w: reverse(
        "organisation_detail", args=[slug(w), w.organisation.pk])),
    "leader group": (signed_in("coordinator"), lambda w: reverse(
        "leader_group_detail", args=[slug(w), w.group.pk])),
    "facilitate": (signed_in("facilitator"), lambda w: reverse("facilitator_home",
                                                               args=[slug(w)])),
    "leader": (signed_in("leader"), lambda w: reverse("leader_home", args=[slug(w)])),
    "your development": (signed_in("leader"), lambda w: reverse("my_development",
                                                                args=[slug(w)])),
    "tailor a module": (signed_in("admin"), lambda w: reverse(
        "cohort_module_tailor", args=[slug(w), world_cohort_module(w).pk])),
    "write a cohort's own activity": (signed_in("admin"), lambda w: reverse(
        "own_activity_write", args=[slug(w), world_cohort_module(w).pk])),
    "instruments (staff)": (staff_with_app, lambda w: reverse("staff_instruments")),
    "programmes (staff)": (staff_with_app, lambda w: reverse("staff_programmes")),
    "platform admin": (staff_with_app, lambda w: "/admin/"),
}


@pytest.fixture
def furnished_world(world):
    """The world with a cohort, so the facilitator's and leader's pages have content, and
    ID-porten, so the network's sign-in page and Profile have its buttons."""
    make_network_sign_in(world.network)
    cohort = make_cohort(world)
    cohort.leader_groups.add(world.group)
    cohort.facilitators.add(world.facilitator)
    return world


def fetch(client, world, name):
    setup, url = PAGES[name]
    setup(client, world)
    response = client.get(url(world))
    assert response.status_code == 200, (name, response.status_code)
    return response


BRO_PAGES = [name for name in PAGES if name != "platform admin"]


@pytest.mark.parametrize("name", BRO_PAGES)
def test_landmarks_skip_link_language_and_title(client, furnished_world, name):
    response = fetch(client, furnished_world, name)
    html = response.content.decode()
    page = Page(html)
    assert re.search(r'<html lang="(nb|da|en)">', html)
    for landmark in ("header", "main", "footer"):
        assert len(page.all(landmark)) == 1, landmark
    assert page.all("main")[0]["id"] == "main"
    assert page.all("a")[0] == {"class": "skip-link", "href": "#main"}
    if response.context["user"].is_authenticated:
        assert any(nav.get("aria-label") for nav in page.all("nav"))
    title = " ".join(page.text_of_title.split())
    assert title.endswith("· Bro") and len(title) > len("· Bro"), title
    assert len(page.all("h1")) == 1, name


@pytest.mark.parametrize("name", BRO_PAGES)
def test_every_field_has_a_label(client, furnished_world, name):
    page = Page(fetch(client, furnished_world, name).content.decode())
    fields = [attrs for tag in ("input", "select", "textarea") for attrs in page.all(tag)
              if attrs.get("type") not in ("hidden", "submit", "button")]
    for attrs in fields:
        assert attrs.get("id") in page.labels_for or attrs.get("aria-label"), attrs


@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_inline_and_nothing_from_elsewhere(client, furnished_world, name):
    response = fetch(client, furnished_world, name)
    html = response.content.decode()
    page = Page(html)
    for script in page.all("script"):
        assert script.get("src", "").startswith("/static/"), script
    for name_, attrs in page.tags:
        assert "style" not in attrs, (name_, attrs)
        assert not [a for a in attrs if a.startswith("on")], (name_, attrs)
        assert not [a for a in attrs if a.startswith("hx-on")], (name_, attrs)
    assert not page.all("style")
    for link in page.all("link"):
        assert link["href"].startswith("/static/"), link
    for image in page.all("img"):
        assert image["src"].startswith(("/", "data:image/")), image
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace(
        'href="http://127.0.0.1', "")), name


def test_the_content_security_policy_is_strict(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy


def test_htmx_and_the_stylesheet_are_served_by_bro(client, db):
    html = client.get("/").content.decode()
    for path in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content)
    assert "/static/vendor/htmx.min.js" in html


def test_the_csrf_token_reaches_htmx_without_inline_script(client, world):
    client.force_login(world.leader)
    html = client.get(reverse("profile")).content.decode()
    assert re.search(r"""<body hx-headers='\{"X-CSRFToken": "[^"]+"\}'[ >]""", html)


def test_the_current_page_is_marked_in_the_nav(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("manage_dashboard", args=[world.network.slug])).content.decode()
    url = reverse("manage_dashboard", args=[world.network.slug])
    assert f'<a href="{url}" aria-current="page">' in html


def test_form_errors_are_tied_to_their_fields(client, world):
    client.post(reverse("account_request_login_code"), {"email": "not an email"})
    response = client.post(reverse("account_request_login_code"), {"email": "not an email"})
    html = response.content.decode()
    assert re.search(r'<ul class="errorlist" id="id_email_error">', html)
    field = re.search(r'<input [^>]*name="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_email_error"' in field


def test_the_invitation_pages_have_the_layout_too(client, world,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = create_invitation(
            world.network, email="new@test.example", kind="leader", leader_group=world.group,
            invited_by=world.coordinator, language="nb")
    url = reverse("accept_invitation", args=[token])
    for response in (client.get(url), client.post(url, follow=True), client.post(url)):
        page = Page(response.content.decode())
        assert len(page.all("main")) == 1 and len(page.all("h1")) == 1


# Contrast (WCAG 2.1 AA: 4.5:1 for text) of the colour pairs the stylesheet uses for text.
def luminance(hex_colour):
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def stylesheet():
    from django.contrib.staticfiles import finders

    with open(finders.find("css/bro.css"), encoding="utf-8") as css:
        return css.read()


@pytest.mark.parametrize(("text", "background"), [
    ("ink", "paper"), ("muted", "paper"), ("muted", "wash"), ("brand", "paper"),
    ("brand", "wash"), ("brand-dark", "paper"), ("error", "paper"), ("ok", "paper"),
    ("warn", "paper"), ("#ffffff", "brand"), ("#ffffff", "brand-dark"), ("#ffffff", "error"),
    ("ink", "wash"),
])
def test_text_colours_meet_aa_contrast(text, background):
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", stylesheet()))
    ratio = contrast(colours.get(text, text), colours.get(background, background))
    assert ratio >= 4.5, (text, background, round(ratio, 2))


def test_focus_is_always_visible():
    css = stylesheet()
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px solid", css)
    assert "outline: none" not in css.replace("main:focus { outline: none; }", "")


def test_a_checkbox_comes_before_its_label(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert re.search(r'<div class="field field--check">\s*<input type="checkbox" name="remember"'
                     r'[^>]*id="id_remember">\s*<label for="id_remember">', html)
