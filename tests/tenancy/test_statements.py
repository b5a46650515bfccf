"""A network's privacy notice and accessibility statement: public, linked from every page and
every invitation, filled in and reworded by the network admin."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tenancy.audit import AuditEvent, EventKind
from tenancy.models import PrivacyNoticeText, RoleKind
from tenancy.privacy import template_text
from tenancy.services import create_invitation
from tests.factories import grant_role, make_network

pytestmark = pytest.mark.django_db

UUSTATUS = "https://uustatus.no/nb/erklaringer/publisert/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"


@pytest.fixture(autouse=True)
def _visitors_chose_english(client, settings):
    """The visitors picked English, so the texts asserted stay as written."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def statements_url(world):
    return reverse("network_statements", kwargs={"network_slug": world.network.slug})


def privacy_url(network):
    return reverse("privacy_notice", kwargs={"slug": network.slug})


def save_statements(client, world, **fields):
    data = {"accessibility_statement_url": "", "privacy_controller": "", "privacy_contact": "",
            "hosting_provider": "", "email_provider": "", "other_processors": "", **fields}
    return client.post(statements_url(world), {"save_statements": "1", **data})


def main_text(page):
    return page[page.index('<main'):page.index("</main>")]


class TestThePrivacyNotice:
    def test_anyone_reads_it_without_signing_in_in_the_network_language(self, client, world):
        client.cookies.clear()
        page = client.get(privacy_url(world.network))
        assert page.status_code == 200
        html = page.content.decode()
        assert '<html lang="nb">' in html
        assert world.network.name in html
        assert html.count("<h2>") == 5  # who, what, processors, how long, rights

    def test_it_names_the_processing_processors_and_retention_from_the_template(
            self, client, world):
        html = main_text(client.get(privacy_url(world.network)).content.decode())
        assert f"<h1>Privacy notice for {world.network.name}</h1>" in html
        assert "<h2>What we process and why</h2>" in html
        assert "Your answers to assessments" in html
        assert "at least 5 people" in html  # the network's anonymity threshold
        assert "<li>Hosting: [not filled in yet]</li>" in html
        assert "<li>Email: [not filled in yet]</li>" in html
        assert "<h2>How long we keep it</h2>" in html
        assert "erased 24 months after the last cohort" in html  # the network's period
        assert "https://www.datatilsynet.no" in html

    def test_the_network_admin_fills_in_controller_contact_and_processors(self, client, world):
        client.force_login(world.admin)
        response = save_statements(
            client, world, privacy_controller="Kristiansand kommune (org. 963 296 746)",
            privacy_contact="personvern@digiagder.test", hosting_provider="Safespring AB, Norway",
            email_provider="Postmark <EU>", other_processors="Sentry (errors), Germany\n\n")
        assert response.status_code == 302
        html = main_text(client.get(privacy_url(world.network)).content.decode())
        assert ("The data controller is Kristiansand kommune (org. 963 296 746). Questions "
                "about your personal data: personvern@digiagder.test.") in html
        assert "<li>Hosting: Safespring AB, Norway</li>" in html
        assert "<li>Email: Postmark &lt;EU&gt;</li>" in html  # escaped
        assert "<li>Sentry (errors), Germany</li>" in html
        [event] = AuditEvent.objects.for_network(world.network).filter(
            kind=EventKind.PRIVACY_NOTICE_CHANGED)
        assert event.actor_id == world.admin.pk
        assert sorted(event.details["fields"]) == [
            "email_provider", "hosting_provider", "other_processors", "privacy_contact",
            "privacy_controller"]

    def test_the_network_admin_rewords_one_language_and_goes_back_to_the_template(
            self, client, world):
        client.force_login(world.admin)
        page = client.get(statements_url(world)).content.decode()
        assert template_text(world.network, "en") in page.replace("&#x27;", "'")  # prefilled

        own = "# Our promise\n\nWe keep <little>.\n\n- Names\n- Answers"
        response = client.post(statements_url(world), {"save_text": "en", "notice-en-text": own})
        assert response.status_code == 302
        assert response["Location"].endswith("#notice-en")
        html = main_text(client.get(privacy_url(world.network)).content.decode())
        assert ("<h2>Our promise</h2><p>We keep &lt;little&gt;.</p>"
                "<ul><li>Names</li><li>Answers</li></ul>") in html
        assert "What we process and why" not in html
        client.cookies["django_language"] = "da"
        assert "Our promise" not in client.get(privacy_url(world.network)).content.decode()

        client.cookies["django_language"] = "en"
        assert client.post(statements_url(world), {"reset_text": "en"}).status_code == 302
        assert not PrivacyNoticeText.objects.for_network(world.network).exists()
        html = main_text(client.get(privacy_url(world.network)).content.decode())
        assert "What we process and why" in html and "Our promise" not in html
        assert AuditEvent.objects.for_network(world.network).filter(
            kind=EventKind.PRIVACY_NOTICE_CHANGED).count() == 2

    def test_saving_the_template_unchanged_keeps_following_the_template(self, client, world):
        client.force_login(world.admin)
        client.post(statements_url(world), {
            "save_text": "en",
            "notice-en-text": template_text(world.network, "en").replace("\n", "\r\n")})
        assert not PrivacyNoticeText.objects.for_network(world.network).exists()
        save_statements(client, world, hosting_provider="Safespring AB, Norway")
        assert "Hosting: Safespring AB" in client.get(privacy_url(world.network)).content.decode()

    def test_an_empty_text_is_refused_and_nothing_is_lost(self, client, world):
        client.force_login(world.admin)
        response = client.post(statements_url(world), {"save_text": "en", "notice-en-text": " "})
        assert response.status_code == 200
        assert "This field is required." in response.content.decode()
        assert not PrivacyNoticeText.objects.for_network(world.network).exists()

    @pytest.mark.parametrize("role", [RoleKind.LEADER, RoleKind.COORDINATOR,
                                      RoleKind.FACILITATOR])
    def test_only_the_network_admin_edits_it(self, client, world, other_world, role):
        client.force_login(world.person(role))
        assert client.get(statements_url(world)).status_code == 404
        assert save_statements(client, world, hosting_provider="Evil").status_code == 404
        client.force_login(other_world.admin)
        assert client.get(statements_url(world)).status_code == 404
        world.network.refresh_from_db()
        assert world.network.hosting_provider == ""

    def test_every_invitation_links_it(self, world, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            create_invitation(
                world.network, email="ola@test.example", name="Ola Nordmann",
                kind=RoleKind.LEADER, leader_group=world.group, organisation=world.organisation,
                invited_by=world.coordinator, language="nb")
        message = mail.outbox[-1]
        link = f"http://127.0.0.1:8000{privacy_url(world.network)}"
        assert link in message.body
        assert f'href="{link}"' in message.alternatives[0][0]


class TestTheAccessibilityStatement:
    def test_the_network_admin_sets_it_and_the_was_address_leads_there(self, client, world):
        client.force_login(world.admin)
        assert save_statements(client, world, accessibility_statement_url=UUSTATUS) \
            .status_code == 302
        client.logout()
        for was in (f"/n/{world.network.slug}/was", f"/n/{world.network.slug}/was/"):
            response = client.get(was)
            assert (response.status_code, response["Location"]) == (302, UUSTATUS)

    @pytest.mark.parametrize(("url", "message"), [
        ("http://uustatus.no/nb/erklaringer/1", "Enter a valid URL."),
        ("https://example.org/tilgjengelighet", "publishes its accessibility statement on "
                                                "uustatus.no"),
        ("https://was.digst.dk/bro", "publishes its accessibility statement on uustatus.no"),
    ])
    def test_only_an_https_address_on_the_country_statement_service_is_taken(
            self, client, world, url, message):
        client.force_login(world.admin)
        response = save_statements(client, world, accessibility_statement_url=url,
                                   hosting_provider="Kept on error")
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page
        assert 'value="Kept on error"' in page  # nothing typed is lost
        world.network.refresh_from_db()
        assert world.network.accessibility_statement_url == ""

    def test_a_danish_network_uses_was_digst_dk(self, client, world):
        world.network.country = "DK"
        world.network.save(update_fields=["country"])
        client.force_login(world.admin)
        statement = "https://www.was.digst.dk/bro-dk"
        response = save_statements(client, world, accessibility_statement_url=statement)
        assert response.status_code == 302
        assert client.get(f"/n/{world.network.slug}/was")["Location"] == statement

    def test_without_a_statement_the_was_address_says_so(self, client, world):
        response = client.get(f"/n/{world.network.slug}/was")
        assert response.status_code == 404
        assert "has not yet published its accessibility statement" in response.content.decode()


class TestTheFooter:
    def test_every_network_page_links_the_network_notice_and_statement(self, client, world):
        client.force_login(world.leader)
        for name in ("leader_home", "library"):
            page = client.get(reverse(name, kwargs={"network_slug": world.network.slug}))
            footer = page.content.decode().split('<footer class="site-footer">')[1]
            assert f'href="{privacy_url(world.network)}">Privacy notice</a>' in footer
            assert f'href="/n/{world.network.slug}/was">Accessibility statement</a>' in footer

    def test_the_public_pages_link_their_network_too(self, client, world):
        footer = client.get(privacy_url(world.network)).content.decode().split("<footer")[1]
        assert f'href="/n/{world.network.slug}/was"' in footer

    def test_pages_outside_a_network_link_the_site_addresses(self, client, world):
        footer = client.get(reverse("account_login")).content.decode().split("<footer")[1]
        assert 'href="/privacy/">Privacy notice</a>' in footer
        assert 'href="/was">Accessibility statement</a>' in footer


class TestTheSiteAddresses:
    def test_they_lead_a_signed_in_person_to_their_network(self, client, world, other_world):
        grant_role(world.leader, other_world.network, RoleKind.FACILITATOR)
        world.leader.last_network = other_world.network
        world.leader.save(update_fields=["last_network"])
        client.force_login(world.leader)
        assert client.get("/was")["Location"] == f"/n/{other_world.network.slug}/was"
        assert client.get("/privacy/")["Location"] == privacy_url(other_world.network)

    def test_with_one_network_they_lead_there_else_they_list_the_networks(self, client, world):
        assert client.get("/was")["Location"] == f"/n/{world.network.slug}/was"
        other = make_network()
        page = client.get("/privacy/")
        assert page.status_code == 200
        html = page.content.decode()
        assert re.search(rf'href="{privacy_url(world.network)}">{world.network.name}<', html)
        assert re.search(rf'href="{privacy_url(other)}">{other.name}<', html)
