from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Strategic plan")

    def ready(self):
        post_migrate.connect(keep_summary_triggers, sender=self)


def keep_summary_triggers(sender, using="default", **kwargs):
    """After every migrate: the progress summary's triggers exist, and if any had gone the summary is
    rebuilt. On SQLite a migration that alters plans_milestone or plans_progressupdate often remakes
    the table (copy, drop, rename), and dropping a table drops its triggers with it."""
    from django.db import connections

    from . import summary

    connection = connections[using]
    if summary.SUMMARY not in connection.introspection.table_names():
        return
    if summary.ensure_triggers(connection):
        summary.fill_from_scratch(connection)
