from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from tenancy import emails, selectors
from tenancy.middleware import allow_form_action
from tenancy.translated import translated

register = template.Library()


@register.filter(name="tr")
def tr(value):
    """{{ activity.title|tr }}: the text in the active language (see tenancy.translated)."""
    return translated(value)


@register.filter
def role_in_sentence(kind):
    """{{ invitation.kind|role_in_sentence }}: "network admin", in lower case mid-sentence."""
    return emails.role_in_sentence(kind)


@register.simple_tag(takes_context=True)
def entra_buttons(context, process="login"):
    """The "Sign in with Microsoft (network)" buttons: every network with Entra ID on the
    sign-in page; on Profile (process "connect") only the person's own networks."""
    networks = None
    if process == "connect":
        networks = selectors.networks_of(context["request"].user)
    return [
        {"network": network,
         "url": reverse("openid_connect_login", kwargs={"provider_id": provider_id})}
        for network, provider_id in selectors.entra_sign_ins(networks)
    ]


@register.simple_tag(takes_context=True)
def network_sign_in_buttons(context, process="login"):
    """The buttons of the networks' own identity providers (ID-porten, MitID Erhverv, Feide).

    On the sign-in page only those of the network being signed in to: named by ?network=,
    by the network page that sent the person here (?next=/n/<slug>/…), or by the invitation
    just accepted. On Profile (process "connect") those of the person's own networks."""
    request = context["request"]
    if process == "connect":
        networks = selectors.networks_of(request.user)
    else:
        network = selectors.network_signing_in_to(request)
        networks = [network] if network else []
    buttons = [
        {"sign_in": sign_in, "network": network,
         "url": reverse("openid_connect_login", kwargs={"provider_id": sign_in.provider_id})}
        for network in networks for sign_in in selectors.network_sign_ins(network)
    ]
    for button in buttons:
        allow_form_action(request, button["sign_in"].server_url)
    return buttons


@register.filter
def must_use_mfa(person):
    """{% if user|must_use_mfa %}: network admins and platform staff keep their app."""
    from tenancy.services import person_must_use_mfa

    return person.is_authenticated and person_must_use_mfa(person)


ICONS = frozenset({
    "arrow-right", "calendar", "chart", "check", "clock", "cohort", "file", "fullscreen",
    "globe", "home", "mail", "rounds", "screen", "users", "alert", "settings"})


@register.simple_tag
def icon(name):
    """{% icon "calendar" %}: a symbol of static/icons/icons.svg, decorative only (the text
    beside it says what it means, so screen readers skip the icon)."""
    if name not in ICONS:
        raise ValueError(f"No icon {name!r} in static/icons/icons.svg")
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        static("icons/icons.svg"), name)
