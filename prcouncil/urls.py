from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from plans import views as plan_views
from prcouncil.views import favicon, start

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("", include("plans.urls")),
    path("start/", start, name="start"),
    path(
        "accounts/login/",
        # FormView would take PUT as a POST; the login form is GET and POST only.
        auth_views.LoginView.as_view(redirect_authenticated_user=True, http_method_names=["get", "head", "post"]),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's set_language answers any method with a redirect; it only ever changes something on POST.
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
    path("spreadsheets/", include("spreadsheets.urls")),
    path("favicon.ico", favicon, name="favicon"),
    path("evaluations/", include("evaluations.urls")),
    path("websites/", include("monitoring.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("api.urls")),
    path("account/api-tokens/", include("api.page_urls")),
    path("bulletins/", include("publishing.urls")),
]
