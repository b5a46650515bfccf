"""Network pages for reports (/n/<network_slug>/…)."""

from django.urls import path

from assessments.reports import views

urlpatterns = [
    path("groups/<int:group_id>/reports/", views.group_reports, name="group_reports"),
    path("cohorts/<int:cohort_id>/reports/", views.cohort_reports, name="cohort_reports"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/retry/", views.report_retry, name="report_retry"),
    path("reports/<int:report_id>/download/", views.report_download,
         name="report_download"),
]
