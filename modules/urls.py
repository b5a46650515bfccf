from django.urls import path

from modules import views

urlpatterns = [
    path("me/", views.leader_home, name="leader_home"),
    path("modules/<int:cohort_module_id>/", views.module_detail, name="module_detail"),
    path("modules/<int:cohort_module_id>/activities/<int:activity_id>/done/",
         views.activity_done, name="activity_done"),
    path("modules/<int:cohort_module_id>/reflections/<int:reflection_activity_id>/",
         views.reflection, name="reflection"),
    path("modules/<int:cohort_module_id>/reflections/<int:reflection_activity_id>/save/",
         views.reflection_save, name="reflection_save"),
    path("groups/<int:group_id>/work/", views.group_work, name="group_work"),
    path("groups/<int:group_id>/modules/<int:cohort_module_id>/tasks/<int:task_activity_id>/",
         views.group_task, name="group_task"),
    path("groups/<int:group_id>/modules/<int:cohort_module_id>/ambition/",
         views.ambition_edit, name="ambition_edit"),
    path("groups/<int:group_id>/modules/<int:cohort_module_id>/initiatives/new/",
         views.initiative_create, name="initiative_create"),
    path("initiatives/<int:initiative_id>/edit/", views.initiative_edit,
         name="initiative_edit"),
    path("initiatives/<int:initiative_id>/delete/", views.initiative_delete,
         name="initiative_delete"),
    path("initiatives/shared/", views.shared_initiatives, name="shared_initiatives"),
]
