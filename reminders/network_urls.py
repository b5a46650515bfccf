"""Reminder pages inside one network: /n/<network_slug>/…"""

from django.urls import path

from reminders import views

urlpatterns = [
    path("organisations/<int:organisation_id>/reminders/", views.organisation_reminders,
         name="organisation_reminders"),
    path("cohorts/<int:cohort_id>/reminders/", views.cohort_reminders, name="cohort_reminders"),
    path("cohorts/<int:cohort_id>/messages/", views.cohort_message, name="cohort_message"),
]
