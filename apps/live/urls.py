from django.urls import path

from apps.live import views

app_name = "live"

urlpatterns = [
    path("", views.join, name="join"),
    path("new/", views.new, name="new"),
    path("<uuid:public_id>/host/", views.host, name="host"),
    path("<uuid:public_id>/host/qr.svg", views.qr, name="qr"),
    path("<uuid:public_id>/host/remove/<int:player_id>/", views.host_remove, name="remove"),
    path("<uuid:public_id>/host/<str:action>/", views.host_control, name="control"),
    path("<uuid:public_id>/play/", views.play, name="play"),
    path("<uuid:public_id>/play/answer/", views.answer, name="answer"),
    path("<uuid:public_id>/report/", views.report, name="report"),
    path("<uuid:public_id>/report.csv", views.report_csv, name="report-csv"),
]
