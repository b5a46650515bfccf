"""Reminder pages that belong to a person, not a network: /reminders/…"""

from django.urls import path

from reminders import views

urlpatterns = [
    path("settings/", views.reminder_settings, name="reminder_settings"),
    path("unsubscribe/<str:token>/", views.reminder_unsubscribe, name="reminder_unsubscribe"),
]
