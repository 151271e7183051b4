"""Stored titles, descriptions and notes passed through THE normaliser once (issue 17):
Arabic ي/ك/ى/ة, direction marks, CRLF and
trailing spaces left by rows typed before every path normalised input. See persian/migrations_text.py."""

from django.db import migrations

from persian.migrations_text import normalize_stored_text

FIELDS = {
    "plans.StrategicPlan": ["title", "description"],
    "plans.Goal": ["title", "description"],
    "plans.Milestone": ["title", "description", "target"],
    "plans.ProgressUpdate": ["note", "review_reason"],
}


def normalize(apps, schema_editor):
    for label, fields in FIELDS.items():
        normalize_stored_text(apps.get_model(label), fields)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_persian_collation")]

    operations = [migrations.RunPython(normalize, migrations.RunPython.noop, elidable=True)]
