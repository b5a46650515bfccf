"""Network pages for results and the gathering screen (/n/<network_slug>/…)."""

from django.urls import path

from assessments.results import views as results_views

urlpatterns = [
    path("rounds/<int:round_id>/my-results/", results_views.assessment_results,
         name="assessment_results"),
    path("rounds/<int:round_id>/results/", results_views.round_results, name="round_results"),
    path("rounds/<int:round_id>/gathering/", results_views.round_gathering,
         name="round_gathering"),
]
