"""Keep allauth's email address row in step with each person, speak their language from the
moment they sign in, and record sign-ins, failed sign-ins and authenticator app changes in
the audit trail (platform events: they belong to no network); and count every connection's
writes for the parts of pages kept under the data's generation (tenancy.generations).

allauth verifies an address when a sign-in code sent to it is entered, but only if the row
exists; people created in the admin or by other code would otherwise be asked to confirm
their address by a second email before their first sign-in."""

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.account.signals import login_code_rejected
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.backends.signals import connection_created
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import translation

from tenancy import audit, generations, selectors, services, sessions
from tenancy.languages import choose_language
from tenancy.models import Person


@receiver(connection_created, dispatch_uid="tenancy.track_writes")
def track_writes(sender, connection, **kwargs):
    generations.install(connection)


@receiver(post_save, sender=Person, dispatch_uid="tenancy.person_email_address")
def ensure_email_address(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    if not EmailAddress.objects.filter(email__iexact=instance.email).exists():
        EmailAddress.objects.create(
            user=instance, email=instance.email, primary=True, verified=False)


@receiver(pre_save, sender=SocialAccount, dispatch_uid="tenancy.label_claims_only")
def keep_only_label_claims(sender, instance, raw=False, **kwargs):
    """allauth stores every claim of a sign-in; for a network's identity provider Bro keeps
    only those that label the identity (no national identity numbers)."""
    if not raw and selectors.sign_in_of_provider(instance.provider) is not None:
        instance.extra_data = services.label_claims_only(instance.extra_data)


@receiver(user_logged_in, dispatch_uid="tenancy.language_on_sign_in")
def speak_the_persons_language(sender, request, user, **kwargs):
    """What is written right after sign-in (allauth's "signed in as …") is in the person's
    language, not in the language the anonymous sign-in page was shown in."""
    if request is None:
        return
    network = user.last_network or next(
        (role.network for role in user.roles.select_related("network")[:1]), None)
    language = choose_language(request, network)
    translation.activate(language)
    request.LANGUAGE_CODE = language


@receiver(user_logged_in, dispatch_uid="tenancy.session_clock")
def start_session_clock(sender, request, user, **kwargs):
    """The idle and absolute session limits (tenancy/sessions.py) count from here."""
    if request is not None:
        sessions.start_session(request.session, user)


@receiver(user_logged_in, dispatch_uid="tenancy.connect_held_identity")
def connect_held_identity(sender, request, user, **kwargs):
    """Signing in with a code right after an unknown ID-porten (MitID Erhverv, Feide)
    identity came back for an invitation connects that identity (services)."""
    if request is not None:
        services.connect_held_identity(request.session, user)


@receiver(user_logged_in, dispatch_uid="tenancy.audit_sign_in")
def record_sign_in(sender, request, user, **kwargs):
    """A platform event; a sign-in through a network's identity provider is recorded in that
    network, with the provider, so the network admin sees it in the trail."""
    steps = get_authentication_records(request, user) if request is not None else []
    first_step = next((step for step in steps if step.get("method") != "mfa"), {})
    sign_in = None
    if first_step.get("method") == "socialaccount":
        sign_in = selectors.sign_in_of_provider(first_step.get("provider", ""))
    if sign_in is None:
        audit.record(audit.EventKind.SIGNED_IN, actor=user, target=user)
    else:
        audit.record(audit.EventKind.SIGNED_IN, network=sign_in.network, actor=user,
                     target=user, method=sign_in.kind, provider=sign_in.display_name)

@receiver(user_login_failed, dispatch_uid="tenancy.audit_password_failed")
def record_wrong_password(sender, credentials, request=None, **kwargs):
    """A wrong password (Django masks it in `credentials`); the account, if the email has one."""
    email = credentials.get("email") or credentials.get("username") or ""
    person = Person.objects.filter(email__iexact=email).first() if email else None
    audit.record(audit.EventKind.SIGN_IN_FAILED, actor=person, target=person,
                 target_label=str(email), method="password")


@receiver(login_code_rejected, dispatch_uid="tenancy.audit_code_failed")
def record_wrong_code(sender, request, user, **kwargs):
    audit.record(audit.EventKind.SIGN_IN_FAILED, actor=user, target=user, method="code")


@receiver(mfa_signals.authentication_failed, dispatch_uid="tenancy.audit_mfa_failed")
def record_wrong_authenticator_code(sender, request, user, authenticator=None, **kwargs):
    audit.record(audit.EventKind.SIGN_IN_FAILED, actor=user, target=user,
                 method="authenticator")


# Recovery codes come and go with the app itself (MFA_SUPPORTED_TYPES): the app is what is
# worth recording.


@receiver(mfa_signals.authenticator_added, dispatch_uid="tenancy.audit_mfa_added")
def record_authenticator_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        audit.record(audit.EventKind.MFA_ACTIVATED, actor=user, target=user,
                     type=authenticator.type)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="tenancy.audit_mfa_removed")
def record_authenticator_removed(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        audit.record(audit.EventKind.MFA_DEACTIVATED, actor=user, target=user,
                     type=authenticator.type)
