"""Every email Bro sends: in the recipient's language, with a plain-text and an HTML part,
naming the network it comes from, also as the sender ("Digi Agder via Bro")."""

from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tenancy.models import ROLE_PRIORITY, Role, RoleKind

# Sent with the invitation being emailed; upper apps (cohorts) answer with what the email says
# about the programme and its next gathering, as a dict for the templates' context.
invitation_details = Signal()


def sender(network):
    """DEFAULT_FROM_EMAIL's address with the network's name: "Digi Agder via Bro <…>"."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if network is None:
        return settings.DEFAULT_FROM_EMAIL
    return str(Address(display_name=f"{network.name} via Bro", addr_spec=address))


def role_in_sentence(kind):
    """A role's name as it stands mid-sentence ("as network admin"): in lower case, as
    Norwegian, Danish and English write role names inside a sentence."""
    return str(RoleKind(kind).label).lower()


def inviter_role(invitation):
    """The role the inviter holds in the invitation's network that the email names (the
    highest), or None (platform staff, or an inviter since deleted)."""
    if invitation.invited_by_id is None:
        return None
    kinds = set(Role.objects.for_network(invitation.network_id)
                .filter(person_id=invitation.invited_by_id).values_list("kind", flat=True))
    return next((kind for kind in ROLE_PRIORITY if kind in kinds), None)


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def send_email(*, to, template, context, language, network, headers=None):
    """Render emails/<template>_subject.txt, _body.txt and _body.html and send them."""
    context = {**context, "network": network, "site_url": settings.SITE_URL}
    if network is not None:
        context["privacy_url"] = absolute_url(
            reverse("privacy_notice", kwargs={"slug": network.slug}))
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[to], headers=headers or {},
        from_email=sender(network))
    message.attach_alternative(html, "text/html")
    message.send()
    return message
