"""The platform admin's "delete" of a person erases them instead (gdpr.services.erase_person):
the same as any erasure, so nothing of theirs outlives it and no group's work is lost."""

from django.contrib import admin

from gdpr import services
from tenancy.admin import PersonAdmin
from tenancy.models import Person


class ErasingPersonAdmin(PersonAdmin):
    def delete_model(self, request, obj):
        services.erase_person(obj, actor=request.user, reason=services.ErasureReason.STAFF)

    def delete_queryset(self, request, queryset):
        for person in queryset:
            self.delete_model(request, person)

    def get_deleted_objects(self, objs, request):
        """The confirmation page lists the people only: their rows are erased, not the
        group work and anonymous results a cascade would list."""
        people = [str(person) for person in objs]
        return people, {Person._meta.verbose_name_plural: len(people)}, set(), []


admin.site.unregister(Person)
admin.site.register(Person, ErasingPersonAdmin)
