"""Keep allauth's email address row in step with each person, and speak their language from
the moment they sign in.

allauth verifies an address when a sign-in code sent to it is entered, but only if the row
exists; people created in the admin or by other code would otherwise be asked to confirm
their address by a second email before their first sign-in."""

from allauth.account.models import EmailAddress
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation

from tenancy.languages import choose_language
from tenancy.models import Person


@receiver(post_save, sender=Person, dispatch_uid="tenancy.person_email_address")
def ensure_email_address(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    if not EmailAddress.objects.filter(email__iexact=instance.email).exists():
        EmailAddress.objects.create(
            user=instance, email=instance.email, primary=True, verified=False)


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
