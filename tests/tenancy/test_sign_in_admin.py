"""The Django admin: platform staff only, signed in through Bro with their app; it reads every
network's rows on purpose (Model.unscoped)."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from tenancy.models import Invitation, LeaderGroup, Network, Person, Role
from tests.factories import make_person, save_network_in_admin, with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return with_mfa(make_person(is_staff=True, is_superuser=True))


def png_bytes(colour=(11, 79, 138)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_stranger_is_sent_to_bros_sign_in_not_the_admin_password_form(client, db):
    response = client.get("/admin/", follow=True)
    assert response.resolver_match.url_name == "account_request_login_code"
    assert response.request["QUERY_STRING"] == "next=%2Fadmin%2F"


def test_a_network_admin_who_is_not_staff_cannot_open_the_admin(client, world):
    client.force_login(world.admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")
    assert client.get(response.headers["Location"]).status_code == 403
    assert client.get("/admin/tenancy/organisation/").status_code == 302


def test_staff_see_every_model_of_every_network(client, staff, world, other_world):
    Invitation.objects.create(
        network=world.network, email="new@test.example", language="nb", kind="leader",
        leader_group=world.group, token_hash="x" * 64, expires_at="2030-01-01T00:00Z")
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    request = RequestFactory().get("/admin/")
    request.user = staff
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.has_add_permission(request):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            assert client.get(add).status_code == 200, add
        manager = getattr(model, "unscoped", model._default_manager)
        for row in manager.all()[:3]:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
            assert client.get(change).status_code == 200, change


def test_the_organisation_list_shows_both_networks(client, staff, world, other_world):
    client.force_login(staff)
    html = client.get("/admin/tenancy/organisation/").content.decode()
    assert world.organisation.name in html and other_world.organisation.name in html


def test_staff_can_move_a_group_to_another_organisation_of_its_network(client, staff, world):
    from tests.factories import make_organisation

    second = make_organisation(world.network, name="Second kommune")
    client.force_login(staff)
    response = client.post(
        reverse("admin:tenancy_leadergroup_change", args=[world.group.pk]),
        {"network": world.network.pk, "organisation": second.pk, "name": world.group.name,
         "language": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LeaderGroup.unscoped.get(pk=world.group.pk).organisation == second


def test_a_role_can_be_granted_in_the_admin(client, staff, world):
    person = make_person()
    client.force_login(staff)
    response = client.post(reverse("admin:tenancy_role_add"), {
        "person": person.pk, "kind": "coordinator", "network": world.network.pk,
        "organisation": world.organisation.pk, "leader_group": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Role.unscoped.filter(person=person, kind="coordinator").exists()


def test_a_person_added_in_the_admin_can_sign_in_with_a_code(client, staff):
    client.force_login(staff)
    client.post(reverse("admin:tenancy_person_add"), {
        "email": "added@test.example", "name": "Added Person",
        "password1": "bro-bridges-2026", "password2": "bro-bridges-2026"})
    person = Person.objects.get(email="added@test.example")
    assert EmailAddress.objects.filter(user=person, email="added@test.example").exists()


class TestNetworkLogo:
    def test_staff_upload_a_logo_and_the_network_pages_show_it(self, client, staff, world,
                                                               settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        network = world.network
        client.force_login(staff)
        response = save_network_in_admin(client, network, logo=SimpleUploadedFile(
            "logo.png", png_bytes(), content_type="image/png"))
        assert response.status_code == 302, response.content.decode()[:3000]
        network.refresh_from_db()
        assert network.logo

        logo = client.get(reverse("network_logo", args=[network.slug]))
        assert logo.status_code == 200
        assert logo.headers["Content-Type"] == "image/png"
        assert b"".join(logo.streaming_content) == png_bytes()

        client.force_login(world.leader)
        page = client.get(reverse("leader_home", args=[network.slug])).content.decode()
        assert f'src="/logos/{network.slug}/?v=' in page
        assert 'class="brand__logo"' in page

    def test_a_file_that_is_no_image_is_refused(self, client, staff, world, settings,
                                                tmp_path):
        settings.MEDIA_ROOT = tmp_path
        network = world.network
        client.force_login(staff)
        save_network_in_admin(client, network, logo=SimpleUploadedFile(
            "logo.svg", b"<svg onload='alert(1)'></svg>", content_type="image/svg+xml"))
        assert not Network.objects.get(pk=network.pk).logo

    def test_a_network_without_a_logo_has_none(self, client, world):
        assert client.get(reverse("network_logo", args=[world.network.slug])).status_code == 404
        assert client.get(reverse("network_logo", args=["no-such-network"])).status_code == 404
