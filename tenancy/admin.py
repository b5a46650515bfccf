"""Django admin, for platform staff only (staff also need MFA, see RequireMFAMiddleware).

Every admin page is platform-wide (tenancy.middleware.PLATFORM_WIDE_NAMESPACES): staff see
every network's rows, including the choices of foreign keys to other tenant models."""

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from tenancy import audit, services
from tenancy.forms import NetworkSignInForm
from tenancy.models import (
    Invitation,
    LeaderGroup,
    Network,
    NetworkSignIn,
    Organisation,
    Person,
    Role,
)

# Staff sign in through Bro's own sign-in (code or password, then their authenticator app):
# the admin's password-only login form would skip the second step.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = admin.site.site_title = "Bro platform admin"


class NetworkAdminForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "slug", "country", "default_language", "logo", "accent_colour",
                  "anonymity_threshold", "entra_provider_id"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    form = NetworkAdminForm
    list_display = ["name", "slug", "country", "default_language", "anonymity_threshold"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        """k changes only here, so here is where the change is recorded."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "anonymity_threshold" in form.changed_data:
                audit.record(audit.EventKind.THRESHOLD_CHANGED, network=obj, target=obj,
                             previous=form.initial.get("anonymity_threshold"),
                             k=obj.anonymity_threshold)


class NetworkSignInAdminForm(NetworkSignInForm):
    class Meta(NetworkSignInForm.Meta):
        fields = ["network", "kind", *NetworkSignInForm.Meta.fields]


@admin.register(NetworkSignIn)
class NetworkSignInAdmin(admin.ModelAdmin):
    """The same identity providers network admins set up under Manage, Sign-in providers;
    the secret is write-only here too."""

    form = NetworkSignInAdminForm
    list_display = ["display_name", "kind", "network", "server_url", "client_id", "provider_id"]
    list_filter = ["network", "kind"]

    def get_readonly_fields(self, request, obj=None):
        return ["network", "kind", "provider_id"] if obj else ["provider_id"]

    def save_model(self, request, obj, form, change):
        services.save_network_sign_in(obj, secret_changed=form.secret_changed,
                                      actor=request.user)

    def delete_model(self, request, obj):
        services.remove_network_sign_in(obj.network, obj.kind, actor=request.user)

    def delete_queryset(self, request, queryset):
        for sign_in in queryset:
            self.delete_model(request, sign_in)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "network"]
    list_filter = ["network"]
    search_fields = ["name"]


@admin.register(LeaderGroup)
class LeaderGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "network"]
    list_filter = ["network"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Roles are granted and removed here through the same services as on the pages, so the
    audit trail records them with the staff member as the actor. A role is not edited in
    place: remove it and grant the other one."""

    list_display = ["person", "kind", "network", "organisation", "leader_group"]
    list_filter = ["network", "kind"]
    raw_id_fields = ["person"]

    def get_readonly_fields(self, request, obj=None):
        return ["person", "network", "kind", "organisation", "leader_group"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        role = services.grant_role(obj.person, obj.network, obj.kind,
                                   organisation=obj.organisation, leader_group=obj.leader_group,
                                   actor=request.user)
        obj.pk = role.pk

    def delete_model(self, request, obj):
        services.remove_role(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for role in queryset.select_related("organisation", "leader_group", "person"):
            self.delete_model(request, role)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent here through the same service as on the pages (the email with its
    link, the audit trail) and withdrawn with the *Revoke* action; a sent invitation is not
    edited or deleted: revoke it and send another."""

    INVITE_FIELDS = ["network", "email", "name", "title", "language", "kind", "organisation",
                     "leader_group"]
    list_display = ["email", "kind", "network", "created_at", "sent_at", "accepted_at",
                    "revoked_at"]
    list_filter = ["network", "kind"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.INVITE_FIELDS
        return [*self.INVITE_FIELDS, "invited_by", "expires_at", "sent_at", "accepted_at",
                "accepted_by", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        invitation, _token = services.create_invitation(
            obj.network, email=obj.email, name=obj.name, title=obj.title,
            language=obj.language, kind=obj.kind, organisation=obj.organisation,
            leader_group=obj.leader_group, invited_by=request.user)
        obj.pk = invitation.pk

    @admin.action(description="Revoke the selected invitations (not yet accepted)")
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
            try:
                services.revoke_invitation(invitation, revoked_by=request.user)
            except services.InvitationNotRevocable:
                continue
            revoked += 1
        self.message_user(request, f"{revoked} invitation(s) revoked.")


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

    def save_model(self, request, obj, form, change):
        """Platform staff rights are roles too: granting or taking them is recorded."""
        previous = {right: form.initial.get(right, False) for right in services.PLATFORM_RIGHTS}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            services.record_platform_rights(obj, previous, actor=request.user)


@admin.register(audit.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Every network's trail, for active platform staff, to read only: nobody adds, changes
    or deletes an event here (nor anywhere else, see tenancy/audit.py)."""

    list_display = ["at", "kind", "network_id", "network", "actor_label", "target_label",
                    "details_text"]
    list_filter = ["kind", "network", ("at", admin.DateFieldListFilter)]
    search_fields = ["actor_label", "target_label"]
    date_hierarchy = "at"
    list_select_related = ["network"]
    list_per_page = 100
    readonly_fields = [field.name for field in audit.AuditEvent._meta.fields]
    actions = None

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
