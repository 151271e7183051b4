"""A pg_trgm index for the Persian-aware search of milestone titles (docs/persian-text.md, "Search").

PostgreSQL only (on SQLite every operation here does nothing): the extension pg_trgm, the function
persian_search_text(text) -- the text without what persian.search's key drops between letters (spaces, ZWNJ,
tatweel, diacritics, hamza, direction marks), one regexp_replace -- and a GIN trigram index on
persian_search_text(title). persian.search.Finds then matches `persian_search_text(title) ~* <letters>`, which
the index serves. The characters are persian.search._DROPPED as of this migration; tests/persian/test_search.py
fails if the two ever differ (a new migration must then replace the function and rebuild the index).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

DROPPED = '\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u0621\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0656\u0657\u0658\u0659\u065a\u065b\u065c\u065d\u065e\u065f\u0670\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200c\u200d\u200e\u200f\u2028\u2029\u202f\u205f\u3000'

FUNCTION = (
    "CREATE OR REPLACE FUNCTION persian_search_text(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
    "AS $$ SELECT regexp_replace($1, %s, '', 'g') $$"
)
INDEX = "CREATE INDEX plans_milestone_title_search ON plans_milestone USING gin (persian_search_text(title) gin_trgm_ops)"


def _quote(text):
    return "'" + text.replace("'", "''") + "'"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION.replace("%s", _quote(f"[{DROPPED}]")), params=None)
        schema_editor.execute(INDEX, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS plans_milestone_title_search", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS persian_search_text(text)", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0010_own_reports_awaiting_review"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
