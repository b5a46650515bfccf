from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenancy.scoping import TenantModel


class Cohort(TenantModel):
    """One run of a programme in a network: its schedule, organisations, groups, facilitators."""

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

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on"]
        base_manager_name = "unscoped"

    def __str__(self):
        return self.name
