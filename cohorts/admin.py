from django.contrib import admin

from cohorts.models import Cohort, CohortFacilitator, CohortGroup, CohortOrganisation


class LinkInline(admin.TabularInline):
    """A row of a through table; its network follows the cohort's (cohorts.models.Link), and
    on an existing cohort only rows of its network are offered (Link.clean refuses others)."""

    exclude = ["network"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:  # a new form class each time, so this touches no other request
            field = formset.form.base_fields[self.model.other_field]
            field.queryset = self.model.others_in(obj.network_id)
        return formset


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
