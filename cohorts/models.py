from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenancy.scoping import TenantModel


class Cohort(TenantModel):
    """One run of a programme in a network: its schedule, organisations, groups, facilitators."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="cohorts",
        verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=160)
    starts_on = models.DateField(_("starts on"))
    organisations = models.ManyToManyField(
        "tenancy.Organisation", related_name="cohorts", blank=True,
        verbose_name=_("organisations"))
    leader_groups = models.ManyToManyField(
        "tenancy.LeaderGroup", related_name="cohorts", blank=True,
        verbose_name=_("leader groups"))
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_cohorts", blank=True,
        verbose_name=_("facilitators"))
    competence_wheel = models.BooleanField(
        _("offer the digital competence wheel"), default=False)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on"]
        base_manager_name = "unscoped"

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
        "resources.Resource", blank=True, related_name="+",
        verbose_name=_("the network's own resources"))

    class Meta:
        verbose_name = _("cohort module")
        verbose_name_plural = _("cohort modules")
        ordering = ["cohort", "position"]
        base_manager_name = "unscoped"
        constraints = [models.UniqueConstraint(fields=["cohort", "module"],
                                               name="unique_cohort_module")]

    def __str__(self):
        return f"{self.cohort} – {self.module}"

    @property
    def is_running(self):
        """Pre-work has opened and post-work is not due yet, today in Bro's time zone."""
        return self.prework_opens_on <= timezone.localdate() <= self.postwork_due_on


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

    class Meta:
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        ordering = ["starts_at"]
        base_manager_name = "unscoped"

    def __str__(self):
        return f"{self.cohort_module} ({self.starts_at:%Y-%m-%d})"
