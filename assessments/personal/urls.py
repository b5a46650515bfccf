"""Network pages for a leader's personal rounds and own development (/n/<network_slug>/…)."""

from django.urls import path

from assessments.personal import views

urlpatterns = [
    path("my-development/", views.my_development, name="my_development"),
    path("my-development/take/", views.take_alone, name="take_alone"),
    path(
        "my-development/rounds/<int:personal_round_id>/",
        views.personal_results,
        name="personal_results",
    ),
]
