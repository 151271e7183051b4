"""Stored criteria names, notes and reasons passed through THE normaliser once (issue 17):
Arabic ي/ك/ى/ة, direction marks, CRLF and
trailing spaces left by rows typed before every path normalised input. See persian/migrations_text.py."""

from django.db import migrations

from persian.migrations_text import normalize_stored_text

FIELDS = {
    "evaluations.Criterion": ["name", "description"],
    "evaluations.SubCriterion": ["name"],
    "evaluations.RoundCriterion": ["name"],
    "evaluations.RoundSubCriterion": ["name"],
    "evaluations.ScoreSheet": ["private_note", "public_comment"],
    "evaluations.Correction": ["reason"],
    "evaluations.MeasureOverride": ["reason"],
}


def normalize(apps, schema_editor):
    for label, fields in FIELDS.items():
        normalize_stored_text(apps.get_model(label), fields)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_measured_criteria")]

    operations = [migrations.RunPython(normalize, migrations.RunPython.noop, elidable=True)]
