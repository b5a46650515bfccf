"""Revoking an invitation not yet accepted: who may, what the link then says, and the trail."""

import pytest
from django.core import mail
from django.urls import reverse

from tenancy.audit import AuditEvent, EventKind
from tenancy.models import Invitation, RoleKind
from tenancy.services import create_invitation, revoke_invitation
from tenancy.tasks import send_invitation_email
from tests.factories import make_organisation, world_invitation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def revoke_url(world, invitation):
    return reverse("revoke_invitation", args=[world.network.slug, invitation.pk])


def invite(world, django_capture_on_commit_callbacks, **fields):
    fields = {"email": "ola@test.example", "kind": RoleKind.LEADER, "language": "en",
              "organisation": world.organisation, "leader_group": world.group,
              "invited_by": world.coordinator, **fields}
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = create_invitation(world.network, **fields)
    return invitation, token


def test_the_admin_revokes_from_manage_and_the_link_then_says_so(
        client, world, django_capture_on_commit_callbacks):
    invitation, token = invite(world, django_capture_on_commit_callbacks)
    client.force_login(world.admin)
    manage = reverse("manage_dashboard", args=[world.network.slug])
    page = client.get(manage).content.decode()
    assert f'action="{revoke_url(world, invitation)}"' in page
    assert 'aria-label="Revoke the invitation to ola@test.example"' in page

    response = client.post(revoke_url(world, invitation), {"next": manage}, follow=True)
    assert response.redirect_chain == [(manage, 302)]
    page = response.content.decode()
    assert "The invitation to ola@test.example is revoked: its link no longer works." in page
    assert "ola@test.example</td>" not in page  # no longer among the pending ones

    client.logout()
    link = reverse("accept_invitation", args=[token])
    for answer in (client.get(link), client.post(link)):
        assert answer.status_code == 410
        assert "The invitation has been withdrawn." in answer.content.decode()
    assert not Invitation.objects.for_network(world.network).get(pk=invitation.pk).accepted_at

    [event] = AuditEvent.objects.for_network(world.network).filter(
        kind=EventKind.INVITATION_REVOKED)
    assert (event.actor_id, event.target_id, event.target_label, event.details) == (
        world.admin.pk, invitation.pk, "ola@test.example", {"role": "leader"})


def test_a_coordinator_revokes_leader_invitations_of_their_own_organisation_only(
        client, world, django_capture_on_commit_callbacks):
    own = world_invitation(world)
    colleague, _token = invite(world, django_capture_on_commit_callbacks,
                               email="kari@test.example", kind=RoleKind.COORDINATOR,
                               leader_group=None, invited_by=world.admin)
    elsewhere = make_organisation(world.network)
    other_org, _token = invite(world, django_capture_on_commit_callbacks,
                               email="per@test.example", organisation=elsewhere,
                               leader_group=None)
    client.force_login(world.coordinator)
    for invitation in (colleague, other_org):
        assert client.post(revoke_url(world, invitation)).status_code == 404
    organisation_page = reverse("organisation_detail",
                                args=[world.network.slug, world.organisation.pk])
    assert f'action="{revoke_url(world, own)}"' in client.get(organisation_page).content.decode()
    response = client.post(revoke_url(world, own), {"next": organisation_page})
    assert response["Location"] == organisation_page
    assert client.post(revoke_url(world, own)).status_code == 404  # already revoked
    revoked = Invitation.objects.for_network(world.network).filter(revoked_at__isnull=False)
    assert list(revoked) == [own]
    assert AuditEvent.objects.for_network(world.network).filter(
        kind=EventKind.INVITATION_REVOKED).count() == 1


def test_others_get_404(client, world, other_world):
    invitation = world_invitation(world)
    for person in (world.leader, world.facilitator, other_world.admin):
        client.force_login(person)
        assert client.post(revoke_url(world, invitation)).status_code == 404
    client.force_login(other_world.admin)
    assert client.post(reverse("revoke_invitation", args=[other_world.network.slug,
                                                          invitation.pk])).status_code == 404
    assert Invitation.objects.for_network(world.network).get(pk=invitation.pk).revoked_at is None


def test_an_accepted_invitation_cannot_be_revoked(client, world,
                                                  django_capture_on_commit_callbacks):
    invitation, token = invite(world, django_capture_on_commit_callbacks)
    client.post(reverse("accept_invitation", args=[token]))
    client.force_login(world.admin)
    assert client.post(revoke_url(world, invitation)).status_code == 404


def test_a_revoked_invitation_is_never_emailed(world):
    invitation = world_invitation(world)
    revoke_invitation(invitation, revoked_by=world.admin)
    mail.outbox.clear()
    send_invitation_email(invitation.pk, "any-token")
    assert mail.outbox == []
