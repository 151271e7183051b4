"""Seed the holiday table with the official holidays of 1405 and 1406 (lunar ones unconfirmed)."""

from django.db import migrations

from notifications.holidays import seed

YEARS = (1405, 1406)


def add_holidays(apps, schema_editor):
    seed(apps.get_model("notifications", "Holiday"), YEARS)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(add_holidays, migrations.RunPython.noop)]
