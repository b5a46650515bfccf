from django.contrib import admin

from cohorts.models import Cohort
from tenancy.admin import PlatformWideAdmin


@admin.register(Cohort)
class CohortAdmin(PlatformWideAdmin):
    list_display = ["name", "network", "starts_on"]
    list_filter = ["network"]
    filter_horizontal = ["organisations", "leader_groups", "facilitators"]
