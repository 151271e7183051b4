from django.urls import path

from . import views

app_name = "spreadsheets"

urlpatterns = [
    path("export/", views.export_progress, name="export"),
    path("export/jobs/<int:job_id>/", views.export_job, name="export_job"),
    path("export/jobs/<int:job_id>/download/", views.export_job_download, name="export_job_download"),
    path("sheet/", views.agency_sheet, name="agency_sheet"),
    path("sheet/download/", views.agency_sheet_download, name="agency_sheet_download"),
    path("sheet/preview/", views.agency_sheet_preview, name="agency_sheet_preview"),
    path("sheet/confirm/", views.agency_sheet_confirm, name="agency_sheet_confirm"),
]
