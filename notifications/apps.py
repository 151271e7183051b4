from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Reminders and notifications")

    def ready(self):
        from plans import panels as plan_panels

        from . import panels, receivers  # noqa: F401 -- connects the plans.signals listeners

        plan_panels.register("agency", "notifications/_agency_panel.html", panels.agency_chase, order=20)
        plan_panels.register("dashboard", "notifications/_dashboard_panel.html", panels.dashboard_chase, order=20)
