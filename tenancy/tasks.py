from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from tenancy.emails import absolute_url, invitation_details, inviter_role, send_email
from tenancy.models import Invitation
from tenancy.scoping import in_network_of_row


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id, token):
    """Email one invitation link; sending it again after a retry is harmless (same link)."""
    _send_invitation_email(invitation_id, token)


@in_network_of_row(Invitation)
def _send_invitation_email(invitation_id, token):
    invitation = Invitation.objects.select_related("network", "invited_by").get(pk=invitation_id)
    if invitation.accepted_at or invitation.revoked_at:
        return
    context = {"invitation": invitation, "inviter_role": inviter_role(invitation),
               "accept_url": absolute_url(reverse("accept_invitation", args=[token]))}
    for _receiver, details in invitation_details.send(sender=Invitation, invitation=invitation):
        context.update(details or {})
    send_email(to=invitation.email, template="invitation", language=invitation.language,
               network=invitation.network, context=context)
    Invitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now())
