"""Stored names and job titles passed through THE normaliser once (issue 17):
Arabic ي/ك/ى/ة, direction marks, CRLF and
trailing spaces left by rows typed before every path normalised input. See persian/migrations_text.py."""

from django.db import migrations

from persian.migrations_text import normalize_stored_text

FIELDS = {
    "agencies.County": ["name"],
    "agencies.Agency": ["name"],
    "agencies.Membership": ["title"],
}


def normalize(apps, schema_editor):
    for label, fields in FIELDS.items():
        normalize_stored_text(apps.get_model(label), fields)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_persian_collation")]

    operations = [migrations.RunPython(normalize, migrations.RunPython.noop, elidable=True)]
