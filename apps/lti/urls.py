from django.urls import path

from apps.lti import views

app_name = "lti"
urlpatterns = [
    path("config/", views.tool_config, name="config"),
    path("jwks/", views.jwks, name="jwks"),
    path("login/", views.login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("deep-link/", views.deep_link, name="deep_link"),
    path("deep-link/respond/", views.deep_link_respond, name="deep_link_respond"),
    path("results/<str:token>/", views.results, name="results"),
    path("courses/<int:course_id>/", views.course_page, name="course"),
    path("courses/<int:course_id>/roster/", views.roster_pull, name="roster"),
]
