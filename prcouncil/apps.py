from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CouncilAdminConfig(AdminConfig):
    default_site = "prcouncil.admin.CouncilAdminSite"


class SiteConfig(AppConfig):
    """The site itself: settings, urls and the whole-site commands (seed_demo, backup, restore), above every app;
    also its security logging and the people admin."""

    name = "prcouncil"
    label = "prcouncil"
    verbose_name = "PR council"

    def ready(self):
        from . import admin, security

        security.connect_signals()
        # After every app's admin module has run (the admin's ready()), so auth's User admin is there to replace.
        admin.register_people_admin()
