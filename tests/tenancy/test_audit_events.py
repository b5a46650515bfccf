"""What tenancy records in the audit trail: sign-ins and their failures, authenticator apps,
invitations and roles, platform staff entering a network, and a network's k."""

import pytest
from django.urls import reverse

from tenancy.audit import AuditEvent, EventKind
from tenancy.models import RoleKind
from tenancy.scoping import platform_wide
from tests.factories import (
    current_totp_code,
    make_person,
    save_network_in_admin,
    sign_in_with_code,
    with_mfa,
)

pytestmark = pytest.mark.django_db


def recorded(kind, network=None):
    """The events of one kind, oldest first: a network's, or platform events."""
    with platform_wide():
        return list(AuditEvent.objects.filter(kind=kind, network=network).order_by("pk"))


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


class TestSigningIn:
    def test_a_sign_in_with_a_code_is_a_platform_event(self, client, world):
        sign_in_with_code(client, world.leader.email)
        [event] = recorded(EventKind.SIGNED_IN)
        assert (event.actor_id, event.target_id, event.network_id) == (
            world.leader.pk, world.leader.pk, None)

    def test_a_wrong_code(self, client, world):
        client.post(reverse("account_request_login_code"), {"email": world.leader.email})
        client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
        [event] = recorded(EventKind.SIGN_IN_FAILED)
        assert (event.target_id, event.details) == (world.leader.pk, {"method": "code"})
        assert not recorded(EventKind.SIGNED_IN)

    def test_a_wrong_password_for_an_account_and_for_no_account(self, client, world):
        world.leader.set_password("bro-bridges-2026")
        world.leader.save()
        client.post("/accounts/login/", {"login": world.leader.email, "password": "wrong-one"})
        client.post("/accounts/login/", {"login": "nobody@test.example", "password": "guess"})
        failures = recorded(EventKind.SIGN_IN_FAILED)
        assert [(e.target_id, e.target_label, e.details) for e in failures] == [
            (world.leader.pk, world.leader.email, {"method": "password"}),
            (None, "nobody@test.example", {"method": "password"})]

    def test_a_wrong_authenticator_code(self, client, world):
        sign_in_with_code(client, world.admin.email)
        wrong = "000000" if current_totp_code() != "000000" else "111111"
        client.post(reverse("mfa_authenticate"), {"code": wrong})
        [event] = recorded(EventKind.SIGN_IN_FAILED)
        assert (event.target_id, event.details) == (world.admin.pk, {"method": "authenticator"})


class TestAuthenticatorApps:
    def test_setting_up_the_app(self, client, world, django_capture_on_commit_callbacks):
        from tenancy.services import grant_role

        person = make_person()
        grant_role(person, world.network, RoleKind.NETWORK_ADMIN)
        landing = sign_in_with_code(client, person.email)
        secret = landing.context["form"].secret
        with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
            client.post("/accounts/2fa/totp/activate/", {"code": current_totp_code(secret)})
        [event] = recorded(EventKind.MFA_ACTIVATED)
        assert (event.actor_id, event.details) == (person.pk, {"type": "totp"})

    def test_switching_it_off(self, client, world):
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

        with_mfa(world.leader)
        spare = RecoveryCodes.activate(world.leader).get_unused_codes()[0]
        sign_in_with_code(client, world.leader.email)
        client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
        page = client.get(reverse("mfa_deactivate_totp"))
        client.post(page.headers["Location"], {"code": spare})
        client.post(reverse("mfa_deactivate_totp"))
        [event] = recorded(EventKind.MFA_DEACTIVATED)
        assert (event.actor_id, event.details) == (world.leader.pk, {"type": "totp"})


class TestInvitationsAndRoles:
    def test_an_invitation_sent_then_accepted_grants_the_role(
            self, client, world, django_capture_on_commit_callbacks):
        client.force_login(world.admin)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("manage_dashboard", args=[world.network.slug]), {
                "invite": "1", "invite-name": "Kari Nordmann",
                "invite-email": "kari@test.example", "invite-kind": RoleKind.COORDINATOR,
                "invite-organisation": world.organisation.pk, "invite-language": "nb"})
        [sent] = recorded(EventKind.INVITATION_SENT, world.network)
        assert (sent.actor_id, sent.target_label, sent.details) == (
            world.admin.pk, "kari@test.example", {"role": "coordinator"})

        from django.core import mail

        from tests.tenancy.test_invitations_flow import link_from

        client.logout()
        client.post(link_from(mail.outbox[-1]))
        [accepted] = recorded(EventKind.INVITATION_ACCEPTED, world.network)
        granted = recorded(EventKind.ROLE_GRANTED, world.network)[-1]
        assert accepted.actor_label == granted.target_label == (
            "Kari Nordmann <kari@test.example>")
        assert granted.details == {"role": "coordinator", "organisation":
                                   world.organisation.name, "group": ""}


class TestPlatformStaff:
    def test_entering_a_network_without_a_role_is_recorded_once_per_session(self, client,
                                                                             world):
        staff = with_mfa(make_person(is_staff=True))
        client.force_login(staff)
        client.get(reverse("network_home", args=[world.network.slug]))
        client.get(reverse("manage_dashboard", args=[world.network.slug]))
        [event] = recorded(EventKind.STAFF_ENTERED, world.network)
        assert (event.actor_id, event.target_type) == (staff.pk, "network")

    def test_staff_who_hold_a_role_there_are_not_recorded(self, client, world):
        world.admin.is_staff = True
        world.admin.save()
        client.force_login(world.admin)
        client.get(reverse("manage_dashboard", args=[world.network.slug]))
        assert not recorded(EventKind.STAFF_ENTERED, world.network)

    def test_changing_k_in_the_admin(self, client, world):
        staff = with_mfa(make_person(is_staff=True, is_superuser=True))
        client.force_login(staff)
        network = world.network
        response = save_network_in_admin(client, network, anonymity_threshold=7)
        assert response.status_code == 302
        [event] = recorded(EventKind.THRESHOLD_CHANGED, network)
        assert (event.actor_id, event.details) == (staff.pk, {"previous": 5, "k": 7})
