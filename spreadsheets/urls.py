from django.urls import path

from . import views

app_name = "spreadsheets"

urlpatterns = [
    path("export/", views.export_progress, name="export"),
    path("sheet/", views.agency_sheet, name="agency_sheet"),
    path("sheet/download/", views.agency_sheet_download, name="agency_sheet_download"),
    path("sheet/preview/", views.agency_sheet_preview, name="agency_sheet_preview"),
    path("sheet/confirm/", views.agency_sheet_confirm, name="agency_sheet_confirm"),
]
