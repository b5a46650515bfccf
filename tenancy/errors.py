"""Error pages (400, 403, 404, 500 and a refused form) in Bro's layout and the person's language.

The server error page reads nothing from the database, the session or the signed-in person:
it is what people see when the database is down. It takes the language the request already
chose (tenancy.middleware.LanguageMiddleware), else the picker's cookie, else the browser's."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from tenancy.languages import language_from_browser, supported


def error_language(request):
    """The page's language, decided without the database."""
    return (
        supported(getattr(request, "LANGUAGE_CODE", None))
        or supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        or language_from_browser(request)
        or settings.LANGUAGE_CODE
    )


def _render(request, template, status, *, with_request=True):
    """The page with the request's context (the person's menu) where that works, else the
    plain layout: an error page must not fail in turn."""
    with translation.override(error_language(request)):
        html = None
        if with_request:
            try:
                html = render_to_string(template, request=request)
            except Exception:  # whatever broke the page may break its menu too
                html = None
        if html is None:
            html = render_to_string(template, {"plain_layout": True})
        response = HttpResponse(html, status=status)
        response.headers["Content-Language"] = translation.get_language()
    return response


def bad_request(request, exception):
    return _render(request, "errors/400.html", 400)


def permission_denied(request, exception):
    return _render(request, "errors/403.html", 403)


def page_not_found(request, exception):
    return _render(request, "errors/404.html", 404)


def server_error(request):
    return _render(request, "errors/500.html", 500, with_request=False)


def csrf_failure(request, reason=""):
    return _render(request, "errors/csrf.html", 403)
