from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.websites, name="websites"),
    path("agencies/<slug:code>/", views.agency_website, name="agency"),
    path("agencies/<slug:code>/sources/", views.edit_sources, name="sources"),
]
