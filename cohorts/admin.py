from django.contrib import admin

from cohorts.models import Cohort, CohortFacilitator, CohortGroup, CohortOrganisation


class LinkInline(admin.TabularInline):
    """A row of a through table; its network follows the cohort's (cohorts.models.Link)."""

    exclude = ["network"]
    extra = 0


class OrganisationInline(LinkInline):
    model = CohortOrganisation


class GroupInline(LinkInline):
    model = CohortGroup


class FacilitatorInline(LinkInline):
    model = CohortFacilitator
    raw_id_fields = ["person"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "starts_on"]
    list_filter = ["network"]
    inlines = [OrganisationInline, GroupInline, FacilitatorInline]
