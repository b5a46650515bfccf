from django.contrib import admin

from reminders.models import Nudge, ReminderDelivery


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    """Platform staff look into failed or unknown deliveries across networks."""

    list_display = ["kind", "target_type", "target_id", "email", "status", "attempts", "sent_at",
                    "network"]
    list_filter = ["status", "kind", "network"]
    search_fields = ["email"]
    readonly_fields = [f.name for f in ReminderDelivery._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("network")


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    list_display = ["organisation", "sent_on", "recipient_count", "sent_by"]
    readonly_fields = [f.name for f in Nudge._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "sent_by")
