"""The read-only API, version 1: explicit paths with names (every one is in the URL × role table)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import docs, views

app_name = "api"

urlpatterns = [
    path("plans/", views.PlanList.as_view(), name="plans"),
    path("plans/<int:pk>/", views.PlanDetail.as_view(), name="plan"),
    path("plans/<int:plan_id>/goals/", views.GoalList.as_view(), name="goals"),
    path("plans/<int:plan_id>/agencies/", views.AgencyFiguresList.as_view(), name="agency_figures"),
    path("goals/<int:pk>/", views.GoalDetail.as_view(), name="goal"),
    path("agencies/", views.AgencyList.as_view(), name="agencies"),
    path("agencies/<int:pk>/", views.AgencyDetail.as_view(), name="agency"),
    path("milestones/", views.MilestoneList.as_view(), name="milestones"),
    path("milestones/<int:pk>/", views.MilestoneDetail.as_view(), name="milestone"),
    path("rounds/", views.RoundList.as_view(), name="rounds"),
    path("rounds/<int:pk>/", views.RoundDetail.as_view(), name="round"),
    path("rounds/<int:pk>/results/", views.RoundResults.as_view(), name="round_results"),
    path("reports/", views.ReportList.as_view(), name="reports"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="report"),
    path("counties/", views.CountyList.as_view(), name="counties"),
    path("counties/<int:pk>/", views.CountyDetail.as_view(), name="county"),
    path("bulletins/", views.BulletinList.as_view(), name="bulletins"),
    path("bulletins/<int:pk>/", views.BulletinDetail.as_view(), name="bulletin"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.SwaggerDocs.as_view(), name="docs"),
]
