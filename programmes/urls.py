"""Platform staff's pages for the standard programme (/staff/programmes/…)."""

from django.urls import path

from programmes import views

urlpatterns = [
    path("programmes/", views.programmes, name="staff_programmes"),
    path("programmes/modules/<int:module_id>/", views.module_edit, name="staff_programme_module"),
    path("programmes/phases/<int:phase_id>/", views.phase_edit, name="staff_programme_phase"),
    path(
        "programmes/activities/<int:activity_id>/",
        views.activity_edit,
        name="staff_programme_activity",
    ),
]
