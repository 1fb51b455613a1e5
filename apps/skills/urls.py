from django.urls import path

from apps.skills import views

app_name = "skills"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("review/", views.review_start, name="review"),
    path("leaderboards/", views.leaderboards, name="leaderboards"),
    path("privacy/", views.privacy, name="privacy"),
    path("calibration/", views.calibration, name="calibration"),
]
