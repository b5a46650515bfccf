"""Django admin, for platform staff only (staff also need MFA, see RequireMFAMiddleware)."""

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tenancy.models import Invitation, LeaderGroup, Network, Organisation, Person, Role

# Staff sign in through Bro's own sign-in (code or password, then their authenticator app):
# the admin's password-only login form would skip the second step.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = admin.site.site_title = "Bro platform admin"


def _unscoped(model):
    return getattr(model, "unscoped", model._default_manager)


class PlatformWideAdmin(admin.ModelAdmin):
    """Platform staff see every network: the admin reads tenant rows deliberately unscoped,
    including the choices of foreign keys to other tenant models."""

    def get_queryset(self, request):
        return self.model.unscoped.all()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", _unscoped(db_field.related_model).all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", _unscoped(db_field.related_model).all())
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class NetworkAdminForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "slug", "country", "default_language", "logo", "anonymity_threshold",
                  "entra_provider_id"]

    def clean_anonymity_threshold(self):
        from assessments.services import (
            ANONYMITY_THRESHOLD_LOCKED,
            anonymity_threshold_is_locked,
        )

        k = self.cleaned_data["anonymity_threshold"]
        network = self.instance  # still as stored: the form copies its data in after cleaning
        if network.pk and k != network.anonymity_threshold and \
                anonymity_threshold_is_locked(network):
            raise forms.ValidationError(ANONYMITY_THRESHOLD_LOCKED)
        return k


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    form = NetworkAdminForm
    list_display = ["name", "slug", "country", "default_language", "anonymity_threshold"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(PlatformWideAdmin):
    list_display = ["name", "network"]
    list_filter = ["network"]
    search_fields = ["name"]


@admin.register(LeaderGroup)
class LeaderGroupAdmin(PlatformWideAdmin):
    list_display = ["name", "organisation", "network"]
    list_filter = ["network"]


@admin.register(Role)
class RoleAdmin(PlatformWideAdmin):
    list_display = ["person", "kind", "network", "organisation", "leader_group"]
    list_filter = ["network", "kind"]
    raw_id_fields = ["person"]


@admin.register(Invitation)
class InvitationAdmin(PlatformWideAdmin):
    list_display = ["email", "kind", "network", "created_at", "sent_at", "accepted_at"]
    list_filter = ["network", "kind"]
    exclude = ["token_hash"]
    readonly_fields = ["accepted_at", "accepted_by", "sent_at"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "last_login"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "title", "language"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "name", "password1", "password2"]})]
