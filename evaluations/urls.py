from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("mine/", views.my_scorecards, name="my_scorecards"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/close/", views.close_round, name="close"),
    path("<int:pk>/lock/", views.lock_round, name="lock"),
    path("<int:pk>/score/<int:agency_pk>/", views.score_sheet, name="score"),
    path("<int:pk>/sheets/<int:sheet_pk>/", views.sheet_detail, name="sheet"),
    path("<int:pk>/measured/", views.measured, name="measured"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/correct/", views.correct_result, name="correct"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/agencies/<int:agency_pk>/", views.scorecard, name="scorecard"),
]
