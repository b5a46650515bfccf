from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.internal.flows.login import record_authentication
from allauth.core import context
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from tenancy.audit import EventKind
from tenancy.branding import validate_accent_colour
from tenancy.models import (
    LeaderGroup,
    Network,
    NetworkSignIn,
    Organisation,
    OrganisationKind,
    Person,
    RoleKind,
)

NUL_NOT_ALLOWED = _(
    "The text contains a NUL character, an invisible control character that is not allowed "
    "(it often comes along when text is copied from another program). Delete the part you "
    "pasted and paste it again as plain text.")


class ClearTextErrors:
    """Form mixin for people's own writing: a NUL character is refused with a sentence that
    says what it is and what to do, not Django's "Null characters are not allowed."."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators = [
                    ProhibitNullCharactersValidator(message=NUL_NOT_ALLOWED)
                    if isinstance(validator, ProhibitNullCharactersValidator) else validator
                    for validator in field.validators]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """allauth's "send me a code" form, filled in from ?email=… (the link after accepting an
    invitation), so a new person only has to press the button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = context.request
        if not self.is_bound and request is not None and "email" in self.fields:
            self.fields["email"].initial = request.GET.get("email", "")[:254]


class ActivateTOTPForm(AllauthActivateTOTPForm):
    """Setting up the app proves the person holds it: that counts as confirming who they are,
    so the recovery codes shown next need no second app code."""

    def clean_code(self):
        code = super().clean_code()
        record_authentication(context.request, self.user, "mfa", type="totp",
                              reauthenticated=True)
        return code


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "title", "language"]


class NetworkSettingsForm(forms.Form):
    """What a network admin sets for their own network (k stays with platform staff). Not a
    ModelForm: validating must not change request.network before the service compares."""

    retention_months = Network._meta.get_field("retention_months").formfield(
        min_value=Network.MIN_RETENTION_MONTHS, max_value=Network.MAX_RETENTION_MONTHS)
    accent_colour = forms.CharField(
        label=_("Accent colour"), required=False, max_length=7,
        validators=[validate_accent_colour],
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=Network._meta.get_field("accent_colour").help_text)
    logo = forms.ImageField(
        label=_("Logo"), required=False,
        help_text=_("A PNG, JPEG or WebP image, shown next to the network's name; at most "
                    "1 MB."))
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    MAX_LOGO_BYTES = 1024 * 1024

    def clean_logo(self):
        logo = self.cleaned_data["logo"]
        if logo and logo.size > self.MAX_LOGO_BYTES:
            raise forms.ValidationError(_("The logo is larger than 1 MB."))
        if logo and logo.image.format not in ("PNG", "JPEG", "WEBP"):
            raise forms.ValidationError(_("Upload the logo as PNG, JPEG or WebP."))
        return logo


class OrganisationAttributesForm(forms.ModelForm):
    """What kind of organisation and how many inhabitants: used to pair leader groups of
    similar organisations at gatherings."""

    class Meta:
        model = Organisation
        fields = ["kind", "size_band"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "org_number", "kind", "size_band"]

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["kind"].required = False  # a municipality unless said otherwise

    def clean_kind(self):
        return self.cleaned_data["kind"] or OrganisationKind.MUNICIPALITY

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Organisation.objects.for_network(self.network).filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("The network already has an organisation of that name."))
        return name


class StaffInvitationForm(forms.Form):
    """A network admin invites a coordinator (of an organisation) or a facilitator."""

    KINDS = [(RoleKind.COORDINATOR, RoleKind.COORDINATOR.label),
             (RoleKind.FACILITATOR, RoleKind.FACILITATOR.label),
             (RoleKind.NETWORK_ADMIN, RoleKind.NETWORK_ADMIN.label)]

    name = forms.CharField(label=_("Name"), max_length=160)
    email = forms.EmailField(label=_("Email"))
    kind = forms.ChoiceField(label=_("Role"), choices=KINDS)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
        help_text=_("Required for a coordinator."))
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_network(network)
        self.fields["language"].initial = network.default_language

    def clean(self):
        data = super().clean()
        if data.get("kind") == RoleKind.COORDINATOR and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation they coordinate."))
        return data


class LeaderInvitationForm(forms.Form):
    """A coordinator (or network admin) invites a leader into one of their groups."""

    name = forms.CharField(label=_("Name"), max_length=160)
    email = forms.EmailField(label=_("Email"))
    title = forms.CharField(label=_("Job title"), max_length=160, required=False)
    leader_group = forms.ModelChoiceField(
        label=_("Leader group"), queryset=LeaderGroup.objects.none())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, network, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader_group"].queryset = groups
        self.fields["language"].initial = network.default_language


class LeaderGroupForm(forms.ModelForm):
    class Meta:
        model = LeaderGroup
        fields = ["name", "language"]


class AuditFilterForm(forms.Form):
    """The audit trail page's filters, also used for its CSV (tenancy.selectors.audit_trail)."""

    kind = forms.ChoiceField(label=_("Event"), required=False,
                             choices=[("", _("All events")), *EventKind.choices])
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {"kind": data.get("kind", ""), "since": data.get("since"),
                "until": data.get("until")}


class NetworkSignInForm(forms.ModelForm):
    """One identity provider of a network. The secret is write-only: never shown back, and
    left empty it keeps the one stored."""

    secret = forms.CharField(
        label=_("Client secret"), required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))

    class Meta:
        model = NetworkSignIn
        fields = ["display_name", "server_url", "client_id", "secret", "scopes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.secret:
            self.fields["secret"].help_text = _(
                "A secret is stored. Leave this empty to keep it; it is never shown.")

    def clean_secret(self):
        secret = self.cleaned_data["secret"]
        self.secret_changed = bool(secret)
        if not secret and not self.instance.secret:
            raise forms.ValidationError(_("Enter the client secret the provider gave you."))
        return secret or self.instance.secret


class NetworkStatementsForm(forms.ModelForm):
    """What a network admin fills in for the network's accessibility statement and privacy
    notice (Network.clean checks the statement's address against the network's country)."""

    class Meta:
        model = Network
        fields = ["accessibility_statement_url", "privacy_controller", "privacy_contact",
                  "hosting_provider", "email_provider", "other_processors"]
        widgets = {"other_processors": forms.Textarea(attrs={"rows": 3}),
                   "accessibility_statement_url": forms.URLInput(
                       attrs={"placeholder": "https://"})}


class PrivacyNoticeTextForm(forms.Form):
    """The privacy notice in one language, as the network admin words it."""

    text = forms.CharField(
        label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Blank lines between paragraphs, “# ” before a heading, “- ” before a "
                    "list item."))

    def __init__(self, *args, language, **kwargs):
        kwargs.setdefault("prefix", f"notice-{language}")
        super().__init__(*args, **kwargs)
        self.language = language
