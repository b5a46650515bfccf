"""Network pages for results and the gathering screen (/n/<network_slug>/…)."""

from django.urls import path

from assessments.results import views

urlpatterns = [
    path("rounds/<int:round_id>/my-results/", views.assessment_results,
         name="assessment_results"),
    path("rounds/<int:round_id>/results/", views.round_results, name="round_results"),
    path("rounds/<int:round_id>/results.csv", views.round_results_export,
         name="round_results_csv"),
    path("rounds/<int:round_id>/results.xlsx", views.round_results_export,
         {"file_format": "xlsx"}, name="round_results_xlsx"),
    path("rounds/<int:round_id>/gathering/", views.round_gathering,
         name="round_gathering"),
]
