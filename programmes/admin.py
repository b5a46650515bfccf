"""Programme templates are platform-wide: platform staff read and adjust them here; the
programme file (manage.py load_programme) stays the source of the standard programme."""

from django.contrib import admin

from programmes.models import Activity, Module, Phase, Programme


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["position", "slug", "kind", "duration_minutes", "resource", "instrument_slug"]
    raw_id_fields = ["resource"]
    extra = 0

    def get_queryset(self, request):
        """The standard programme's only: a cohort's own activity is its network's."""
        return super().get_queryset(request).standard()


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "theme", "position"]
    list_filter = ["programme"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "position"]
    list_filter = ["module__programme", "kind"]
    inlines = [ActivityInline]
