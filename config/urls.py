from django.contrib import admin
from django.urls import include, path

from tenancy import views as tenancy_views

# Every page of one network lives under /n/<network_slug>/; each app adds its own there.
network_patterns = [
    path("", include("tenancy.urls")),
    path("", include("reminders.network_urls")),
    path("", include("assessments.rounds.urls")),
    path("", include("assessments.taking.urls")),
    path("", include("assessments.results.urls")),
    path("", include("assessments.reports.urls")),
    path("", include("cohorts.urls")),
    path("", include("resources.urls")),
    path("", include("modules.urls")),
    path("", include("gdpr.network_urls")),
]

urlpatterns = [
    path("", tenancy_views.home, name="home"),
    path("networks/", tenancy_views.network_choice, name="network_choice"),
    path("profile/", tenancy_views.profile, name="profile"),
    path("profile/", include("gdpr.urls")),
    path("language/", tenancy_views.set_language, name="set_language"),
    path("invitations/<str:token>/", tenancy_views.accept_invitation, name="accept_invitation"),
    path("logos/<slug:slug>/", tenancy_views.network_logo, name="network_logo"),
    path("reminders/", include("reminders.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("n/<slug:network_slug>/", include(network_patterns)),
]


# Error pages in Bro's layout and the person's language; the 500 page without the database.
handler400 = "tenancy.errors.bad_request"
handler403 = "tenancy.errors.permission_denied"
handler404 = "tenancy.errors.page_not_found"
handler500 = "tenancy.errors.server_error"
