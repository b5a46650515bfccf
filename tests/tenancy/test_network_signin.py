"""A network's own identity providers (ID-porten, MitID Erhverv, Feide) through allauth's
OpenID Connect provider, against the in-process stub in tests/identity_provider.py."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from tenancy.audit import AuditEvent, EventKind
from tenancy.models import NetworkSignIn, Person, RoleKind
from tenancy.services import create_invitation
from tests.factories import current_totp_code, make_network_sign_in, sign_in_with_code
from tests.identity_provider import go_through_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def id_porten(world, identity_provider):
    sign_in = make_network_sign_in(world.network)
    identity_provider.serve(sign_in.server_url, sign_in.client_id)
    return sign_in


@pytest.fixture
def other_id_porten(other_world, identity_provider):
    sign_in = make_network_sign_in(other_world.network, display_name="ID-porten (other)")
    identity_provider.serve(sign_in.server_url, sign_in.client_id)
    return sign_in


def invite(world, django_capture_on_commit_callbacks, email="ola@test.example"):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = create_invitation(
            world.network, email=email, name="Ola Nordmann", kind=RoleKind.LEADER,
            leader_group=world.group, organisation=world.organisation,
            invited_by=world.coordinator, language="en")
    return reverse("accept_invitation", args=[token])


def sign_in_through(client, sign_in):
    return go_through_provider(client, sign_in.provider_id, client_id=sign_in.client_id,
                               host=sign_in.server_url.split("/")[2])


def verified(person):
    """Someone who has signed in with a code before, which confirmed their address."""
    EmailAddress.objects.filter(user=person).update(verified=True)
    return person


def events(kind, network=None):
    return AuditEvent.unscoped.filter(kind=kind, network=network)


class TestAnInvitedPerson:
    def test_confirms_the_email_once_then_id_porten_signs_them_in(
            self, client, world, id_porten, identity_provider,
            django_capture_on_commit_callbacks):
        page = client.post(invite(world, django_capture_on_commit_callbacks), follow=True)
        assert "Sign in with ID-porten" in page.content.decode()
        identity_provider.sign_in_as(sub="idporten-ola", pid="23079421936")  # no email

        response = sign_in_through(client, id_porten)
        assert response.headers["Location"] == (
            reverse("account_request_login_code") + "?email=ola%40test.example")
        assert "_auth_user_id" not in client.session
        assert not SocialAccount.objects.exists()

        landing = sign_in_with_code(client, "ola@test.example")
        ola = Person.objects.get(email="ola@test.example")
        assert landing.resolver_match.url_name == "leader_home"
        account = SocialAccount.objects.get()
        assert (account.user, account.provider, account.uid) == (
            ola, id_porten.provider_id, "idporten-ola")
        assert "23079421936" not in str(account.extra_data)  # no national identity number
        assert events(EventKind.IDENTITY_CONNECTED, world.network).get().actor_id == ola.pk

        client.post(reverse("account_logout"))
        response = sign_in_through(client, id_porten)
        landing = client.get(response.headers["Location"], follow=True)
        assert landing.resolver_match.url_name == "leader_home"
        assert landing.context["user"] == ola
        signed_in = events(EventKind.SIGNED_IN, world.network).get()
        assert signed_in.details == {"method": "idporten", "provider": "ID-porten"}

    def test_the_identity_goes_to_nobody_but_the_invited_address(
            self, client, world, id_porten, identity_provider,
            django_capture_on_commit_callbacks):
        client.post(invite(world, django_capture_on_commit_callbacks))
        identity_provider.sign_in_as(sub="idporten-someone")
        sign_in_through(client, id_porten)
        sign_in_with_code(client, world.leader.email)
        assert not SocialAccount.objects.exists()

    def test_the_invitation_page_names_the_networks_providers(
            self, client, world, id_porten, django_capture_on_commit_callbacks):
        page = client.get(invite(world, django_capture_on_commit_callbacks)).content.decode()
        assert "Or sign in with ID-porten" in page


class TestSomeoneWithAnAccount:
    def test_connects_id_porten_under_profile_and_then_signs_in_with_it(
            self, client, world, other_world, id_porten, other_id_porten, identity_provider):
        verified(world.leader)
        client.force_login(world.leader)
        page = client.get(reverse("socialaccount_connections")).content.decode()
        assert f"Connect ID-porten ({world.network.name})" in page
        assert other_world.network.name not in page
        identity_provider.sign_in_as(sub="idporten-leader")
        identity_provider.user["pid"] = "23079421936"
        go_through_provider(client, id_porten.provider_id, process="connect")
        account = SocialAccount.objects.get()
        assert account.user == world.leader
        assert account.extra_data["userinfo"] == {"sub": "idporten-leader",
                                                  "name": "Signed-in Person"}
        client.post(reverse("account_logout"))
        response = sign_in_through(client, id_porten)
        assert client.get(response.headers["Location"], follow=True).context["user"] == (
            world.leader)
        account.refresh_from_db()  # allauth stores the claims of each sign-in again
        assert "pid" not in account.extra_data["id_token"]

    def test_cannot_connect_another_networks_provider(
            self, client, world, other_id_porten, identity_provider):
        client.force_login(world.leader)
        identity_provider.sign_in_as(sub="idporten-leader")
        response = go_through_provider(client, other_id_porten.provider_id, process="connect")
        assert response.status_code == 403
        assert not SocialAccount.objects.exists()

    def test_a_network_admin_still_enters_the_app_code(
            self, client, world, id_porten, identity_provider):
        SocialAccount.objects.create(user=verified(world.admin),
                                     provider=id_porten.provider_id, uid="idporten-admin")
        identity_provider.sign_in_as(sub="idporten-admin")
        response = sign_in_through(client, id_porten)
        assert response.headers["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        landing = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()},
                              follow=True)
        assert landing.resolver_match.url_name == "manage_dashboard"
        assert events(EventKind.SIGNED_IN, world.network).get().details["method"] == "idporten"


class TestRefused:
    def test_an_unknown_person_is_refused_with_a_clear_message(
            self, client, world, id_porten, identity_provider):
        people = Person.objects.count()
        identity_provider.sign_in_as(sub="idporten-stranger")
        response = sign_in_through(client, id_porten)
        assert response.status_code == 403
        page = response.content.decode()
        assert "Bro does not know this ID-porten identity yet" in page
        assert "Open the invitation link from your email" in page
        assert Person.objects.count() == people
        assert "_auth_user_id" not in client.session
        assert not SocialAccount.objects.exists()
        refused = events(EventKind.SIGN_IN_FAILED, world.network).get()
        assert refused.details == {"method": "idporten", "reason": "unknown"}

    def test_an_email_matching_an_account_does_not_take_it_over(
            self, client, world, identity_provider):
        feide = make_network_sign_in(world.network, "feide", display_name="Feide")
        identity_provider.serve(feide.server_url, feide.client_id)
        identity_provider.sign_in_as(sub="feide-impostor", email=world.coordinator.email)
        response = sign_in_through(client, feide)
        assert response.status_code == 403
        assert "Bro does not know this Feide identity yet" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert not SocialAccount.objects.exists()
        assert events(EventKind.SIGN_IN_FAILED, world.network).get().target_label == (
            world.coordinator.email)


class TestOneNetworksProviderIsNotAnothers:
    def test_a_networks_sign_in_page_offers_only_its_own_providers(
            self, client, world, other_world, id_porten, other_id_porten):
        def page(network):
            return client.get(reverse("account_request_login_code"),
                              {"network": network.slug}).content.decode()

        mine, other = page(world.network), page(other_world.network)
        own_url = reverse("openid_connect_login", args=[id_porten.provider_id])
        other_url = reverse("openid_connect_login", args=[other_id_porten.provider_id])
        assert f'action="{own_url}"' in mine and other_url not in mine
        assert f'action="{other_url}"' in other and own_url not in other
        general = client.get(reverse("account_request_login_code")).content.decode()
        assert own_url not in general and other_url not in general

    def test_only_the_network_sign_in_page_lets_its_forms_reach_the_provider(
            self, client, world, id_porten):
        page = client.get(reverse("account_request_login_code"), {"network": world.network.slug})
        policy = page.headers["Content-Security-Policy"]
        host = id_porten.server_url.split("/")[2]
        assert f"https://*.{host} https://{host};" in policy
        general = client.get(reverse("account_request_login_code"))
        assert host not in general.headers["Content-Security-Policy"]

    def test_a_network_page_sends_people_to_that_networks_sign_in_page(
            self, client, world, id_porten):
        page = client.get(reverse("network_home", args=[world.network.slug]), follow=True)
        assert "Sign in with ID-porten" in page.content.decode()

    def test_an_invitation_to_one_network_does_not_admit_the_others_identity(
            self, client, world, other_world, id_porten, other_id_porten, identity_provider,
            django_capture_on_commit_callbacks):
        client.post(invite(world, django_capture_on_commit_callbacks))
        identity_provider.sign_in_as(sub="idporten-ola")
        response = sign_in_through(client, other_id_porten)
        assert response.status_code == 403
        sign_in_with_code(client, "ola@test.example")
        assert not SocialAccount.objects.exists()

    def test_an_identity_of_one_network_does_not_sign_in_to_a_person_only_in_the_other(
            self, client, world, other_world, other_id_porten, identity_provider):
        SocialAccount.objects.create(user=verified(world.leader),
                                     provider=other_id_porten.provider_id, uid="idporten-leader")
        identity_provider.sign_in_as(sub="idporten-leader")
        response = sign_in_through(client, other_id_porten)
        assert response.status_code == 403
        assert f"belongs to {other_world.network.name}" in response.content.decode()
        assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("english_speakers")
class TestSettingUp:
    def form(self, kind="idporten", **changes):
        return {"save": kind, f"{kind}-display_name": "ID-porten",
                f"{kind}-server_url": "https://idporten.no",
                f"{kind}-client_id": "bro-client", f"{kind}-secret": "s3cret-value",
                f"{kind}-scopes": "", **changes}

    def test_the_network_admin_sets_up_id_porten_and_the_secret_is_never_shown(
            self, client, world):
        client.force_login(world.admin)
        url = reverse("sign_in_settings", args=[world.network.slug])
        page = client.post(url, self.form(), follow=True).content.decode()
        sign_in = NetworkSignIn.objects.for_network(world.network).get()
        assert (sign_in.kind, sign_in.client_id, sign_in.secret) == (
            "idporten", "bro-client", "s3cret-value")
        assert "s3cret-value" not in page
        assert "A secret is stored" in page
        callback = reverse("openid_connect_callback", args=[sign_in.provider_id])
        assert f"http://testserver{callback}" in page

        client.post(url, self.form(**{"idporten-client_id": "new-client",
                                      "idporten-secret": ""}))
        sign_in.refresh_from_db()
        assert (sign_in.client_id, sign_in.secret) == ("new-client", "s3cret-value")
        changes = events(EventKind.SIGN_IN_PROVIDER_CHANGED, world.network)
        assert [event.details["change"] for event in changes.order_by("pk")] == [
            "added", "changed"]
        assert all("s3cret" not in str(event.details) for event in changes)

    def test_a_new_provider_needs_its_secret(self, client, world):
        client.force_login(world.admin)
        url = reverse("sign_in_settings", args=[world.network.slug])
        page = client.post(url, self.form(**{"idporten-secret": ""})).content.decode()
        assert "Enter the client secret the provider gave you." in page
        assert not NetworkSignIn.objects.for_network(world.network).exists()

    def test_the_network_admin_removes_a_provider_and_the_identities_connected_to_it(
            self, client, world, id_porten):
        SocialAccount.objects.create(user=world.leader, provider=id_porten.provider_id,
                                     uid="idporten-leader")
        client.force_login(world.admin)
        client.post(reverse("sign_in_settings", args=[world.network.slug]),
                    {"remove": "idporten"})
        assert not NetworkSignIn.objects.for_network(world.network).exists()
        assert not SocialAccount.objects.exists()
        client.force_login(world.leader)
        assert client.get(reverse("socialaccount_connections")).status_code == 200

    def test_only_the_network_admin_opens_the_page(self, client, world, other_world):
        for person, network in ((world.coordinator, world.network),
                                (world.admin, other_world.network)):
            client.force_login(person)
            url = reverse("sign_in_settings", args=[network.slug])
            assert client.get(url).status_code == 404

    def test_platform_staff_set_one_up_in_the_admin_without_seeing_the_secret(
            self, client, world):
        from tests.factories import make_person, with_mfa

        staff = with_mfa(make_person(is_staff=True, is_superuser=True))
        client.force_login(staff)
        response = client.post(reverse("admin:tenancy_networksignin_add"), {
            "network": world.network.pk, "kind": "feide", "display_name": "Feide",
            "server_url": "https://auth.dataporten.no", "client_id": "feide-client",
            "secret": "feide-s3cret", "scopes": ""})
        assert response.status_code == 302, response.content.decode()[:3000]
        sign_in = NetworkSignIn.objects.for_network(world.network).get()
        assert sign_in.provider_id == f"feide-{world.network.pk}"
        change = client.get(reverse("admin:tenancy_networksignin_change", args=[sign_in.pk]))
        assert "feide-s3cret" not in change.content.decode()
