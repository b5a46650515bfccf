import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from tenancy import audit, logs
from tenancy.languages import choose_language, supported
from tenancy.models import Network
from tenancy.roles import NetworkRoles, every_role_of
from tenancy.scoping import Scope, entered
from tenancy.services import person_needs_mfa

# The Django admin is for platform staff, who see every network; anyone else gets no scope
# there (the admin sends them to sign in, or refuses them, without reading tenant rows).
PLATFORM_WIDE_NAMESPACES = {"admin"}


request_logger = logging.getLogger("bro.request")


class RequestIdMiddleware:
    """First of all middleware: gives the request its id (the proxy's X-Request-ID when
    well-formed, else a new one), which every log line of the request carries and the
    response's X-Request-ID header returns, then logs one line for the request: method, URL
    pattern (never the path itself, which may hold a link's token, nor the query string),
    status, time and network. Nothing about the person. README, "Operations"."""

    QUIET_ROUTES = {"healthz", "readyz"}  # a load balancer's probes, every few seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = logs.request_id_from(request.headers.get("X-Request-ID", ""))
        started = time.monotonic()
        with logs.log_context(request_id=request.request_id):
            response = self.get_response(request)
            self._log(request, response, started)
        response["X-Request-ID"] = request.request_id
        return response

    def _log(self, request, response, started):
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else logs.scrub(request.path)
        network = getattr(request, "network", None)
        level = logging.DEBUG if route in self.QUIET_ROUTES else logging.INFO
        request_logger.log(
            level, "%s %s %s", request.method, route, response.status_code,
            extra={"method": request.method, "route": route, "status": response.status_code,
                   "network": network.slug if network is not None else None,
                   "duration_ms": round((time.monotonic() - started) * 1000)})


class QueueTimeoutMiddleware:
    """Answers 503 at once, before any session or database work, a request that waited in
    the proxy's queue longer than settings.REQUEST_QUEUE_TIMEOUT seconds: its browser has
    most likely given up, and working on it would only make everyone behind it wait longer
    (issue 11). The proxy stamps when it received the request in X-Request-Start ("t=" and
    seconds, milli- or microseconds since the epoch, as nginx, Heroku and others write it);
    without the header nothing happens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        waited = _seconds_in_queue(request.headers.get("X-Request-Start", ""), time.time())
        if waited is not None and waited > settings.REQUEST_QUEUE_TIMEOUT > 0:
            translation.activate(choose_language(request))
            response = HttpResponse(
                _("Bro is very busy right now. Please try again in a moment."),
                status=503, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = "10"
            return response
        return self.get_response(request)


def _seconds_in_queue(stamp, now):
    """Seconds since the proxy's stamp, or None for a stamp that cannot be read."""
    try:
        started = float(stamp.removeprefix("t="))
    except ValueError:
        return None
    while started > now * 100:  # milli- or microseconds
        started /= 1000
    return now - started


class NetworkMiddleware:
    """Resolves /n/<network_slug>/… into request.network and request.roles, and runs the
    whole request (view, template rendering, a streamed body) in that network's scope
    (tenancy/scoping.py). Outside a network, tenant queries need platform_wide().

    The slug is taken out of the view's arguments, so views receive only their own ids.
    A network the person holds no role in answers 404, exactly like one that does not exist.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.network = None
        request.roles = NetworkRoles(request.user, None)
        request.tenant_scope = Scope()
        with entered(request.tenant_scope), audit.acting(request.user):
            response = self.get_response(request)
        _allow_sign_in_forms(request, response)
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _streamed_in(
                request.tenant_scope, response.streaming_content)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (PLATFORM_WIDE_NAMESPACES.intersection(request.resolver_match.namespaces)
                and request.user.is_active and request.user.is_staff):
            request.tenant_scope.platform_wide = True
        slug = view_kwargs.pop("network_slug", None)
        if slug is None:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        every_role = every_role_of(request)
        network = next((role.network for role in every_role if role.network.slug == slug),
                       None) or Network.objects.filter(slug=slug).first()
        if network is None:
            raise Http404
        roles = NetworkRoles.among(request.user, network, every_role)
        if not roles and not request.user.is_staff:
            raise Http404
        request.network = request.tenant_scope.network = network
        request.roles = roles
        logs.bind(network=network.slug)
        if not roles:
            _record_staff_entering(request, network)
        if request.user.last_network_id != network.pk:
            request.user.last_network = network
            request.user.save(update_fields=["last_network"])
        return None


def allow_form_action(request, url):
    """A page with a button that posts to a network's identity provider: allauth answers the
    post with a redirect to the provider (its host or a subdomain, as login.idporten.no for
    the issuer idporten.no), which the page's Content-Security-Policy must let through."""
    host = urlsplit(url).netloc
    request.sign_in_origins = {*getattr(request, "sign_in_origins", ()),
                               f"https://{host}", f"https://*.{host}"}


def _allow_sign_in_forms(request, response):
    origins = getattr(request, "sign_in_origins", None)
    if origins:  # read by ContentSecurityPolicyMiddleware, which comes before this one
        response._csp_config = {**settings.SECURE_CSP, "form-action": [
            *settings.SECURE_CSP["form-action"], *sorted(origins)]}


def _record_staff_entering(request, network):
    """Platform staff in a network they hold no role in: recorded once per session and
    network, not on every page they open there."""
    entered_networks = request.session.get("audit_staff_entered", [])
    if network.pk in entered_networks:
        return
    audit.record(audit.EventKind.STAFF_ENTERED, network=network, target=network)
    request.session["audit_staff_entered"] = [*entered_networks, network.pk]


def _streamed_in(scope, chunks):
    """A streamed body is made after the middleware returned: each chunk in the scope again."""
    chunks = iter(chunks)
    while True:
        with entered(scope):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


class LanguageMiddleware:
    """Activates the person's language (see tenancy.languages) for every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._activate(request, None)
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.network is not None:
            self._activate(request, request.network)
        elif self._falls_back_to_a_network(request):
            # Outside a network (Profile, sign-in and MFA pages) a person who never chose a
            # language keeps the one of the network they used last.
            self._activate(request, request.user.last_network)

    @staticmethod
    def _falls_back_to_a_network(request):
        person = request.user
        return (person.is_authenticated and person.last_network_id is not None
                and not supported(person.language)
                and not supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)))

    @staticmethod
    def _activate(request, network):
        language = choose_language(request, network)
        translation.activate(language)
        request.LANGUAGE_CODE = language


class RequireMFAMiddleware:
    """Network admins and platform staff set up an authenticator app before anything else."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/language/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or request.path.startswith(self.ALLOWED_PREFIXES):
            return None
        if person_needs_mfa(request.user, every_role_of(request)):
            return redirect("mfa_activate_totp")
        return None
