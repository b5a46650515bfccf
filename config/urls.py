from django.contrib import admin
from django.urls import include, path, re_path

from modules import dashboard_views
from tenancy import health
from tenancy import views as tenancy_views

# Every page of one network lives under /n/<network_slug>/; each app adds its own there.
# Django tries the patterns in order, so the gathering day's busiest pages (the test with its
# autosave, own results, the gathering screen) come first (issue 11); no two apps' patterns
# match the same address.
network_patterns = [
    path("", include("assessments.taking.urls")),
    path("", include("assessments.results.urls")),
    path("", include("tenancy.urls")),
    path("", include("reminders.network_urls")),
    path("", include("assessments.rounds.urls")),
    path("", include("assessments.personal.urls")),
    path("", include("assessments.reports.urls")),
    path("", include("assessments.polls.urls")),
    path("", include("cohorts.urls")),
    path("", include("resources.urls")),
    path("", include("modules.urls")),
    path("", include("gdpr.network_urls")),
]

urlpatterns = [
    # Probes for the load balancer, first so nothing else can shadow them (tenancy/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", tenancy_views.home, name="home"),
    path("networks/", tenancy_views.network_choice, name="network_choice"),
    path("staff/", dashboard_views.staff_overview, name="staff_overview"),
    path("staff/components/", dashboard_views.design_components, name="design_components"),
    path("profile/", tenancy_views.profile, name="profile"),
    path("profile/", include("gdpr.urls")),
    path("language/", tenancy_views.set_language, name="set_language"),
    path("invitations/<str:token>/", tenancy_views.accept_invitation, name="accept_invitation"),
    path("logos/<slug:slug>/", tenancy_views.network_logo, name="network_logo"),
    path("themes/<slug:slug>.css", tenancy_views.network_theme, name="network_theme"),
    path("reminders/", include("reminders.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("staff/", include("assessments.authoring.urls")),
    path("staff/", include("programmes.urls")),
    # Public pages of a network, readable without signing in (`slug`, not `network_slug`:
    # the network middleware, which asks for a role, leaves them alone).
    path("n/<slug:slug>/privacy/", tenancy_views.privacy_notice, name="privacy_notice"),
    re_path(r"^n/(?P<slug>[-a-zA-Z0-9_]+)/was/?$", tenancy_views.accessibility_statement,
            name="accessibility_statement"),
    path("privacy/", tenancy_views.site_privacy_notice, name="site_privacy_notice"),
    re_path(r"^was/?$", tenancy_views.site_accessibility_statement,
            name="site_accessibility_statement"),
    path("n/<slug:network_slug>/", include(network_patterns)),
]


# Error pages in Bro's layout and the person's language; the 500 page without the database.
handler400 = "tenancy.errors.bad_request"
handler403 = "tenancy.errors.permission_denied"
handler404 = "tenancy.errors.page_not_found"
handler500 = "tenancy.errors.server_error"
