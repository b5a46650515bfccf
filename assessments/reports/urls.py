"""Network pages for reports (/n/<network_slug>/…)."""

from django.urls import path

from assessments.reports import views as report_views

urlpatterns = [
    path("groups/<int:group_id>/reports/", report_views.group_reports, name="group_reports"),
    path("cohorts/<int:cohort_id>/reports/", report_views.cohort_reports, name="cohort_reports"),
    path("reports/<int:report_id>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/retry/", report_views.report_retry, name="report_retry"),
    path("reports/<int:report_id>/download/", report_views.report_download,
         name="report_download"),
]
