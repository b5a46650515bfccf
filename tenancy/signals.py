"""Keep allauth's email address row in step with each person.

allauth verifies an address when a sign-in code sent to it is entered, but only if the row
exists; people created in the admin or by other code would otherwise be asked to confirm
their address by a second email before their first sign-in."""

from allauth.account.models import EmailAddress
from django.db.models.signals import post_save
from django.dispatch import receiver

from tenancy.models import Person


@receiver(post_save, sender=Person, dispatch_uid="tenancy.person_email_address")
def ensure_email_address(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    if not EmailAddress.objects.filter(email__iexact=instance.email).exists():
        EmailAddress.objects.create(
            user=instance, email=instance.email, primary=True, verified=False)
