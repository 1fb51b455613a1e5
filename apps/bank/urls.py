from django.urls import path

from apps.bank import views

app_name = "bank"
urlpatterns = [
    path("resources/", views.resource_list, name="resources"),
    path("topics/", views.topic_list, name="topics"),
]
