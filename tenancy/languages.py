"""Which of nb, nn, da and en a person sees: their stored choice, then the picker's cookie, then
the network's default, then the browser's wish."""

from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

from tenancy.scoping import platform_wide

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# Browsers set to plain "Norwegian" say "no", which means Bokmål; "nn" is Nynorsk, Bro's own.
BROWSER_LANGUAGE_ALIASES = {"no": "nb"}


def supported(code):
    return code if code in LANGUAGE_CODES else None


def choose_language(request, network=None):
    person = getattr(request, "user", None)
    if person is not None and person.is_authenticated and supported(person.language):
        return person.language
    from_cookie = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if from_cookie:
        return from_cookie
    if network is not None:
        return network.default_language
    return language_from_browser(request) or settings.LANGUAGE_CODE


def language_from_browser(request):
    """The first language of Accept-Language (by preference) that Bro speaks, region and
    the aliases above aside: "nb-NO" and "no" give nb, "nn-NO" nn, "da-DK" da."""
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header):
        base = code.split("-")[0]
        language = supported(base) or supported(BROWSER_LANGUAGE_ALIASES.get(base))
        if language:
            return language
    return None


def person_language(person, network=None):
    """The language to write to a person in (emails, reports)."""
    if supported(person.language):
        return person.language
    if network is not None:
        return network.default_language
    return settings.LANGUAGE_CODE


def person_home_language(person):
    """The language for an email that belongs to no network (a sign-in code): the person's
    choice, else the default of the network they used last, else of one they belong to."""
    if supported(person.language):
        return person.language
    network = person.last_network
    if network is None:
        from tenancy.models import Role

        # Sign-in emails belong to no network; any network the person is in will do.
        with platform_wide():
            role = Role.objects.filter(person=person).select_related("network").first()
        network = role.network if role else None
    return person_language(person, network)
