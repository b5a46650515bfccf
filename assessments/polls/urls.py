"""Network pages of live polls and gathering evaluations (/n/<network_slug>/…)."""

from django.urls import path

from assessments.polls import views

urlpatterns = [
    path("gatherings/<int:gathering_id>/room/", views.gathering_room, name="gathering_room"),
    path("gatherings/<int:gathering_id>/evaluation/open/", views.evaluation_open,
         name="evaluation_open"),
    path("gatherings/<int:gathering_id>/evaluation/", views.gathering_evaluation,
         name="gathering_evaluation"),
    path("polls/<int:poll_id>/open/", views.poll_open, name="poll_open"),
    path("polls/<int:poll_id>/close/", views.poll_close, name="poll_close"),
    path("polls/<int:poll_id>/screen/", views.poll_screen, name="poll_screen"),
    path("polls/<int:poll_id>/answer/", views.poll_answer, name="poll_answer"),
    path("polls/now/", views.polls_now, name="polls_now"),
]
