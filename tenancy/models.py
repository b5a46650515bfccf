from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenancy.branding import validate_accent_colour
from tenancy.scoping import TenantModel


class Country(models.TextChoices):
    NORWAY = "NO", _("Norway")
    DENMARK = "DK", _("Denmark")


# Where each country's public bodies publish their accessibility statements (the law asks for
# a statement made with the supervising authority's tool: Uutilsynet in Norway, the Agency for
# Digital Government in Denmark).
STATEMENT_HOSTS = {
    Country.NORWAY: ("uustatus.no", "www.uustatus.no"),
    Country.DENMARK: ("was.digst.dk", "www.was.digst.dk"),
}


class Network(models.Model):
    """A regional network of municipalities: the tenant every other row belongs to."""

    MIN_ANONYMITY_THRESHOLD = 3
    MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS = 1, 120

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in the network's addresses."))
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    default_language = models.CharField(
        _("default language"), max_length=5, choices=settings.LANGUAGES)
    logo = models.ImageField(_("logo"), upload_to="network-logos/", blank=True)
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, blank=True, validators=[validate_accent_colour],
        help_text=_("The network's own colour for the top of every page, e.g. #0b4f8a; the "
                    "text on it is black or white, whichever reads better."))
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold (k)"), default=5,
        validators=[MinValueValidator(MIN_ANONYMITY_THRESHOLD)],
        help_text=_("Aggregates are shown only when at least this many people answered."))
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data for (months)"), default=24,
        validators=[MinValueValidator(MIN_RETENTION_MONTHS),
                    MaxValueValidator(MAX_RETENTION_MONTHS)],
        help_text=_("How long after a person's last cohort in the network has ended their "
                    "personal data is kept; then it is erased."))
    entra_provider_id = models.SlugField(
        _("Microsoft Entra ID sign-in"), blank=True,
        help_text=_("The provider id of the OpenID Connect app (a social application in the "
                    "platform admin) for the network's Entra ID tenant; empty for none."))
    accessibility_statement_url = models.URLField(
        _("accessibility statement"), max_length=300, blank=True,
        validators=[URLValidator(schemes=["https"])],
        help_text=_("The address of the network's accessibility statement: on uustatus.no "
                    "for a Norwegian network, on was.digst.dk for a Danish one."))
    # The privacy notice's fill-ins (tenancy/privacy.py writes the notice around them).
    privacy_controller = models.CharField(
        _("data controller"), max_length=300, blank=True,
        help_text=_("Who is responsible for the personal data, e.g. the municipality that "
                    "hosts the network, with its organisation number."))
    privacy_contact = models.CharField(
        _("contact for privacy questions"), max_length=300, blank=True,
        help_text=_("An email address or the data protection officer to write to."))
    hosting_provider = models.CharField(
        _("hosting provider"), max_length=300, blank=True,
        help_text=_("Who runs the servers Bro runs on, and in which country."))
    email_provider = models.CharField(
        _("email provider"), max_length=300, blank=True,
        help_text=_("Who sends Bro's emails (invitations, sign-in codes, reminders)."))
    other_processors = models.TextField(
        _("other processors"), blank=True,
        help_text=_("Anyone else who handles personal data for the network, one per line."))

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]
        constraints = [models.CheckConstraint(
            condition=models.Q(anonymity_threshold__gte=3), name="anonymity_threshold_at_least_3")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        url = urlparse(self.accessibility_statement_url or "")
        hosts = STATEMENT_HOSTS.get(self.country, ())
        if self.accessibility_statement_url and url.hostname not in hosts:
            raise ValidationError({"accessibility_statement_url": _(
                "A network in %(country)s publishes its accessibility statement on "
                "%(host)s; give the address of the statement there.")
                % {"country": self.get_country_display(), "host": hosts[0]}})


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    COUNTY = "county", _("County municipality or region")
    OTHER = "other", _("Other organisation")


class SizeBand(models.TextChoices):
    """Population served, in bands: enough to pair groups of similar size, nothing finer."""

    SMALL = "small", _("Under 5,000 inhabitants")
    MEDIUM = "medium", _("5,000 to 20,000 inhabitants")
    LARGE = "large", _("20,000 to 50,000 inhabitants")
    CITY = "city", _("50,000 to 100,000 inhabitants")
    BIG_CITY = "big_city", _("Over 100,000 inhabitants")


class Organisation(TenantModel):
    """A municipality, county municipality or other member organisation of a network."""

    name = models.CharField(_("name"), max_length=160)
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices,
                            default=OrganisationKind.MUNICIPALITY)
    size_band = models.CharField(_("population"), max_length=20, choices=SizeBand.choices,
                                 blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(
            "network", Lower("name"), name="unique_organisation_name_per_network")]

    def __str__(self):
        return self.name


