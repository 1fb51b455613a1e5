from django.urls import path

from apps.packs import views

app_name = "packs"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.upload, name="upload"),
    path("import/<uuid:public_id>/", views.preview, name="preview"),
    path("import/<uuid:public_id>/apply/", views.apply, name="apply"),
    path("export/preview/", views.export_preview_page, name="export_preview"),
    path("export/<str:fmt>/", views.export, name="export"),
]
