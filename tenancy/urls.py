"""Pages inside one network: /n/<network_slug>/… (the middleware resolves the slug).
manage/ and organisations/<id>/ are tenancy's pages too, served with their dashboards by
modules.dashboard_views (modules/urls.py)."""

from django.urls import path

from tenancy import views

urlpatterns = [
    path("", views.network_home, name="network_home"),
    path("manage/sign-in/", views.sign_in_settings, name="sign_in_settings"),
    path("manage/settings/", views.network_settings, name="network_settings"),
    path("manage/people/", views.network_people, name="network_people"),
    path("manage/audit/", views.audit_trail, name="audit_trail"),
    path("manage/statements/", views.network_statements, name="network_statements"),
    path("manage/audit/csv/", views.audit_trail_csv, name="audit_trail_csv"),
    path("invitations/<int:invitation_id>/revoke/", views.revoke_invitation,
         name="revoke_invitation"),
    path("coordinate/", views.coordinator_home, name="coordinator_home"),
    path("bench/floor/", views.bench_floor, name="bench_floor"),
    path("bench/chrome/", views.bench_chrome, name="bench_chrome"),
]
