from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CouncilAdminConfig(AdminConfig):
    default_site = "prcouncil.admin.CouncilAdminSite"


class SiteConfig(AppConfig):
    """The site itself: settings, urls and the whole-site commands (seed_demo), above every app."""

    name = "prcouncil"
    label = "prcouncil"
    verbose_name = "PR council"
