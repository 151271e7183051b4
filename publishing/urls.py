from django.urls import path
from django.views.decorators.http import condition, require_safe

from . import feeds, views

app_name = "publishing"

urlpatterns = [
    path("", views.bulletins, name="bulletins"),
    path("latest/", views.latest, name="latest"),
    path(
        "feed/",
        require_safe(condition(last_modified_func=views.list_modified)(feeds.BulletinFeed())),
        name="feed",
    ),
    path("data-dictionary/", views.data_dictionary, name="data_dictionary"),
    path("agencies/<slug:code>/", views.agency, name="agency"),
    path("<int:pk>/", views.bulletin, name="bulletin"),
    path("<int:pk>/<slug:table>.csv", views.data_csv, name="data_csv"),
    path("<int:pk>/data.json", views.data_json, name="data_json"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/", views.edit, name="edit"),
    path("manage/<int:pk>/preview/", views.preview, name="preview"),
    path("manage/<int:pk>/publish/", views.publish, name="publish"),
    path("manage/<int:pk>/errata/", views.add_erratum, name="erratum"),
]
