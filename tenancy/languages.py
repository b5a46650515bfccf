"""Which of nb, da and en a person sees: their stored choice, then the picker's cookie, then
the network's default, then the browser's wish."""

from django.conf import settings
from django.utils import translation

from tenancy.scoping import platform_wide

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


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
    from_browser = translation.get_language_from_request(request)
    return supported(from_browser) or settings.LANGUAGE_CODE


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
