from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

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
    """Entra ID signs in only accounts that were invited and then connected by their owner;
    an Entra email alone neither creates an account nor takes over an existing one."""

    def is_open_for_signup(self, request, sociallogin):
        return False


class MFAAdapter(DefaultMFAAdapter):
    """Network admins and platform staff keep their authenticator app: they may not switch
    it off (RequireMFAMiddleware would only send them to set it up again)."""

    def can_delete_authenticator(self, authenticator):
        if authenticator.type == Authenticator.Type.TOTP and person_must_use_mfa(
                authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
