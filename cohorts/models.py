from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts import schedule
from resources.models import Resource
from tenancy.models import Person, Role
from tenancy.scoping import TenantModel


class LinkQuerySet(models.QuerySet):
    """For the through tables' unchecked default manager (`unscoped`). Django's M2M managers
    (`add()`, `set()`, `remove()`, `clear()`, prefetching) query the through table with its
    default manager and nothing else, without the loaded row's scope; a scoped default
    manager would make `cohort.leader_groups.add(group)` raise outside a network scope. It is
    safe unchecked because every query Django makes with it is filtered by one loaded owner
    or far-side row, and every link is in the network of both its sides (checked below and in
    Link.save): such a query never reaches another network's links. Queries of your own go
    through `objects`, which is scoped.

    A link row belongs to its owner's network, filled in here because `add()` and `set()`
    create rows with bulk_create, which skips save()."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        owner = self.model._meta.get_field(self.model.owner_field)
        missing = {getattr(obj, owner.attname) for obj in objs if obj.network_id is None}
        networks = dict(owner.related_model._base_manager.filter(pk__in=missing)
                        .values_list("pk", "network_id"))
        for obj in objs:
            if obj.network_id is None:
                obj.network_id = networks[getattr(obj, owner.attname)]
        self.model.check_networks(objs)
        return super().bulk_create(objs, *args, **kwargs)


class Link(TenantModel):
    """A row of a many-to-many through table: scoped like every tenant row, so a query of
    its own (`CohortGroup.objects…`) needs a network scope too. Its far side (`other_field`)
    must be in the owner's network: `others_in(network_id)` says which rows are."""

    owner_field = "cohort"
    other_field = None

    unscoped = models.Manager.from_queryset(LinkQuerySet)()  # noqa: DJ012 (a manager)

    class Meta(TenantModel.Meta):
        abstract = True
        default_manager_name = "unscoped"  # Django's M2M managers need it, see LinkQuerySet

    @classmethod
    def others_in(cls, network_id):
        """The far-side rows a link of this network may point at: by default the far side's
        own rows of the network."""
        return cls._meta.get_field(cls.other_field).related_model.objects.for_network(network_id)

    @classmethod
    def check_networks(cls, links):
        """Refuse links whose far side is not in the link's network."""
        other = cls._meta.get_field(cls.other_field)
        wanted = {}
        for link in links:
            wanted.setdefault(link.network_id, set()).add(getattr(link, other.attname))
        for network_id, other_ids in wanted.items():
            inside = set(cls.others_in(network_id).filter(pk__in=other_ids)
                         .values_list("pk", flat=True))
            if other_ids - inside:
                raise ValidationError(
                    {cls.other_field: f"{other.related_model._meta.verbose_name} "
                     f"{sorted(other_ids - inside)} not in network {network_id}"},
                    code="other_network")

    def _fill_network(self):
        if self.network_id is None:
            self.network_id = getattr(self, self.owner_field).network_id

    def clean(self):
        """The admin's inline forms: the same check, as a form error."""
        super().clean()
        owner = self._meta.get_field(self.owner_field)
        has_owner = owner.is_cached(self) or getattr(self, owner.attname) is not None
        if has_owner and getattr(self, self._meta.get_field(self.other_field).attname):
            self._fill_network()
            type(self).check_networks([self])

    def save(self, *args, **kwargs):
        self._fill_network()
        type(self).check_networks([self])
        super().save(*args, **kwargs)


