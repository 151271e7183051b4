from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Website monitoring")

    def ready(self):
        # Panels on the plan pages (plans never imports us) and measured criteria for the evaluation
        # (evaluations defines the registry; monitoring -> evaluations is the declared edge).
        from evaluations import measures
        from plans import panels

        from . import measures as website_measures
        from . import panels as website_panels

        panels.register("dashboard", "monitoring/_dashboard_panel.html", website_panels.dashboard_panel, order=40)
        panels.register("agency", "monitoring/_agency_panel.html", website_panels.agency_panel, order=40)
        # Frozen with each quarterly bulletin (publishing renders it; neither app imports the other).
        panels.register("bulletin", "monitoring/_bulletin_panel.html", website_panels.bulletin_panel, order=40)
        for measure in website_measures.MEASURES:
            measures.register(measure)
