from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from plans import views as plan_views
from prcouncil.views import favicon, start

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("", include("plans.urls")),
    path("start/", start, name="start"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
    path("spreadsheets/", include("spreadsheets.urls")),
    path("favicon.ico", favicon, name="favicon"),
    path("evaluations/", include("evaluations.urls")),
    path("websites/", include("monitoring.urls")),
    path("notifications/", include("notifications.urls")),
]