class LeaderGroup(TenantModel):
    """A leader group: usually one organisation's top team; without an organisation it spans
    several organisations and belongs to the network."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True,
        related_name="leader_groups", verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=160)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, blank=True,
        help_text=_("The group's working language, used for its reports."))

    class Meta(TenantModel.Meta):
        verbose_name = _("leader group")
        verbose_name_plural = _("leader groups")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.organisation_id and self.organisation.network_id != self.network_id:
            raise ValidationError({"organisation": _("The organisation is in another network.")})


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        person = self.model(email=self.normalize_email(email).strip(), **fields)
        person.set_password(password) if password else person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. One account per email, whatever networks and roles they hold."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=160, blank=True)
    title = models.CharField(_("job title"), max_length=160, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, blank=True,
        help_text=_("Empty means the network's default language."))
    is_staff = models.BooleanField(_("platform staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    last_network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Set when the person's data was erased (GDPR): the row stays, deactivated and without
    # name or email, so ids in the audit trail and group texts stay one anonymous person.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects = PersonManager()
    tenant_scoping_exempt = "a person may hold roles in several networks; last_network only " \
        "remembers where they were"

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(Lower("email"), name="unique_person_email_ci")]

    def __str__(self):
        if self.erased_at:
            return str(_("a former member"))
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class RoleKind(models.TextChoices):
    LEADER = "leader", _("Leader")
    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    NETWORK_ADMIN = "network_admin", _("Network admin")


# The order in which a person with several roles lands after sign-in.
ROLE_PRIORITY = [RoleKind.NETWORK_ADMIN, RoleKind.FACILITATOR, RoleKind.COORDINATOR,
                 RoleKind.LEADER]


class Role(TenantModel):
    """What a person may do in one network: a leader in a group, a coordinator of an
    organisation, a facilitator, or a network admin."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="roles")
    leader_group = models.ForeignKey(
        LeaderGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="roles")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network", "kind"], name="unique_network_wide_role",
                condition=models.Q(kind__in=["facilitator", "network_admin"])),
            models.UniqueConstraint(
                fields=["person", "organisation"], name="unique_coordinator_role",
                condition=models.Q(kind="coordinator")),
            models.UniqueConstraint(
                fields=["person", "leader_group"], name="unique_leader_role",
                condition=models.Q(kind="leader")),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="leader", leader_group__isnull=False)
                    | models.Q(kind="coordinator", organisation__isnull=False)
                    | models.Q(kind__in=["facilitator", "network_admin"])),
                name="role_has_its_target"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()}"


class Invitation(TenantModel):
    """A one-time link that binds a person to a network, organisation, group and role."""

    VALID_FOR_DAYS = 14

    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=160, blank=True)
    title = models.CharField(_("job title"), max_length=160, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    leader_group = models.ForeignKey(
        LeaderGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Withdrawn before it was accepted (tenancy.services.revoke_invitation): the link is dead.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} ({self.get_kind_display()})"

    @property
    def is_usable(self):
        return (self.accepted_at is None and self.revoked_at is None
                and self.expires_at > timezone.now())


class SignInKind(models.TextChoices):
    """The public-sector identity providers a network can offer, all through OpenID Connect."""

    ID_PORTEN = "idporten", _("ID-porten (Norway)")
    MITID_ERHVERV = "mitid_erhverv", _("MitID Erhverv through NemLog-in (Denmark)")
    FEIDE = "feide", _("Feide (Norway)")


# What Bro asks each kind of provider for (README, "Sign-in with ID-porten, MitID Erhverv
# and Feide"). The claims only label the identity: Bro never matches a person by them.
SIGN_IN_SCOPES = {
    SignInKind.ID_PORTEN: "openid profile",
    SignInKind.MITID_ERHVERV: "openid",
    SignInKind.FEIDE: "openid userid email profile",
}


class NetworkSignIn(TenantModel):
    """One identity provider a network offers on its sign-in page: an OpenID Connect client
    that Bro hands to allauth as a social app (tenancy.adapters.SocialAccountAdapter)."""

    kind = models.CharField(_("identity provider"), max_length=20, choices=SignInKind.choices)
    display_name = models.CharField(
        _("button text"), max_length=80,
        help_text=_("Shown on the sign-in button, e.g. \"ID-porten\"."))
    server_url = models.URLField(
        _("issuer URL"), max_length=300,
        help_text=_("The provider's issuer; Bro reads its /.well-known/openid-configuration."))
    client_id = models.CharField(_("client ID"), max_length=200)
    secret = models.CharField(_("client secret"), max_length=500)
    scopes = models.CharField(
        _("scopes"), max_length=300, blank=True,
        help_text=_("Empty for the usual scopes of this kind of provider."))
    # Fixed once made: the provider knows Bro's callback address by it.
    provider_id = models.SlugField(max_length=80, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("sign-in provider")
        verbose_name_plural = _("sign-in providers")
        ordering = ["display_name"]
        constraints = [models.UniqueConstraint(
            fields=["network", "kind"], name="one_sign_in_per_kind_per_network")]

    def __str__(self):
        return self.display_name

    @staticmethod
    def provider_id_for(network, kind):
        """The id in Bro's callback address for this network and kind."""
        return f"{kind.replace('_', '-')}-{network.pk}"

    def social_app(self):
        """The allauth app for this provider; never saved: this row is the one source."""
        from allauth.socialaccount.models import SocialApp

        return SocialApp(
            provider="openid_connect", provider_id=self.provider_id, name=self.display_name,
            client_id=self.client_id, secret=self.secret,
            settings={"server_url": self.server_url, "oauth_pkce_enabled": True,
                      "scope": (self.scopes or SIGN_IN_SCOPES[self.kind]).split()})


from tenancy.audit import AuditEvent  # noqa: E402, F401 (the audit trail's model, see audit.py)


class PrivacyNoticeText(TenantModel):
    """A network admin's own wording of the network's privacy notice in one language; without
    one, the notice is written from the template (tenancy/privacy.py)."""

    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    text = models.TextField(_("privacy notice"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("privacy notice text")
        verbose_name_plural = _("privacy notice texts")
        constraints = [models.UniqueConstraint(
            fields=["network", "language"], name="unique_privacy_notice_per_language")]

    def __str__(self):
        return f"{self.network} ({self.language})"
