from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts import schedule
from tenancy.scoping import TenantModel


class LinkQuerySet(models.QuerySet):
    """For the through tables' unchecked default manager (`unscoped`), which Django's M2M
    managers use: they are reached through a loaded cohort or cohort module, so they inherit
    its scope, like every related manager. A link row belongs to its owner's network, filled
    in here because `add()` and `set()` create rows with bulk_create, which skips save()."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        owner = self.model._meta.get_field(self.model.owner_field)
        missing = {getattr(obj, owner.attname) for obj in objs if obj.network_id is None}
        networks = dict(owner.related_model._base_manager.filter(pk__in=missing)
                        .values_list("pk", "network_id"))
        for obj in objs:
            if obj.network_id is None:
                obj.network_id = networks[getattr(obj, owner.attname)]
        return super().bulk_create(objs, *args, **kwargs)


class Link(TenantModel):
    """A row of a many-to-many through table: scoped like every tenant row, so a query of
    its own (`CohortGroup.objects…`) needs a network scope too."""

    owner_field = "cohort"

    unscoped = models.Manager.from_queryset(LinkQuerySet)()  # noqa: DJ012 (a manager)

    class Meta(TenantModel.Meta):
        abstract = True
        default_manager_name = "unscoped"

    def save(self, *args, **kwargs):
        if self.network_id is None:
            self.network_id = getattr(self, self.owner_field).network_id
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
        verbose_name=_("the network's own resources"))

    class Meta(TenantModel.Meta):
        verbose_name = _("cohort module")
        verbose_name_plural = _("cohort modules")
        ordering = ["cohort", "position"]
        constraints = [models.UniqueConstraint(fields=["cohort", "module"],
                                               name="unique_cohort_module")]

    def __str__(self):
        return f"{self.cohort} – {self.module}"

    @property
    def is_running(self):
        """In pre-work, on the gathering day or in post-work today (schedule.module_state)."""
        return schedule.state_of(self, timezone.localdate()) in schedule.RUNNING


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
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE)
    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE)

    class Meta(Link.Meta):
        db_table = "cohorts_cohort_organisations"
        unique_together = [("cohort", "organisation")]


class CohortGroup(Link):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE)
    leadergroup = models.ForeignKey("tenancy.LeaderGroup", on_delete=models.CASCADE)

    class Meta(Link.Meta):
        db_table = "cohorts_cohort_leader_groups"
        unique_together = [("cohort", "leadergroup")]


class CohortFacilitator(Link):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    class Meta(Link.Meta):
        db_table = "cohorts_cohort_facilitators"
        unique_together = [("cohort", "person")]


class CohortModuleResource(Link):
    owner_field = "cohortmodule"

    cohortmodule = models.ForeignKey(CohortModule, on_delete=models.CASCADE)
    resource = models.ForeignKey("resources.Resource", on_delete=models.CASCADE)

    class Meta(Link.Meta):
        db_table = "cohorts_cohortmodule_resources"
        unique_together = [("cohortmodule", "resource")]
