from django.urls import path

from apps.matches import views

app_name = "matches"
urlpatterns = [
    path("", views.lobby, name="lobby"),
    path("history/", views.history, name="history"),
    path("queue/", views.queue, name="queue"),
    path("queue/join/", views.queue_join, name="queue_join"),
    path("queue/leave/", views.queue_leave, name="queue_leave"),
    path("bot/", views.bot_start, name="bot"),
    path("challenge/", views.challenge_create, name="challenge_create"),
    path("challenge/enter/", views.challenge_enter, name="challenge_enter"),
    path("c/<str:code>/", views.challenge, name="challenge"),
    path("c/<str:code>/accept/", views.challenge_accept, name="challenge_accept"),
    path("m/<uuid:public_id>/", views.play, name="play"),
    path("m/<uuid:public_id>/answer/", views.answer, name="answer"),
    path("m/<uuid:public_id>/tick/", views.tick, name="tick"),
    path("m/<uuid:public_id>/claim/", views.claim, name="claim"),
    path("m/<uuid:public_id>/rematch/", views.rematch, name="rematch"),
]
