from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CouncilAdminConfig(AdminConfig):
    default_site = "prcouncil.admin.CouncilAdminSite"


class CouncilConfig(AppConfig):
    """The site package as an app, so its management commands (run_scheduler) are found."""

    name = "prcouncil"
    verbose_name = "prcouncil"
