from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("plans/<int:plan_id>/goals/<int:number>/", views.goal_detail, name="goal"),
    path("plans/<int:plan_id>/agencies/<slug:code>/", views.agency_detail, name="agency"),
    path("plans/<int:plan_id>/heatmap/", views.heatmap, name="heatmap"),
    path("plans/<int:plan_id>/overdue/", views.overdue, name="overdue"),
    path("public/<int:plan_id>/", views.public_plan, name="public"),
]
