from django.urls import path

from apps.quiz import views

app_name = "quiz"
urlpatterns = [
    path("start/", views.quick_start, name="quick_start"),
    path("new/", views.new, name="new"),
    path("history/", views.history, name="history"),
    path("<uuid:public_id>/", views.play, name="play"),
    path("<uuid:public_id>/answer/", views.answer, name="answer"),
    path("<uuid:public_id>/next/", views.next_question, name="next"),
    path("<uuid:public_id>/results/", views.results, name="results"),
    path("<uuid:public_id>/retry/", views.retry, name="retry"),
]
