"""Pages inside one network: /n/<network_slug>/… (the middleware resolves the slug)."""

from django.urls import path

from tenancy import views

urlpatterns = [
    path("", views.network_home, name="network_home"),
    path("manage/", views.manage_dashboard, name="manage_dashboard"),
    path("coordinate/", views.coordinator_home, name="coordinator_home"),
    path("organisations/<int:organisation_id>/", views.organisation_detail,
         name="organisation_detail"),
    path("bench/floor/", views.bench_floor, name="bench_floor"),
]
