from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tenancy import policies, selectors, services
from tenancy.languages import person_home_language
from tenancy.models import Person
from tenancy.services import person_must_use_mfa


class AccountAdapter(DefaultAccountAdapter):
    """Bro is by invitation only, and writes to each person in their own language."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        """The address the rate limits count (settings: TRUSTED_PROXY_COUNT). A request with
        fewer X-Forwarded-For entries than proxies came past them: its own address counts."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            return request.META["REMOTE_ADDR"]

    def send_mail(self, template_prefix, email, context):
        person = Person.objects.filter(email__iexact=email).select_related("last_network").first()
        language = person_home_language(person) if person else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Entra ID and the networks' identity providers sign in only accounts that were invited
    and then connected by their owner; a provider's email alone neither creates an account
    nor takes over an existing one (settings, SOCIALACCOUNT_EMAIL_AUTHENTICATION)."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        """The platform admin's social apps (Entra ID) and the networks' identity providers
        (ID-porten, MitID Erhverv, Feide), which network admins set up themselves."""
        return [*super().list_apps(request, provider=provider, client_id=client_id),
                *selectors.sign_in_apps(provider=provider, client_id=client_id)]

    def pre_social_login(self, request, sociallogin):
        sign_in = selectors.sign_in_of_provider(sociallogin.account.provider)
        if sign_in is None:
            return  # Entra ID: connected under Profile, then signs in (is_open_for_signup)
        if sociallogin.state.get("process") == "connect":
            person = request.user
        elif sociallogin.is_existing:
            person = sociallogin.user
        else:
            self._hold_for_invited_person(request, sign_in, sociallogin)
            return
        if not policies.may_sign_in_through(person, sign_in):
            self._refuse(request, sign_in, sociallogin, "other_network")

    def _hold_for_invited_person(self, request, sign_in, sociallogin):
        """An identity Bro does not know yet: connected to the person just invited, once they
        prove the invited address with a code; refused for anyone else."""
        email = services.invited_to(request.session, sign_in)
        if email is None:
            self._refuse(request, sign_in, sociallogin, "unknown")
        services.hold_identity(request.session, sign_in, sociallogin.account, email)
        messages.info(request, _(
            "One more step, only this first time: sign in with a code we send to %(email)s. "
            "From then on, %(provider)s signs you in.")
            % {"email": email, "provider": sign_in.display_name})
        raise ImmediateHttpResponse(redirect(
            reverse("account_request_login_code") + "?" + urlencode({"email": email})))

    def _refuse(self, request, sign_in, sociallogin, reason):
        email = next((address.email for address in sociallogin.email_addresses), "")
        services.record_refused_sign_in(sign_in, uid=sociallogin.account.uid, email=email,
                                        reason=reason)
        raise ImmediateHttpResponse(render(
            request, "tenancy/sign_in_refused.html",
            {"sign_in": sign_in, "reason": reason}, status=403))


class MFAAdapter(DefaultMFAAdapter):
    """Network admins and platform staff keep their authenticator app: they may not switch
    it off (RequireMFAMiddleware would only send them to set it up again)."""

    def can_delete_authenticator(self, authenticator):
        if authenticator.type == Authenticator.Type.TOTP and person_must_use_mfa(
                authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
