from django.urls import path

from apps.cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("join/", views.join, name="join"),
    path("mine/", views.mine, name="mine"),
    path("<int:cohort_id>/", views.cohort_detail, name="detail"),
    path("<int:cohort_id>/assignments/", views.assignment_create, name="assign"),
    path("<int:cohort_id>/results.csv", views.results_csv, name="csv"),
    path("assignments/<int:assignment_id>/start/", views.assignment_start, name="start"),
]
