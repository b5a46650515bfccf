"""Pages inside one network (/n/<network_slug>/…) for cohorts, gatherings, enrolment and
progress."""

from django.urls import path

from cohorts import views

urlpatterns = [
    path("facilitate/", views.facilitator_home, name="facilitator_home"),
    path("groups/<int:group_id>/", views.leader_group_detail, name="leader_group_detail"),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:cohort_id>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:cohort_id>/participants/", views.cohort_participants,
         name="cohort_participants"),
    path("cohorts/<int:cohort_id>/copy/", views.cohort_copy, name="cohort_copy"),
    path("cohorts/modules/<int:cohort_module_id>/", views.cohort_module_edit,
         name="cohort_module_edit"),
    path("gatherings/<int:gathering_id>/calendar.ics", views.gathering_ics,
         name="gathering_ics"),
    path("progress/organisations/<int:organisation_id>/", views.organisation_progress,
         name="organisation_progress"),
    path("progress/organisations/<int:organisation_id>/progress.csv",
         views.organisation_progress_csv, name="organisation_progress_csv"),
    path("progress/groups/<int:group_id>/", views.group_progress, name="group_progress"),
    path("progress/groups/<int:group_id>/progress.csv", views.group_progress_csv,
         name="group_progress_csv"),
    path("enrolment/groups/", views.network_groups, name="network_groups"),
    path("enrolment/groups/<int:group_id>/", views.leader_import, name="leader_import"),
    path("enrolment/leaders/<int:leader_role_id>/move/", views.leader_move,
         name="leader_move"),
    path("enrolment/leaders/<int:leader_role_id>/remove/", views.leader_remove,
         name="leader_remove"),
]
