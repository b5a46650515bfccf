"""Network pages for assessment rounds and the leader's own test (/n/<network_slug>/…)."""

from django.urls import path

from assessments.rounds import views as rounds_views
from assessments.taking import views as take_views

urlpatterns = [
    path("cohorts/<int:cohort_id>/rounds/", rounds_views.cohort_rounds, name="cohort_rounds"),
    path("rounds/<int:round_id>/edit/", rounds_views.round_edit, name="round_edit"),
    path("assessments/", take_views.my_assessments, name="my_assessments"),
    path("rounds/<int:round_id>/take/", take_views.take_intro, name="assessment_take"),
    path("rounds/<int:round_id>/take/<int:step>/", take_views.take_step,
         name="assessment_take_step"),
    path("rounds/<int:round_id>/take/save/", take_views.save_answer,
         name="assessment_answer_save"),
    path("rounds/<int:round_id>/take/review/", take_views.review, name="assessment_review"),
]
