"""Invitations: who may invite whom, the email, and the one-time link."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tenancy.models import Invitation, Person, Role, RoleKind
from tenancy.services import create_invitation
from tests.factories import make_group, make_organisation, make_person, sign_in_with_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _visitors_chose_english(client, settings):
    """The visitors here picked English, so the texts asserted stay as written (an invitation
    is otherwise shown in its own language: tests/tenancy/test_languages_pages.py)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def manage_url(world):
    return reverse("manage_dashboard", args=[world.network.slug])


def organisation_url(world, organisation=None):
    return reverse("organisation_detail",
                   args=[world.network.slug, (organisation or world.organisation).pk])


def invite_staff(client, world, **fields):
    data = {"name": "Kari Nordmann", "email": "kari@test.example",
            "kind": RoleKind.COORDINATOR, "organisation": world.organisation.pk,
            "language": "nb", **fields}
    return client.post(manage_url(world), {
        "invite": "1", **{f"invite-{key}": value for key, value in data.items()}})


def invite_leader(client, world, organisation=None, **fields):
    data = {"invite": "1", "invite-name": "Ola Nordmann", "invite-email": "ola@test.example",
            "invite-title": "kommunalsjef", "invite-leader_group": world.group.pk,
            "invite-language": "nb", **fields}
    return client.post(organisation_url(world, organisation), data)


def link_from(message):
    match = re.search(r"http://[^\s]+/invitations/[^\s/]+/", message.body)
    assert match, message.body
    return match.group(0).split("127.0.0.1:8000", 1)[-1]


def invitation_for(world, email):
    return Invitation.objects.for_network(world.network).get(email=email)


@pytest.fixture
def invited(world, django_capture_on_commit_callbacks):
    """A leader invitation from the coordinator, with its link."""
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = create_invitation(
            world.network, email="ola@test.example", name="Ola Nordmann",
            kind=RoleKind.LEADER, leader_group=world.group, organisation=world.organisation,
            invited_by=world.coordinator, language="nb")
    return reverse("accept_invitation", args=[token])


