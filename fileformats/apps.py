from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FileFormatsConfig(AppConfig):
    """Files in and out, for every app: the xlsx/csv writer, the one upload checker, the import-export base.

    A leaf: it imports persian and third-party packages only, never an app's models.
    """

    name = "fileformats"
    verbose_name = _("Files and spreadsheets")

    def ready(self):
        from . import checks  # noqa: F401  (registers the defusedxml check)
