import time
from datetime import datetime
from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.autoreload import file_changed
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from tenancy import emails, selectors
from tenancy.middleware import allow_form_action
from tenancy.translated import translated

register = template.Library()


@register.filter(name="tr")
def tr(value):
    """{{ activity.title|tr }}: the text in the active language (see tenancy.translated)."""
    return translated(value)


@register.simple_tag
def unix_time():
    """{% unix_time %}: seconds since 1970, as {% now "U" %} writes them without formatting a
    date in the active time zone first (every signed-in page writes it; issue 11)."""
    return str(int(time.time()))


@register.filter
def day(value):
    """{{ submitted_at|day }}: the date of a moment where the page is read (the active time
    zone) or a date, written as {{ value|date:"DATE_FORMAT" }} writes it; remembered per day
    and language (issue 11: formatting a date cost a busy page a tenth of a millisecond)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _day_text(value, translation.get_language())


@lru_cache(maxsize=1024)
def _day_text(date, language):
    with translation.override(language):
        return formats.date_format(date, "DATE_FORMAT")


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


# The layout's parts (templates/layout/: assets, brand, language picker, navigation, the
# signed-out notes, footer) depend on a few values only: each is rendered once per process and
# set of those values, and the request's CSRF token and address are put into the slots. Every
# HTML page pays the layout (README, "How fast").
CSRF_SLOT = "\x00csrf\x00"
NEXT_SLOT = "\x00next\x00"
NEXT_QUERY_SLOT = "\x00next-query\x00"


@lru_cache(maxsize=4096)
def layout_fragment(template_name, language, values):
    """The fragment as HTML with the slots in it; `values` is a tuple of (name, value)."""
    with translation.override(language):
        return render_to_string(
            template_name, {**dict(values), "available_languages": settings.LANGUAGES,
                            "csrf_input": CSRF_SLOT, "next": NEXT_SLOT,
                            "next_query": NEXT_QUERY_SLOT}).strip()


@receiver(setting_changed)
@receiver(file_changed)
def forget_layout_fragments(**kwargs):
    """A setting changed (tests) or runserver saw a template or a catalogue change."""
    layout_fragment.cache_clear()


def filled(context, template_name, **values):
    """The cached fragment with this request's CSRF token (as {% csrf_token %} writes it) and
    address (as {{ request.get_full_path }} and {{ request.get_full_path|urlencode }}) in it."""
    html = layout_fragment(template_name, translation.get_language(), tuple(values.items()))
    if CSRF_SLOT in html:  # the input is written only into a fragment with a form
        token = context.get("csrf_token")
        csrf_input = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                                 token) if token and token != "NOTPROVIDED" else ""
        html = html.replace(CSRF_SLOT, csrf_input)
    if NEXT_SLOT in html or NEXT_QUERY_SLOT in html:
        request = context.get("request")
        path = request.get_full_path() if request is not None else ""
        html = html.replace(NEXT_SLOT, conditional_escape(path)).replace(
            NEXT_QUERY_SLOT, conditional_escape(urlencode(path)))
    return mark_safe(html)  # rendered by a template; the slots escaped


@register.simple_tag(takes_context=True)
def fixed(context, template_name, **values):
    """{% fixed "app/page.html#part" name=value ... %}: a part of a page that depends only on
    the language and these values (names, numbers; never anyone's answers), rendered once per
    process for them as the layout's parts are (layout_fragment): for the fixed text of a
    busy page (issue 11)."""
    return filled(context, template_name, **values)


@register.simple_tag(takes_context=True)
def layout_assets(context):
    """The style sheet (and the network's colours) and the scripts every page loads."""
    network = context.get("current_network")
    return filled(context, "layout/assets.html",
                  network_slug=network.slug if network else None,
                  accent_colour=network.accent_colour if network else "")


@register.simple_tag(takes_context=True)
def brand(context):
    """The link home with the network's logo and name (or Bro's)."""
    network = context.get("current_network")
    return filled(context, "layout/brand.html",
                  network_slug=network.slug if network else None,
                  network_name=network.name if network else None,
                  logo_name=network.logo.name if network and network.logo else "")


@register.simple_tag(takes_context=True)
def signed_out_notes(context):
    """What static/js/drafts.js shows when a save finds the person signed out."""
    return filled(context, "layout/signed_out_notes.html")


@register.simple_tag(takes_context=True)
def language_picker(context):
    """One POST form with a button per language, the active one marked."""
    return filled(context, "layout/language_picker.html",
                  LANGUAGE_CODE=translation.get_language())


@register.simple_tag(takes_context=True)
def site_nav(context):
    """The signed-in person's navigation: their roles' pages in the current network, the
    current page marked."""
    network = context.get("current_network")
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return filled(context, "layout/site_nav.html",
                  network_slug=network.slug if network else None,
                  role_kinds=frozenset(context.get("current_role_kinds") or ()),
                  url_name=match.url_name if match else None,
                  is_staff=context["user"].is_staff)


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer: the privacy notice and accessibility statement of the network the page is
    of, or the site's own."""
    network = context.get("footer_network")
    return filled(context, "layout/site_footer.html",
                  network_slug=network.slug if network else None)
