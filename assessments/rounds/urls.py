"""Network pages that schedule a cohort's rounds (/n/<network_slug>/…)."""

from django.urls import path

from assessments.rounds import views

urlpatterns = [
    path("cohorts/<int:cohort_id>/rounds/", views.cohort_rounds, name="cohort_rounds"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
]
