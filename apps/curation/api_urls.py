"""/api/v1/curation/ (included from config/api_urls.py)."""

from django.urls import path

from apps.curation import api

urlpatterns = [
    path("questions/", api.question_list, name="api-curation-questions"),
    path("questions/<slug:slug>/", api.question_detail, name="api-curation-question"),
    path("questions/<slug:slug>/transitions/", api.question_transition,
         name="api-curation-transition"),
    path("questions/<slug:slug>/versions/", api.question_versions,
         name="api-curation-versions"),
    path("questions/<slug:slug>/diff/", api.question_diff, name="api-curation-diff"),
    path("reports/", api.report_list, name="api-curation-reports"),
    path("reports/mine/", api.my_reports, name="api-curation-my-reports"),
    path("reports/<int:report_id>/", api.report_handle, name="api-curation-report"),
    path("audit/", api.audit_list, name="api-curation-audit"),
]
