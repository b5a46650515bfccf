"""Network admins and platform staff use an authenticator app (TOTP) before anything else."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import NoReverseMatch, reverse

from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    current_totp_code,
    make_person,
    sign_in_with_code,
    with_mfa,
)
from tests.tenant_probe import OBJECTS, network_url_names

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def new_admin(world):
    """A network admin who has not set up an authenticator app yet."""
    person = make_person()
    grant_role(person, world.network, RoleKind.NETWORK_ADMIN)
    return person


def network_pages(world):
    for name, params in network_url_names():
        kwargs = {"network_slug": world.network.slug}
        kwargs.update({p: OBJECTS[p](world) if p in OBJECTS else 1 for p in params})
        try:
            yield reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # an argument with a converter other than int
            continue


def test_an_admin_without_an_app_is_sent_to_set_one_up_from_every_network_page(
        client, world, new_admin):
    client.force_login(new_admin)
    pages = list(network_pages(world))
    assert len(pages) >= 5
    for url in pages + ["/", "/profile/", "/networks/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == ACTIVATE, url


def test_staff_without_an_app_are_sent_to_set_one_up_from_the_admin(client, db):
    staff = make_person(is_staff=True, is_superuser=True)
    client.force_login(staff)
    for url in ["/admin/", "/admin/tenancy/network/"]:
        response = client.get(url)
        assert response.headers["Location"] == ACTIVATE, url


@pytest.mark.parametrize("role", ["leader", "coordinator", "facilitator"])
def test_other_roles_are_not_forced(client, world, role):
    client.force_login(world.person(role))
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.resolver_match.url_name != "mfa_activate_totp"


def test_setting_up_the_app_then_reaching_the_network(client, world, new_admin):
    landing = sign_in_with_code(client, new_admin.email)
    assert landing.resolver_match.url_name == "mfa_activate_totp"
    page = landing.content.decode()
    assert "Set up your authenticator app" in page
    assert 'class="qr-code"' in page and 'alt="QR code for your authenticator app"' in page
    secret = landing.context["form"].secret
    assert secret in page

    right = current_totp_code(secret)
    wrong = client.post(ACTIVATE, {"code": "000000" if right != "000000" else "111111"})
    assert wrong.status_code == 200
    assert 'aria-invalid="true"' in wrong.content.decode()

    response = client.post(ACTIVATE, {"code": right})
    assert response.headers["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(reverse("mfa_view_recovery_codes"))
    recovery = Authenticator.objects.get(user=new_admin, type=Authenticator.Type.RECOVERY_CODES)
    unused = recovery.wrap().get_unused_codes()
    assert len(unused) == 10
    assert all(code in codes.content.decode() for code in unused)

    page = client.get(reverse("manage_dashboard", args=[world.network.slug]))
    assert page.status_code == 200


def test_an_admin_with_an_app_gives_its_code_after_the_email_code(client, world):
    response = sign_in_with_code(client, world.admin.email)
    assert response.resolver_match.url_name == "mfa_authenticate"
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()},
                           follow=True)
    assert response.resolver_match.url_name == "manage_dashboard"
    assert response.context["user"] == world.admin


def test_a_wrong_app_code_does_not_sign_in(client, world):
    sign_in_with_code(client, world.admin.email)
    wrong = "000000" if current_totp_code() != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_when_the_phone_is_lost(client, world):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    recovery_codes = RecoveryCodes.activate(world.admin)
    code = recovery_codes.get_unused_codes()[0]
    sign_in_with_code(client, world.admin.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code}, follow=True)
    assert response.resolver_match.url_name == "manage_dashboard"


def test_the_password_sign_in_asks_for_the_app_code_too(client, world):
    from allauth.account.models import EmailAddress

    world.admin.set_password("bro-bridges-2026")
    world.admin.save()
    EmailAddress.objects.filter(user=world.admin).update(verified=True)
    response = client.post("/accounts/login/", {
        "login": world.admin.email, "password": "bro-bridges-2026"}, follow=True)
    assert response.resolver_match.url_name == "mfa_authenticate"
    assert "_auth_user_id" not in client.session


def test_staff_with_an_app_reach_the_admin(client, db):
    staff = with_mfa(make_person(is_staff=True, is_superuser=True))
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def sign_in_and_confirm_again(client, person):
    """Sign in with email and app codes, then confirm once more (allauth asks before MFA
    changes) with a recovery code, since an app code works only once."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    spare = RecoveryCodes.activate(person).get_unused_codes()[0]
    sign_in_with_code(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    page = client.get(reverse("mfa_deactivate_totp"))
    assert page.headers["Location"].startswith(reverse("mfa_reauthenticate"))
    client.post(page.headers["Location"], {"code": spare})
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200


def test_an_admin_cannot_switch_the_app_off(client, world):
    sign_in_and_confirm_again(client, world.admin)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=world.admin,
                                        type=Authenticator.Type.TOTP).exists()


def test_a_leader_may_switch_their_own_app_off(client, world):
    with_mfa(world.leader)
    sign_in_and_confirm_again(client, world.leader)
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=world.leader,
                                            type=Authenticator.Type.TOTP).exists()


def test_the_two_factor_page_offers_switching_off_only_to_those_who_may(client, world):
    with_mfa(world.leader)
    client.force_login(world.admin)
    assert reverse("mfa_deactivate_totp") not in client.get(reverse("mfa_index")).content.decode()
    client.force_login(world.leader)
    assert reverse("mfa_deactivate_totp") in client.get(reverse("mfa_index")).content.decode()