class TestWhoInvitesWhom:
    def test_a_network_admin_invites_a_coordinator_of_an_organisation(
            self, client, world, django_capture_on_commit_callbacks):
        client.force_login(world.admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = invite_staff(client, world)
        assert response.status_code == 302
        invitation = invitation_for(world, "kari@test.example")
        assert (invitation.kind, invitation.organisation) == (RoleKind.COORDINATOR,
                                                              world.organisation)
        assert invitation.invited_by == world.admin
        assert "kari@test.example" in client.get(manage_url(world)).content.decode()

    @pytest.mark.parametrize("kind", [RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN])
    def test_a_network_admin_invites_facilitators_and_admins(
            self, client, world, kind, django_capture_on_commit_callbacks):
        client.force_login(world.admin)
        with django_capture_on_commit_callbacks(execute=True):
            invite_staff(client, world, kind=kind, organisation="")
        assert invitation_for(world, "kari@test.example").kind == kind

    def test_a_coordinator_needs_an_organisation(self, client, world):
        client.force_login(world.admin)
        response = invite_staff(client, world, organisation="")
        assert response.status_code == 200
        assert 'id="id_invite-organisation_error"' in response.content.decode()
        assert not Invitation.objects.for_network(world.network).exists()

    def test_an_organisation_of_another_network_is_refused(self, client, world, other_world):
        client.force_login(world.admin)
        response = invite_staff(client, world, organisation=other_world.organisation.pk)
        assert response.status_code == 200
        assert not Invitation.objects.for_network(world.network).exists()

    def test_a_coordinator_invites_a_leader_into_a_group_of_their_organisation(
            self, client, world, django_capture_on_commit_callbacks):
        client.force_login(world.coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            response = invite_leader(client, world)
        assert response.status_code == 302
        invitation = invitation_for(world, "ola@test.example")
        assert (invitation.kind, invitation.leader_group, invitation.title) == (
            RoleKind.LEADER, world.group, "kommunalsjef")
        assert "ola@test.example" in client.get(organisation_url(world)).content.decode()

    def test_a_coordinator_cannot_invite_into_another_organisations_group(self, client, world):
        elsewhere = make_organisation(world.network)
        foreign_group = make_group(world.network, elsewhere)
        client.force_login(world.coordinator)
        response = invite_leader(client, world, **{"invite-leader_group": foreign_group.pk})
        assert response.status_code == 200
        assert 'id="id_invite-leader_group_error"' in response.content.decode()
        assert invite_leader(client, world, organisation=elsewhere,
                             **{"invite-leader_group": foreign_group.pk}).status_code == 404
        assert not Invitation.objects.for_network(world.network).exists()

    def test_a_coordinator_cannot_invite_staff(self, client, world):
        client.force_login(world.coordinator)
        assert invite_staff(client, world).status_code == 404

    @pytest.mark.parametrize("role", ["leader", "facilitator"])
    def test_leaders_and_facilitators_cannot_invite(self, client, world, role):
        client.force_login(world.person(role))
        assert invite_leader(client, world).status_code == 404
        assert invite_staff(client, world).status_code == 404
        assert not Invitation.objects.for_network(world.network).exists()


class TestTheEmail:
    def test_it_is_sent_only_once_the_invitation_is_committed(
            self, client, world, django_capture_on_commit_callbacks):
        client.force_login(world.admin)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            invite_staff(client, world)
        assert mail.outbox == []
        assert len(callbacks) == 1
        callbacks[0]()
        assert len(mail.outbox) == 1
        assert invitation_for(world, "kari@test.example").sent_at is not None

    def test_it_names_the_network_with_a_text_and_an_html_part(self, world, invited):
        message = mail.outbox[-1]
        assert message.to == ["ola@test.example"]
        assert world.network.name in message.subject
        assert world.network.name in message.body
        assert world.group.name in message.body
        html = message.alternatives[0][0]
        assert message.alternatives[0][1] == "text/html"
        assert world.network.name in html
        assert f'href="http://127.0.0.1:8000{invited}"' in html
        assert link_from(message) == invited


class TestTheLink:
    def test_looking_at_the_link_does_not_use_it(self, client, world, invited):
        for _visit in range(3):  # mail scanners open links too
            page = client.get(invited)
            assert page.status_code == 200
        assert world.network.name in page.content.decode()
        assert invitation_for(world, "ola@test.example").accepted_at is None
        assert not Person.objects.filter(email="ola@test.example").exists()

    def test_it_works_once(self, client, world, invited):
        assert client.post(invited).status_code == 302
        again = client.post(invited)
        assert again.status_code == 410
        assert "already been accepted" in again.content.decode()
        assert client.get(invited).status_code == 410

    def test_it_expires_after_fourteen_days(self, client, world, invited):
        invitation = invitation_for(world, "ola@test.example")
        lifetime = invitation.expires_at - invitation.created_at
        assert abs(lifetime - timedelta(days=14)) < timedelta(seconds=5)
        Invitation.objects.for_network(world.network).update(
            expires_at=timezone.now() - timedelta(minutes=1))
        for response in (client.get(invited), client.post(invited)):
            assert response.status_code == 410
            assert "expired" in response.content.decode()
        assert not Person.objects.filter(email="ola@test.example").exists()

    def test_an_unknown_link_is_not_found(self, client, db):
        response = client.get(reverse("accept_invitation", args=["not-a-token"]))
        assert response.status_code == 404
        assert "We do not know this link" in response.content.decode()


class TestAccepting:
    def test_a_new_person_is_created_verified_and_bound_to_network_group_and_role(
            self, client, world, invited):
        response = client.post(invited)
        person = Person.objects.get(email="ola@test.example")
        assert (person.name, person.title, person.language) == ("Ola Nordmann", "", "nb")
        assert EmailAddress.objects.get(user=person).verified
        role = Role.objects.for_network(world.network).get(person=person)
        assert (role.kind, role.leader_group) == (RoleKind.LEADER, world.group)
        assert person.last_network == world.network
        assert "_auth_user_id" not in client.session
        assert response.headers["Location"] == (
            reverse("account_request_login_code")
            + f"?email=ola%40test.example&network={world.network.slug}")

    def test_the_sign_in_page_after_accepting_has_the_email_filled_in(self, client, invited):
        page = client.post(invited, follow=True)
        html = page.content.decode()
        assert 'value="ola@test.example"' in html
        assert "Welcome to" in html

    def test_the_new_person_then_signs_in_with_a_code_and_lands_in_their_group(
            self, client, world, invited):
        client.post(invited)
        response = sign_in_with_code(client, "ola@test.example")
        assert response.resolver_match.url_name == "leader_home"
        assert world.group.name in response.content.decode()

    def test_an_existing_account_is_reused_whatever_the_case_of_the_email(
            self, client, world, other_world, django_capture_on_commit_callbacks):
        existing = other_world.leader
        with django_capture_on_commit_callbacks(execute=True):
            _invitation, token = create_invitation(
                world.network, email=existing.email.upper(), kind=RoleKind.FACILITATOR,
                invited_by=world.admin, language="en")
        people = Person.objects.count()
        response = client.post(reverse("accept_invitation", args=[token]))
        assert Person.objects.count() == people
        assert Role.objects.for_network(world.network).get(person=existing).kind == (
            RoleKind.FACILITATOR)
        assert Role.objects.for_network(other_world.network).filter(person=existing).exists()
        assert "_auth_user_id" not in client.session  # the link never signs anyone in
        assert response.headers["Location"].startswith(reverse("account_request_login_code"))

    def test_an_invited_network_admin_must_still_set_up_the_app(
            self, client, world, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            _invitation, token = create_invitation(
                world.network, email="new.admin@test.example", kind=RoleKind.NETWORK_ADMIN,
                invited_by=world.admin, language="nb")
        client.post(reverse("accept_invitation", args=[token]))
        response = sign_in_with_code(client, "new.admin@test.example")
        assert response.resolver_match.url_name == "mfa_activate_totp"

    def test_a_person_signed_in_as_themselves_goes_straight_to_the_network(
            self, client, world, other_world, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            _invitation, token = create_invitation(
                world.network, email=other_world.coordinator.email, kind=RoleKind.FACILITATOR,
                invited_by=world.admin, language="en")
        client.force_login(other_world.coordinator)
        response = client.post(reverse("accept_invitation", args=[token]), follow=True)
        assert response.resolver_match.url_name == "facilitator_home"
        assert response.context["user"] == other_world.coordinator

    def test_someone_else_signed_in_is_warned_and_signed_out(self, client, world, invited):
        client.force_login(world.facilitator)
        assert "You are signed in as" in client.get(invited).content.decode()
        client.post(invited)
        assert "_auth_user_id" not in client.session
        assert not Role.objects.for_network(world.network).filter(
            person=world.facilitator, kind=RoleKind.LEADER).exists()

    def test_accepting_twice_at_the_same_time_binds_once(self, world, invited):
        from tenancy.services import InvitationUnusable, accept_invitation

        token = invited.rstrip("/").rsplit("/", 1)[-1]
        accept_invitation(token)
        with pytest.raises(InvitationUnusable):
            accept_invitation(token)
        assert Role.objects.for_network(world.network).filter(
            person__email="ola@test.example").count() == 1


def test_the_pending_list_of_a_coordinator_shows_only_their_organisation(
        client, world, django_capture_on_commit_callbacks):
    elsewhere = make_organisation(world.network)
    with django_capture_on_commit_callbacks(execute=True):
        create_invitation(world.network, email="mine@test.example", kind=RoleKind.LEADER,
                          leader_group=world.group, organisation=world.organisation,
                          invited_by=world.admin, language="nb")
        create_invitation(world.network, email="theirs@test.example", kind=RoleKind.LEADER,
                          leader_group=make_group(world.network, elsewhere),
                          organisation=elsewhere, invited_by=world.admin, language="nb")
    client.force_login(world.coordinator)
    html = client.get(organisation_url(world)).content.decode()
    assert "mine@test.example" in html and "theirs@test.example" not in html


def test_an_existing_person_keeps_their_name_and_language(
        client, world, django_capture_on_commit_callbacks):
    person = make_person(name="Kari Original", language="da")
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = create_invitation(
            world.network, email=person.email, name="Other Name", kind=RoleKind.FACILITATOR,
            invited_by=world.admin, language="nb")
    client.post(reverse("accept_invitation", args=[token]))
    person.refresh_from_db()
    assert (person.name, person.language) == ("Kari Original", "da")


def test_a_network_admin_adds_an_organisation_next_to_the_invitation_form(client, world):
    from tenancy.models import Organisation

    client.force_login(world.admin)
    page = client.get(manage_url(world)).content.decode()
    ids = re.findall(r' id="(id_[^"]+)"', page)
    assert len(ids) == len(set(ids)), "two fields share an id, so a label names the wrong one"
    response = client.post(manage_url(world), {
        "add_organisation": "1", "organisation-name": "Grimstad kommune",
        "organisation-org_number": "964977402"})
    assert response.status_code == 302
    assert Organisation.objects.for_network(world.network).filter(
        name="Grimstad kommune").exists()
    again = client.post(manage_url(world), {
        "add_organisation": "1", "organisation-name": "grimstad KOMMUNE"})
    assert 'id="id_organisation-name_error"' in again.content.decode()
