from django.urls import path

from apps.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.question_list, name="questions"),
    path("<slug:slug>/", views.question_detail, name="question"),
]
