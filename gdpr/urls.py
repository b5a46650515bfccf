"""A person's own data, under /profile/."""

from django.urls import path

from gdpr import views

urlpatterns = [
    path("data/", views.my_data, name="my_data"),
    path("data/request/", views.request_my_data, name="request_my_data"),
    path("data/<int:export_id>/download/", views.download_my_data, name="download_my_data"),
    path("erase/", views.erase_my_data, name="erase_my_data"),
]
