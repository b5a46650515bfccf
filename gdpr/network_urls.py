"""Pages inside one network: /n/<network_slug>/…"""

from django.urls import path

from gdpr import views

urlpatterns = [
    path("manage/erase/", views.erase_person, name="erase_person"),
]
