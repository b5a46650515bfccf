from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_vary_headers

from tenancy import audit
from tenancy.languages import choose_language, supported
from tenancy.models import Network
from tenancy.roles import NetworkRoles
from tenancy.scoping import Scope, entered
from tenancy.services import person_needs_mfa

# The Django admin is for platform staff, who see every network; anyone else gets no scope
# there (the admin sends them to sign in, or refuses them, without reading tenant rows).
PLATFORM_WIDE_NAMESPACES = {"admin"}


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
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise Http404
        roles = NetworkRoles.of(request.user, network)
        if not roles and not request.user.is_staff:
            raise Http404
        request.network = request.tenant_scope.network = network
        request.roles = roles
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
        if person_needs_mfa(request.user):
            return redirect("mfa_activate_totp")
        return None
