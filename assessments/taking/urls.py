"""Network pages for the leader's own test (/n/<network_slug>/…)."""

from django.urls import path

from assessments.taking import views

urlpatterns = [
    path("assessments/", views.my_assessments, name="my_assessments"),
    path("rounds/<int:round_id>/take/", views.take_intro, name="assessment_take"),
    path("rounds/<int:round_id>/take/<int:step>/", views.take_step,
         name="assessment_take_step"),
    path("rounds/<int:round_id>/take/save/", views.save_answer,
         name="assessment_answer_save"),
    path("rounds/<int:round_id>/take/review/", views.review, name="assessment_review"),
]
