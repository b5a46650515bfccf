"""Pages inside one network (/n/<network_slug>/…) for cohorts, gatherings and enrolment (the
cohort page, the facilitator's home and progress are in modules.urls)."""

from django.urls import path

from cohorts import gathering_views, tailoring_views, views

urlpatterns = [
    path("groups/<int:group_id>/", views.leader_group_detail, name="leader_group_detail"),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<int:cohort_id>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:cohort_id>/participants/", views.cohort_participants,
         name="cohort_participants"),
    path("cohorts/<int:cohort_id>/copy/", views.cohort_copy, name="cohort_copy"),
    path("cohorts/modules/<int:cohort_module_id>/", views.cohort_module_edit,
         name="cohort_module_edit"),
    path("cohorts/modules/<int:cohort_module_id>/tailor/", tailoring_views.cohort_module_tailor,
         name="cohort_module_tailor"),
    path("cohorts/modules/<int:cohort_module_id>/activities/new/",
         tailoring_views.own_activity_write, name="own_activity_write"),
    path("cohorts/activities/<int:own_activity_id>/", tailoring_views.own_activity_edit,
         name="own_activity_edit"),
    path("gatherings/<int:gathering_id>/calendar.ics", views.gathering_ics,
         name="gathering_ics"),
    path("gatherings/<int:gathering_id>/register/", gathering_views.gathering_register,
         name="gathering_register"),
    path("gatherings/<int:gathering_id>/attendance/", gathering_views.gathering_attendance,
         name="gathering_attendance"),
    path("gatherings/<int:gathering_id>/attendance.csv",
         gathering_views.gathering_attendance_export, name="gathering_attendance_csv"),
    path("gatherings/<int:gathering_id>/attendance.xlsx",
         gathering_views.gathering_attendance_export, {"file_format": "xlsx"},
         name="gathering_attendance_xlsx"),
    path("messages/<int:message_id>/dismiss/", gathering_views.message_dismiss,
         name="message_dismiss"),
    path("enrolment/groups/", views.network_groups, name="network_groups"),
    path("enrolment/groups/<int:group_id>/", views.leader_import, name="leader_import"),
    path("enrolment/leaders/<int:leader_role_id>/move/", views.leader_move,
         name="leader_move"),
    path("enrolment/leaders/<int:leader_role_id>/remove/", views.leader_remove,
         name="leader_remove"),
]
