from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Quarterly bulletins")

    def ready(self):
        # The plan's public page links its bulletins (plans never imports us).
        from plans import panels

        from . import panels as bulletin_panels

        panels.register("public", "publishing/_public_panel.html", bulletin_panels.public_panel, order=10)