class Cohort(TenantModel):
    """One run of a programme in a network: its schedule, organisations, groups, facilitators."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="cohorts",
        verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=160)
    starts_on = models.DateField(_("starts on"))
    organisations = models.ManyToManyField(
        "tenancy.Organisation", through="CohortOrganisation", related_name="cohorts",
        blank=True, verbose_name=_("organisations"))
    leader_groups = models.ManyToManyField(
        "tenancy.LeaderGroup", through="CohortGroup", related_name="cohorts", blank=True,
        verbose_name=_("leader groups"))
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CohortFacilitator",
        related_name="facilitated_cohorts", blank=True, verbose_name=_("facilitators"))
    competence_wheel = models.BooleanField(
        _("offer the digital competence wheel"), default=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on"]

    def __str__(self):
        return self.name


class CohortModule(TenantModel):
    """A module the cohort runs, with its dates. Every page reads dates from here, so a
    changed date shows everywhere at once."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="cohort_modules")
    module = models.ForeignKey("programmes.Module", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    prework_opens_on = models.DateField(_("pre-work opens"))
    postwork_due_on = models.DateField(_("post-work due"))
    resources = models.ManyToManyField(
        "resources.Resource", through="CohortModuleResource", blank=True, related_name="+",
        verbose_name=_("the network's own resources"))  # and shared ones, chosen in tailoring
    # Once a network admin tailors the module for this cohort, its activities and their order
    # are the CohortActivity rows (cohorts/tailoring.py); until then, the standard programme's.
    tailored = models.BooleanField(default=False, editable=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("cohort module")
        verbose_name_plural = _("cohort modules")
        # Two modules may share a position (a network's own module added beside one): the
        # primary key keeps their order the same on every page.
        ordering = ["cohort", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["cohort", "module"],
                                               name="unique_cohort_module")]

    def __str__(self):
        return f"{self.cohort} – {self.module}"

    @property
    def is_running(self):
        """In pre-work, on the gathering day or in post-work today (schedule.module_state)."""
        return schedule.state_of(self, timezone.localdate()) in schedule.RUNNING


class CohortActivity(TenantModel):
    """A standard activity a tailored cohort module runs, at its place in its phase."""

    cohort_module = models.ForeignKey(CohortModule, on_delete=models.CASCADE,
                                      related_name="tailored_activities")
    activity = models.ForeignKey("programmes.Activity", on_delete=models.CASCADE,
                                 related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta(TenantModel.Meta):
        ordering = ["cohort_module", "position"]
        constraints = [models.UniqueConstraint(fields=["cohort_module", "activity"],
                                               name="unique_cohort_activity")]


class ContributionKind(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    CASE = "case", _("Case")


class CohortContribution(TenantModel):
    """The cohort's own speaker or case in a module, written by the network admin in the
    cohort's language (a cohort's own resources are CohortModule.resources)."""

    cohort_module = models.ForeignKey(CohortModule, on_delete=models.CASCADE,
                                      related_name="contributions")
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    title = models.CharField(_("name or title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantModel.Meta):
        verbose_name = _("the cohort's own speaker or case")
        ordering = ["cohort_module", "kind", "position", "pk"]

    def __str__(self):
        return self.title


class Gathering(TenantModel):
    """The full day of a module where all the network's leader groups meet."""

    cohort_module = models.OneToOneField(
        CohortModule, on_delete=models.CASCADE, related_name="gathering")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    speakers = models.TextField(_("speakers"), blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.cohort_module} ({self.starts_at:%Y-%m-%d})"


# The through tables keep the names and columns Django gave them before they were explicit.

class CohortOrganisation(Link):
    other_field = "organisation"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE)
    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE)

    class Meta(Link.Meta):
        db_table = "cohorts_cohort_organisations"
        unique_together = [("cohort", "organisation")]


class CohortGroup(Link):
    other_field = "leadergroup"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE)
    leadergroup = models.ForeignKey("tenancy.LeaderGroup", on_delete=models.CASCADE)

    class Meta(Link.Meta):
        db_table = "cohorts_cohort_leader_groups"
        unique_together = [("cohort", "leadergroup")]


class CohortFacilitator(Link):
    other_field = "person"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    class Meta(Link.Meta):
        db_table = "cohorts_cohort_facilitators"
        unique_together = [("cohort", "person")]

    @classmethod
    def others_in(cls, network_id):
        """A person is in a network by holding a role there (which role is the services'
        business: cohorts.services.set_participants wants facilitators)."""
        return Person.objects.filter(
            pk__in=Role.objects.for_network(network_id).values("person"))


class CohortModuleResource(Link):
    owner_field, other_field = "cohortmodule", "resource"

    cohortmodule = models.ForeignKey(CohortModule, on_delete=models.CASCADE)
    resource = models.ForeignKey("resources.Resource", on_delete=models.CASCADE)

    class Meta(Link.Meta):
        db_table = "cohorts_cohortmodule_resources"
        unique_together = [("cohortmodule", "resource")]

    @classmethod
    def others_in(cls, network_id):
        """The network's library: its own resources and the shared ones."""
        return Resource.objects.shared_or_of_network(network_id)


class GatheringRegistration(TenantModel):
    """A leader's answer to "are you coming?" and whether they came (marked at the door by a
    facilitator). A row made only by marking attendance has no answer (coming is None)."""

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="gathering_registrations")
    coming = models.BooleanField(_("coming"), null=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("came"), default=False)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["gathering", "person"],
                                               name="one_registration_per_gathering")]

    def __str__(self):
        return f"{self.person_id} @ {self.gathering_id}"


class CohortMessage(TenantModel):
    """A facilitator's or network admin's message to a cohort's leaders, or to one group of it:
    emailed once to each (reminders.services.send_cohort_message) and shown on What's next
    until the leader dismisses it or `shown_until` passes."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="messages")
    leader_group = models.ForeignKey(
        "tenancy.LeaderGroup", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", verbose_name=_("leader group"))
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.CharField(_("subject"), max_length=160)
    body = models.TextField(_("message"), max_length=5000)
    sent_at = models.DateTimeField(default=timezone.now)
    shown_until = models.DateTimeField()
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta(TenantModel.Meta):
        ordering = ["-sent_at", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(shown_until__gt=models.F("sent_at")),
            name="message_shown_after_sent")]

    def __str__(self):
        return self.subject


class MessageDismissal(TenantModel):
    """A leader put a message away: What's next no longer shows it to them."""

    message = models.ForeignKey(CohortMessage, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["message", "person"],
                                               name="one_dismissal_per_message")]
