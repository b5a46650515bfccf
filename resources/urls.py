from django.urls import path

from resources import views

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/new/", views.resource_create, name="resource_create"),
    path("library/<int:resource_id>/", views.resource_detail, name="resource_detail"),
    path("library/<int:resource_id>/file/", views.resource_file, name="resource_file"),
    path("library/<int:resource_id>/captions/", views.resource_captions,
         name="resource_captions"),
    path("library/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("library/<int:resource_id>/delete/", views.resource_delete, name="resource_delete"),
]
