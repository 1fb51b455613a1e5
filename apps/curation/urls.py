from django.urls import path

from apps.curation import views

app_name = "curation"
urlpatterns = [
    path("", views.question_list, name="questions"),
    path("new/", views.question_create, name="new"),
    path("preview/", views.question_preview, name="preview"),
    path("audit/", views.audit_list, name="audit"),
    path("atlas/", views.atlas_coverage, name="atlas"),
    path("reports/", views.report_queue, name="reports"),
    path("reports/<int:report_id>/", views.report_handle, name="report_handle"),
    path("report/<uuid:public_id>/<int:number>/", views.report_create, name="report"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("q/<slug:slug>/", views.question_detail, name="question"),
    path("q/<slug:slug>/edit/", views.question_edit, name="edit"),
    path("q/<slug:slug>/transition/", views.question_transition, name="transition"),
    path("q/<slug:slug>/versions/", views.question_versions, name="versions"),
]
