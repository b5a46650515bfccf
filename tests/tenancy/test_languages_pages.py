"""Norwegian Bokmål, Nynorsk, Danish and English: the person's choice, else the picker's
cookie, else the network's default, else the browser's; pages and emails alike."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tenancy.models import Person, RoleKind
from tenancy.services import create_invitation
from tests.factories import code_from_email

pytestmark = pytest.mark.django_db


def lang_of(response):
    return re.search(r'<html lang="([a-z]+)">', response.content.decode()).group(1)


def h1_of(response):
    return " ".join(re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1).split())


def pick(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


class TestThePicker:
    @pytest.mark.parametrize(("language", "heading", "line", "button"), [
        ("nb", "Velkommen til Bro", "Du deltar etter invitasjon", "Logg inn"),
        ("nn", "Velkomen til Bro", "Du deltek etter invitasjon", "Logg inn"),
        ("da", "Velkommen til Bro", "Du deltager efter invitation", "Log ind"),
        ("en", "Welcome to Bro", "You take part by invitation", "Sign in"),
    ])
    def test_the_welcome_page_in_each_language(self, client, db, language, heading, line,
                                               button):
        response = pick(client, language)
        assert response.headers["Location"] == "/"
        page = client.get("/")
        assert lang_of(page) == language
        assert page.headers["Content-Language"] == language
        assert h1_of(page) == heading
        html = page.content.decode()
        assert line in html and f">{button}</a>" in html

    def test_a_stranger_keeps_the_choice_in_a_cookie(self, client, db):
        response = pick(client, "da")
        assert response.cookies["django_language"].value == "da"
        assert lang_of(client.get(reverse("account_request_login_code"))) == "da"

    def test_a_signed_in_person_keeps_the_choice_on_their_account(self, client, world):
        client.force_login(world.leader)
        pick(client, "da", reverse("profile"))
        world.leader.refresh_from_db()
        assert world.leader.language == "da"
        other_browser = Client()
        other_browser.force_login(world.leader)
        page = other_browser.get(reverse("leader_home", args=[world.network.slug]))
        assert lang_of(page) == "da"
        assert "Næste skridt" in page.content.decode()

    def test_the_picker_returns_to_the_page_it_was_used_on_and_only_on_this_site(self, client,
                                                                                 world):
        client.force_login(world.leader)
        url = reverse("leader_home", args=[world.network.slug])
        assert pick(client, "en", url).headers["Location"] == url
        assert pick(client, "en", "https://evil.example/").headers["Location"] == "/"
        assert pick(client, "xx").headers["Location"] == "/"

    def test_the_picker_names_each_language_in_itself_one_button_each(self, client, db):
        """No select and "Change" button: each language is a button of its own, so one
        press changes it, with or without JavaScript."""
        html = client.get("/").content.decode()
        button = '<button type="submit" name="language" value="{}" lang="{}"{}>{}</button>'
        assert button.format("nb", "nb", "", "Norsk (bokmål)") in html
        assert button.format("nn", "nn", "", "Norsk nynorsk") in html
        assert button.format("da", "da", "", "Dansk") in html
        assert button.format("en", "en", ' aria-current="true"', "English") in html
        assert "<select" not in html


class TestWhichLanguage:
    def test_a_network_page_speaks_the_networks_default_to_a_person_without_a_choice(
            self, client, other_world):
        client.force_login(other_world.coordinator)
        page = client.get(reverse("organisation_detail", args=[
            other_world.network.slug, other_world.organisation.pk]))
        assert lang_of(page) == "da"
        assert "Invitér en leder" in page.content.decode()

    def test_the_persons_choice_wins_over_the_network(self, client, other_world):
        other_world.coordinator.language = "nb"
        other_world.coordinator.save()
        client.force_login(other_world.coordinator)
        page = client.get(reverse("organisation_detail", args=[
            other_world.network.slug, other_world.organisation.pk]))
        assert lang_of(page) == "nb"
        assert "Inviter en leder" in page.content.decode()

    def test_the_cookie_wins_over_the_network_for_a_person_without_a_choice(self, client,
                                                                           other_world):
        client.force_login(other_world.admin)
        client.cookies["django_language"] = "en"
        page = client.get(reverse("manage_dashboard", args=[other_world.network.slug]))
        assert lang_of(page) == "en"

    def test_pages_outside_a_network_speak_the_language_of_the_network_used_last(
            self, client, other_world):
        client.force_login(other_world.leader)
        client.get(reverse("network_home", args=[other_world.network.slug]))
        page = client.get(reverse("profile"))
        assert lang_of(page) == "da"
        assert h1_of(page) == "Din profil"

    def test_a_stranger_gets_the_browsers_language(self, db):
        page = Client(headers={"accept-language": "nb-NO,nb;q=0.9,en;q=0.5"}).get("/")
        assert lang_of(page) == "nb"
        page = Client(headers={"accept-language": "de-DE"}).get("/")
        assert lang_of(page) == "en"

    @pytest.mark.parametrize(("accept_language", "language"), [
        ("no", "nb"),
        ("nn", "nn"),
        ("no-NO", "nb"),
        ("nn-NO,nn;q=0.9", "nn"),
        ("nb-NO,no;q=0.9,nn;q=0.8", "nb"),
        ("nn-NO,nb;q=0.9,no;q=0.8", "nn"),
        ("de-DE,nn;q=0.5,nb;q=0.4", "nn"),
        ("da-DK,da", "da"),
        ("de-DE,no;q=0.5", "nb"),
        ("de-DE,en;q=0.8,no;q=0.5", "en"),
        ("", "en"),
    ])
    def test_browser_languages_that_mean_norwegian(self, db, accept_language, language):
        page = Client(headers={"accept-language": accept_language}).get(
            reverse("account_request_login_code"))
        assert lang_of(page) == language
        assert page.headers["Content-Language"] == language

    def test_allauths_own_pages_are_translated_too(self, db, other_world):
        client = Client(headers={"accept-language": "da"})
        client.post(reverse("account_request_login_code"), {"email": other_world.leader.email})
        page = client.get(reverse("account_confirm_login_code"))
        assert lang_of(page) == "da"
        assert "Bekræft" in page.content.decode()


class TestEmails:
    def test_the_sign_in_code_comes_in_the_persons_language(self, client, world, other_world):
        for person, subject, line in (
                (other_world.leader, "Bro: Din login-kode", "Din kode til at logge ind i Bro:"),
                (world.leader, "Bro: Innloggingskoden din", "Koden din for å logge inn i Bro:")):
            Client().post(reverse("account_request_login_code"), {"email": person.email})
            message = mail.outbox[-1]
            assert message.subject == subject
            assert line in message.body
            assert f'<html lang="{"da" if person == other_world.leader else "nb"}">' in (
                message.alternatives[0][0])
            assert code_from_email(message)

    def test_a_chosen_language_beats_the_networks_for_the_code(self, world):
        world.leader.language = "en"
        world.leader.save()
        Client().post(reverse("account_request_login_code"), {"email": world.leader.email})
        assert mail.outbox[-1].subject == "Bro: Your sign-in code"

    @pytest.mark.parametrize(("language", "subject", "line"), [
        ("da", "Din invitation til {} i Bro", "Tag imod invitationen her"),
        ("nb", "Invitasjonen din til {} i Bro", "Godta invitasjonen her"),
        ("nn", "Invitasjonen din til {} i Bro", "Godta invitasjonen her (lenkja verkar éin gong)"),
        ("en", "Your invitation to {} in Bro", "Accept the invitation here"),
    ])
    def test_the_invitation_comes_in_the_language_the_inviter_chose(
            self, world, django_capture_on_commit_callbacks, language, subject, line):
        with django_capture_on_commit_callbacks(execute=True):
            create_invitation(world.network, email="new@test.example", kind=RoleKind.FACILITATOR,
                              invited_by=world.admin, language=language)
        message = mail.outbox[-1]
        assert message.subject == subject.format(world.network.name)
        assert line in message.body
        assert f'<html lang="{language}">' in message.alternatives[0][0]

    def test_a_new_person_keeps_the_invitations_language(self, client, world,
                                                         django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            _invitation, token = create_invitation(
                world.network, email="new@test.example", kind=RoleKind.FACILITATOR,
                invited_by=world.admin, language="da")
        client.post(reverse("accept_invitation", args=[token]))
        assert Person.objects.get(email="new@test.example").language == "da"
        Client().post(reverse("account_request_login_code"), {"email": "new@test.example"})
        assert mail.outbox[-1].subject == "Bro: Din login-kode"


@pytest.mark.django_db
def test_the_signed_in_message_is_in_the_persons_language(client, world):
    from allauth.account.models import EmailAddress

    world.leader.set_password("a-long-test-password")
    world.leader.language = "da"
    world.leader.save()
    EmailAddress.objects.filter(user=world.leader).update(verified=True)
    response = client.post(reverse("account_login"), {
        "login": world.leader.email, "password": "a-long-test-password"}, follow=True)
    with translation.override("da"):
        expected = gettext("Successfully signed in as %(name)s.") % {
            "name": world.leader.get_full_name()}
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_an_invitation_reads_in_its_own_language_and_so_does_the_sign_in_after_it(
        client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create_invitation(world.network, email="ny@test.example", kind=RoleKind.LEADER,
                          invited_by=world.coordinator, language="da", name="Ny Leder",
                          leader_group=world.group)
    url = re.search(r"https?://[^/]+(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)
    with translation.override("da"):
        accept = gettext("Accept the invitation")
    page = client.get(url, headers={"accept-language": "en"})
    assert accept in page.content.decode()
    signed_in = client.post(url, follow=True, headers={"accept-language": "en"})
    assert signed_in.wsgi_request.LANGUAGE_CODE == "da"


@pytest.mark.django_db
def test_the_first_sign_in_speaks_the_networks_language(client, world):
    from allauth.account.models import EmailAddress

    world.leader.set_password("a-long-test-password")
    world.leader.save()  # no language of their own, no network used yet: the network's nb
    EmailAddress.objects.filter(user=world.leader).update(verified=True)
    response = client.post(reverse("account_login"), {
        "login": world.leader.email, "password": "a-long-test-password"}, follow=True,
        headers={"accept-language": "en"})
    with translation.override("nb"):
        expected = gettext("Successfully signed in as %(name)s.") % {
            "name": world.leader.get_full_name()}
    assert expected in response.content.decode()
