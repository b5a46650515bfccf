"""Every email Bro sends: in the recipient's language, with a plain-text and an HTML part,
naming the network it comes from."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


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
        subject=" ".join(subject.split()), body=text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    message.send()
    return message
