from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("plans/<int:plan_id>/goals/<int:number>/", views.goal_detail, name="goal"),
    path("plans/<int:plan_id>/agencies/<slug:code>/", views.agency_detail, name="agency"),
    path("plans/<int:plan_id>/heatmap/", views.heatmap, name="heatmap"),
    path("plans/<int:plan_id>/overdue/", views.overdue, name="overdue"),
    path("public/<int:plan_id>/", views.public_plan, name="public"),
    # The plan editor (issue 11).
    path("plans/edit/", views.editor, name="editor"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="edit"),
    path("plans/<int:plan_id>/edit/publish/", views.plan_publish, name="publish"),
    path("plans/<int:plan_id>/edit/copy/", views.plan_copy, name="copy"),
    path("plans/<int:plan_id>/edit/goals/new/", views.goal_create, name="goal_create"),
    path("plans/<int:plan_id>/edit/goals/reorder/", views.goals_reorder, name="goals_reorder"),
    path("plans/<int:plan_id>/edit/goals/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("plans/<int:plan_id>/edit/goals/<int:goal_id>/assign/", views.milestone_assign, name="assign"),
    path("plans/<int:plan_id>/edit/milestones/<int:pk>/", views.milestone_edit, name="milestone_edit"),
    path("plans/<int:plan_id>/edit/milestones/<int:pk>/cancel/", views.milestone_cancel, name="milestone_cancel"),
]
