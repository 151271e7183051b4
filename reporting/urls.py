from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("my-agency/", views.my_agency, name="my_agency"),
    path("milestones/<int:pk>/", views.milestone_page, name="milestone"),
    path("milestones/<int:pk>/report/", views.report, name="report"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review, name="review"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
