"""Microsoft Entra ID per network, through allauth's OpenID Connect provider.

Only the identity provider's HTTP endpoints are stubbed (discovery, token, userinfo); every
request to Bro goes through the real views, sessions and database.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.urls import reverse

from tests.factories import current_totp_code, make_network
from tests.identity_provider import go_through_provider

pytestmark = pytest.mark.django_db

TENANT = "3f1c2d4e-0000-4000-8000-00000000a9de"
SERVER = f"https://login.microsoftonline.com/{TENANT}/v2.0"
CLIENT_ID = "bro-client-id"


@pytest.fixture
def entra(identity_provider):
    identity_provider.serve(SERVER, CLIENT_ID)
    return identity_provider


def configure_entra(network, provider_id=None):
    provider_id = provider_id or f"entra-{network.slug}"
    SocialApp.objects.create(
        provider="openid_connect", provider_id=provider_id, name="Microsoft Entra ID",
        client_id=CLIENT_ID, secret="entra-secret", settings={"server_url": SERVER})
    network.entra_provider_id = provider_id
    network.save(update_fields=["entra_provider_id"])
    return provider_id


def go_through_microsoft(client, provider_id, process="login"):
    """Press the button, come back from Microsoft with a code: the callback's response."""
    return go_through_provider(client, provider_id, process=process,
                               host="login.microsoftonline.com", client_id=CLIENT_ID)


@pytest.fixture
def provider_id(world):
    return configure_entra(world.network)


def connect(client, person, provider_id, entra, sub="entra-sub-1"):
    """The person (invited, so their address is verified) connects Microsoft, signs out."""
    EmailAddress.objects.filter(user=person).update(verified=True)
    client.force_login(person)
    entra.sign_in_as(sub=sub, email=person.email)
    response = go_through_microsoft(client, provider_id, process="connect")
    assert response.status_code == 302
    client.post(reverse("account_logout"))
    return SocialAccount.objects.get(user=person)


def test_a_person_connects_microsoft_under_profile(client, world, provider_id, entra):
    client.force_login(world.leader)
    page = client.get(reverse("socialaccount_connections")).content.decode()
    assert f"Connect Microsoft ({world.network.name})" in page
    assert f'action="{reverse("openid_connect_login", args=[provider_id])}"' in page
    account = connect(client, world.leader, provider_id, entra)
    assert account.uid == "entra-sub-1"
    addresses = EmailAddress.objects.filter(user=world.leader).values_list("email", flat=True)
    assert list(addresses) == [world.leader.email]


def test_a_connected_person_signs_in_with_microsoft_and_lands_on_their_page(
        client, world, provider_id, entra):
    connect(client, world.leader, provider_id, entra)
    entra.sign_in_as(sub="entra-sub-1", email=world.leader.email)
    response = go_through_microsoft(client, provider_id)
    assert response.status_code == 302
    landing = client.get(response.headers["Location"], follow=True)
    assert landing.resolver_match.url_name == "leader_home"
    assert landing.context["user"] == world.leader


def test_microsoft_sign_in_still_asks_an_admin_for_the_app_code(
        client, world, provider_id, entra):
    connect(client, world.admin, provider_id, entra, sub="entra-admin")
    entra.sign_in_as(sub="entra-admin", email=world.admin.email)
    response = go_through_microsoft(client, provider_id)
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    landing = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()},
                          follow=True)
    assert landing.resolver_match.url_name == "manage_dashboard"


def test_an_entra_email_matching_an_account_neither_signs_in_nor_connects(
        client, world, provider_id, entra):
    EmailAddress.objects.filter(user=world.coordinator).update(verified=True)
    entra.sign_in_as(sub="stranger-sub", email=world.coordinator.email)
    response = go_through_microsoft(client, provider_id)
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    page = client.get(response.headers["Location"]) if response.status_code == 302 else response
    assert "By invitation only" in page.content.decode()


def test_an_unknown_microsoft_account_creates_nobody(client, world, provider_id, entra):
    from tenancy.models import Person

    people = Person.objects.count()
    entra.sign_in_as(sub="unknown-sub", email="someone@kommune.example")
    go_through_microsoft(client, provider_id)
    assert Person.objects.count() == people
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


class TestTheButtons:
    def test_the_sign_in_page_shows_microsoft_only_for_networks_that_have_it(
            self, client, world, other_world):
        configure_entra(world.network)
        half_done = make_network(name="Half Done Network", entra_provider_id="entra-missing")
        page = client.get(reverse("account_request_login_code")).content.decode()
        assert f"Sign in with Microsoft ({world.network.name})" in page
        assert other_world.network.name not in page
        assert half_done.name not in page

    def test_without_any_entra_network_there_is_no_microsoft_section(self, client, world):
        page = client.get(reverse("account_request_login_code")).content.decode()
        assert "Microsoft" not in page

    def test_the_password_page_shows_the_buttons_too(self, client, world):
        configure_entra(world.network)
        page = client.get(reverse("account_login")).content.decode()
        assert f"Sign in with Microsoft ({world.network.name})" in page

    def test_the_buttons_are_forms_that_post(self, client, world):
        provider_id = configure_entra(world.network)
        page = client.get(reverse("account_request_login_code")).content.decode()
        url = reverse("openid_connect_login", args=[provider_id])
        assert f'<form method="post" action="{url}">' in page

    def test_profile_offers_only_the_persons_own_networks(self, client, world, other_world):
        configure_entra(world.network)
        configure_entra(other_world.network)
        client.force_login(world.leader)
        page = client.get(reverse("socialaccount_connections")).content.decode()
        assert f"Connect Microsoft ({world.network.name})" in page
        assert other_world.network.name not in page

    def test_profile_links_to_the_microsoft_page(self, client, world):
        client.force_login(world.leader)
        page = client.get(reverse("profile")).content.decode()
        assert reverse("socialaccount_connections") in page
