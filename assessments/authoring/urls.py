"""Platform staff's pages for instruments (/staff/instruments/…)."""

from django.urls import path

from assessments.authoring import views

urlpatterns = [
    path("instruments/", views.instruments, name="staff_instruments"),
    path("instruments/<int:instrument_id>/", views.instrument_preview, name="staff_instrument"),
]
