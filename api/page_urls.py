"""A person's own API tokens (outside the versioned API: a page of the site)."""

from django.urls import path

from . import pages

app_name = "api_tokens"

urlpatterns = [
    path("", pages.my_tokens, name="list"),
    path("<int:pk>/revoke/", pages.revoke, name="revoke"),
]
