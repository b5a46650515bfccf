from django import forms
from django.utils.translation import gettext_lazy as _

from gdpr import selectors


class EraseMyDataForm(forms.Form):
    """The person types their own email address: erasure cannot be undone."""

    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Type it to confirm that you want your data erased."),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.person.email.lower():
            raise forms.ValidationError(_("This is not the email address you sign in with."))
        return email


class ErasePersonForm(forms.Form):
    """A network admin names the person by their email address; a second press confirms."""

    email = forms.EmailField(label=_("The person's email address"))

    def __init__(self, *args, network, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.network, self.admin = network, admin

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        person = selectors.person_in_network(self.network, email)
        if person is None:
            raise forms.ValidationError(
                _("Nobody with this email address has a role or data in this network.")
            )
        if person.pk == self.admin.pk:
            raise forms.ValidationError(_("To erase your own data, use your profile page."))
        self.cleaned_data["person"] = person
        return email
