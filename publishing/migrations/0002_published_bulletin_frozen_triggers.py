"""A published bulletin is frozen in the database too: triggers refuse a change of its status, press text,
dates, round or plan, and a change of its narratives (PostgreSQL and SQLite). The figures may still be
replaced, which add_erratum does (with the erratum recording the figures it replaced).

Inserts are left alone, so a restore that loads rows into a migrated database (backup's dumpdata
fallback) still works; pg_restore creates triggers after the data anyway."""

from django.db import migrations

MESSAGE = "a published bulletin is frozen: add a dated erratum instead"
FROZEN_COLUMNS = ("status", "press_text", "published_on", "published_at", "round_id", "plan_id")

POSTGRESQL = [
    f"""
    CREATE FUNCTION publishing_bulletin_frozen() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'published' AND ({", ".join(f"NEW.{c}" for c in FROZEN_COLUMNS)})
            IS DISTINCT FROM ({", ".join(f"OLD.{c}" for c in FROZEN_COLUMNS)}) THEN
            RAISE EXCEPTION 'publishing_bulletin_frozen: {MESSAGE}';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER publishing_bulletin_frozen BEFORE UPDATE ON publishing_bulletin
    FOR EACH ROW EXECUTE FUNCTION publishing_bulletin_frozen()
    """,
    f"""
    CREATE FUNCTION publishing_narrative_frozen() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM publishing_bulletin WHERE id = NEW.bulletin_id AND status = 'published') THEN
            RAISE EXCEPTION 'publishing_narrative_frozen: {MESSAGE}';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER publishing_narrative_frozen BEFORE UPDATE ON publishing_goalnarrative
    FOR EACH ROW EXECUTE FUNCTION publishing_narrative_frozen()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS publishing_narrative_frozen ON publishing_goalnarrative",
    "DROP FUNCTION IF EXISTS publishing_narrative_frozen()",
    "DROP TRIGGER IF EXISTS publishing_bulletin_frozen ON publishing_bulletin",
    "DROP FUNCTION IF EXISTS publishing_bulletin_frozen()",
]

_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN_COLUMNS)
_PUBLISHED = "(SELECT status FROM publishing_bulletin WHERE id = NEW.bulletin_id) = 'published'"
SQLITE = [
    f"""
    CREATE TRIGGER publishing_bulletin_frozen BEFORE UPDATE ON publishing_bulletin
    WHEN OLD.status = 'published' AND ({_CHANGED})
    BEGIN SELECT RAISE(ABORT, 'publishing_bulletin_frozen: {MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER publishing_narrative_frozen_update BEFORE UPDATE ON publishing_goalnarrative
    WHEN {_PUBLISHED}
    BEGIN SELECT RAISE(ABORT, 'publishing_narrative_frozen: {MESSAGE}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS publishing_narrative_frozen_update",
    "DROP TRIGGER IF EXISTS publishing_bulletin_frozen",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_bulletins_narratives_errata")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
