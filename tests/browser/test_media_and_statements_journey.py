"""A leader on a phone opens a YouTube film in the library: nothing comes from YouTube until
they press play. From the footer they read the network's privacy notice and reach its
accessibility statement."""

import re

import pytest
from playwright.sync_api import expect

from resources.models import Resource
from tenancy.models import RoleKind
from tests.browser.people import PHONE
from tests.factories import (
    grant_role,
    make_group,
    make_network,
    make_organisation,
    make_person,
    with_mfa,
)

pytestmark = pytest.mark.browser

EMAIL = "leif.aas@arendal.example"
STATEMENT = "https://uustatus.no/nb/erklaringer/publisert/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"


def test_a_film_loads_from_youtube_only_on_play_and_the_footer_leads_to_the_statements(
        people, live_server):
    network = make_network("digi-agder", name="Digi Agder", accessibility_statement_url=STATEMENT)
    group = make_group(network, make_organisation(network))
    grant_role(make_person("Leif Aas", EMAIL, language="en"), network, RoleKind.LEADER,
               leader_group=group)
    film = Resource.objects.create(
        network=None, slug="film-digital-leadership", kind="video", language="nb",
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", title={"en": "Digital leadership"},
        transcript={"en": "Welcome to the first module."})

    leif = people.open("Leif", viewport=PHONE)
    page = leif.page
    outside = []
    page.on("request", lambda request: request.url.startswith(live_server.url)
            or outside.append(request.url))
    leif.sign_in(EMAIL)
    leif.check()  # the leader's home, where sign-in lands
    leif.goto(f"/n/{network.slug}/library/{film.pk}/")
    leif.check()
    expect(page.locator("iframe")).to_have_count(0)
    assert outside == []
    notice = page.get_by_text("This video comes from YouTube (youtube-nocookie.com).")
    expect(notice).to_be_visible()
    page.get_by_text("Transcript").click()
    expect(page.get_by_text("Welcome to the first module.")).to_be_visible()

    # The player is asked for only now (waited for: the request may start after the click).
    with page.expect_request(lambda request: "youtube-nocookie.com/embed/" in request.url):
        leif.button("Play the video from %(service)s", service="YouTube").click()
    player = page.locator(".video-embed iframe")
    expect(player).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1")
    expect(player).to_have_attribute("title", "Digital leadership")
    expect(player).to_be_focused()

    leif.link("Privacy notice").click()
    expect(page).to_have_url(re.compile(rf"/n/{network.slug}/privacy/$"))
    leif.check()
    expect(leif.heading("Privacy notice for Digi Agder")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Your rights")).to_be_visible()

    with page.expect_request(STATEMENT):
        leif.link("Accessibility statement").click()


def test_a_network_admin_fills_in_the_privacy_notice_and_the_accessibility_statement(people):
    network = make_network("digi-agder", name="Digi Agder")
    admin = with_mfa(make_person("Randi Kvale", "randi.kvale@digi-agder.example", language="en"))
    grant_role(admin, network, RoleKind.NETWORK_ADMIN)

    randi = people.open("Randi")
    page = randi.page
    randi.sign_in_as_admin(admin.email)
    randi.check()
    randi.link("Edit privacy and accessibility").click()
    expect(randi.heading("Privacy and accessibility")).to_be_visible()
    randi.check()

    randi.field("Hosting provider").fill("Safespring AB, Norway")
    randi.field("Accessibility statement").fill("https://example.org/accessibility")
    randi.button("Save").click()
    expect(page.get_by_text("publishes its accessibility statement on uustatus.no")) \
        .to_be_visible()
    randi.check()
    expect(randi.field("Hosting provider")).to_have_value("Safespring AB, Norway")
    randi.field("Accessibility statement").fill(STATEMENT)
    randi.button("Save").click()
    expect(randi.status()).to_contain_text("The privacy and accessibility settings are saved.")
    randi.check()

    randi.link("Read the privacy notice as others see it").click()
    expect(page.get_by_text("Hosting: Safespring AB, Norway")).to_be_visible()
    randi.check()
