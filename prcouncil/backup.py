"""Backup and restore: a consistent copy of the database and the evidence files, with a manifest of checksums.

A backup is a folder:
    manifest.json        what is in it: the database's method, every table's row count and checksum,
                         every file's size and SHA-256, the migrations applied (written last: a
                         folder without it is an unfinished backup and restore refuses it)
    database.sqlite3     SQLite: a copy made with SQLite's online backup API (one consistent snapshot)
    database.dump        PostgreSQL: pg_dump --format=custom, run on a snapshot this process holds
    database.xml         PostgreSQL without pg_dump: Django's dumpdata read in one REPEATABLE READ
                         transaction (the fallback; restore migrates, then loads it). XML, because
                         Django's JSON serializer cuts timestamps to milliseconds and XML keeps them.
    files/...            the evidence files (PRIVATE_MEDIA_ROOT), as they are named there

Table checksums are taken from the same snapshot the copy is made from, and checked again after a
restore: a restore that does not give back exactly the rows (count and checksum of every table)
and the files (SHA-256 of each) that were backed up says so and fails.

A table's checksum is the sum, modulo 2**256, of the SHA-256 of each row's text: independent of
row order, so no sort is needed, and it changes if any row is added, lost or altered.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction

MANIFEST = "manifest.json"
FILES = "files"
FORMAT = 1
SQLITE_COPY = "database.sqlite3"
PG_DUMP = "database.dump"
DUMPDATA = "database.xml"
CHUNK = 1024 * 1024
MODULUS = 2**256


class BackupError(Exception):
    """Something the person running the command must know; nothing was changed."""


# --- checksums ---------------------------------------------------------------------------


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def file_checksums(root):
    """{relative path: {"size", "sha256"}} for every regular file under root (none if it does not exist)."""
    root = Path(root)
    found = {}
    if not root.exists():
        return found
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    return found


def table_names(raw, vendor):
    cursor = raw.cursor()
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    names = [row[0] for row in cursor.fetchall()]
    cursor.close()
    return names


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def table_fingerprints(raw, vendor):
    """{table: {"rows": n, "sha256": hex}} for every table, read through a DB-API connection.

    PostgreSQL rows are read as their text form with the time zone set to UTC (so timestamps read
    the same from any session); SQLite rows as the values SQLite stores, without conversions.
    """
    fingerprints = {}
    if vendor == "postgresql":
        setup = raw.cursor()
        setup.execute("SET TIME ZONE 'UTC'")
        setup.execute("SET DateStyle TO ISO, YMD")
        setup.close()
    for table in table_names(raw, vendor):
        if vendor == "postgresql":
            cursor = raw.cursor(name=f"fingerprint_{len(fingerprints)}")
            cursor.execute(f"SELECT t::text FROM {_quote(table)} AS t")  # noqa: S608 — a table name from the catalogue
        else:
            cursor = raw.cursor()
            cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608 — a table name from the catalogue
        rows, total = 0, 0
        while batch := cursor.fetchmany(2000):
            for row in batch:
                rows += 1
                total = (total + int.from_bytes(hashlib.sha256(repr(tuple(row)).encode()).digest(), "big")) % MODULUS
        cursor.close()
        fingerprints[table] = {"rows": rows, "sha256": f"{total:064x}"}
    return fingerprints


def database_fingerprints(using=connection):
    """table_fingerprints() of a Django database: SQLite through a plain sqlite3 connection to its file
    (Django's own would convert dates and booleans), PostgreSQL through Django's connection."""
    if using.vendor == "sqlite":
        raw = sqlite3.connect(using.settings_dict["NAME"])
        try:
            return table_fingerprints(raw, "sqlite")
        finally:
            raw.close()
    using.ensure_connection()
    with transaction.atomic(using=using.alias):  # server-side cursors need a transaction
        return table_fingerprints(using.connection, "postgresql")


def differences(expected, found, kind):
    """Human-readable lines for every entry that differs between two {name: {...}} maps."""
    lines = []
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            lines.append(f"{kind} {name}: missing after restore")
        elif name not in expected:
            lines.append(f"{kind} {name}: not in the backup")
        elif expected[name] != found[name]:
            lines.append(f"{kind} {name}: {expected[name]} in the backup, {found[name]} now")
    return lines


# --- backup ------------------------------------------------------------------------------


def pg_connection_env(settings_dict):
    """Arguments and environment for pg_dump/pg_restore from Django's database settings (password via env)."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def choose_method(vendor, requested="auto"):
    if vendor == "sqlite":
        if requested not in ("auto", "sqlite"):
            raise BackupError(f"On SQLite the backup is always a copy of the database file (not {requested}).")
        return "sqlite"
    if vendor != "postgresql":
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    if requested == "auto":
        return "pg_dump" if shutil.which("pg_dump") else "dumpdata"
    if requested == "pg_dump" and not shutil.which("pg_dump"):
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    if requested not in ("pg_dump", "dumpdata"):
        raise BackupError(f"Unknown method {requested}: use pg_dump or dumpdata.")
    return requested


def make_backup(target, *, method="auto", media_root=None, stdout=None):
    """Write a backup of the default database and the evidence files into `target` (new or empty)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a new or empty folder.")
    target.mkdir(parents=True, exist_ok=True)
    media_root = Path(media_root or settings.PRIVATE_MEDIA_ROOT)
    vendor = connection.vendor
    method = choose_method(vendor, method)

    if method == "sqlite":
        database_file, tables = _backup_sqlite(target)
        migrations = _migrations_from_sqlite(target / database_file)
    else:
        database_file, tables, migrations = _backup_postgresql(target, method)

    # The files after the database: every file a copied row names was written before its row was
    # committed, so it is already there (evidence files are never changed or deleted in place).
    copied = _copy_tree(media_root, target / FILES)
    manifest = {
        "format": FORMAT,
        "created": datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds"),
        "vendor": vendor,
        "method": method,
        "django": django.get_version(),
        "database": {
            "file": database_file,
            "size": (target / database_file).stat().st_size,
            "sha256": sha256_of(target / database_file),
        },
        "migrations": migrations,
        "tables": tables,
        "files": copied,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def _backup_sqlite(target):
    connection.ensure_connection()
    copy = sqlite3.connect(target / SQLITE_COPY)
    try:
        connection.connection.backup(copy)  # SQLite's online backup API: one consistent snapshot
        tables = table_fingerprints(copy, "sqlite")
    finally:
        copy.close()
    return SQLITE_COPY, tables


def _migrations_from_sqlite(path):
    copy = sqlite3.connect(path)
    try:
        rows = copy.execute("SELECT id, app, name, applied FROM django_migrations ORDER BY id").fetchall()
    finally:
        copy.close()
    return [list(row) for row in rows]


def _backup_postgresql(target, method):
    """Dump and fingerprint one snapshot: this transaction's, which pg_dump shares (--snapshot)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            cursor.execute("SELECT id, app, name, applied::text FROM django_migrations ORDER BY id")
            migrations = [list(row) for row in cursor.fetchall()]
        if method == "pg_dump":
            database_file = PG_DUMP
            args, env = pg_connection_env(connection.settings_dict)
            command = [
                "pg_dump",
                *args,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target / PG_DUMP}",
                connection.settings_dict["NAME"],
            ]
            result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            database_file = DUMPDATA
            with open(target / DUMPDATA, "w", encoding="utf-8") as handle:
                call_command("dumpdata", all=True, format="xml", stdout=handle, verbosity=0)
        tables = table_fingerprints(connection.connection, "postgresql")
    return database_file, tables, migrations


def _copy_tree(source, destination):
    destination.mkdir(parents=True, exist_ok=True)
    copied = {}
    for relative in file_checksums(source):
        path = destination / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(source) / relative, path)
        copied[relative] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    return copied


# --- restore -----------------------------------------------------------------------------


def read_manifest(source):
    source = Path(source)
    path = source / MANIFEST
    if not path.exists():
        raise BackupError(f"{source} has no {MANIFEST}: it is not a backup, or the backup did not finish.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} was written in another backup format ({manifest.get('format')}).")
    return manifest


def check_backup(source, manifest):
    """Every file the manifest lists is there with its checksum (before anything is touched)."""
    source = Path(source)
    problems = []
    database = manifest["database"]
    if not (source / database["file"]).exists():
        problems.append(f"database copy {database['file']}: missing")
    elif sha256_of(source / database["file"]) != database["sha256"]:
        problems.append(f"database copy {database['file']}: checksum differs, the backup is damaged")
    problems += differences(manifest["files"], file_checksums(source / FILES), "file")
    if problems:
        raise BackupError("The backup is damaged; nothing was restored:\n  " + "\n  ".join(problems))


def restore_backup(source, *, media_root=None):
    """Restore `source` into the default database (which must be empty) and the evidence folder.

    Returns {"tables": n, "rows": n, "files": n} after checking every table and file against the
    manifest; raises BackupError before changing anything if the target is not empty or the backup
    damaged, and after restoring if anything came back different.
    """
    source = Path(source)
    manifest = read_manifest(source)
    check_backup(source, manifest)
    vendor = connection.vendor
    if vendor != manifest["vendor"]:
        raise BackupError(
            f"This backup is of a {manifest['vendor']} database; DATABASE_URL points at a {vendor} one. "
            "Nothing was restored."
        )
    existing = connection.introspection.table_names()
    if existing:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(existing)} tables). "
            "restore only fills an empty database: create a new one (PostgreSQL: createdb; SQLite: a new file "
            "in DATABASE_URL) and run restore again. Nothing was changed."
        )
    media_root = Path(media_root or settings.PRIVATE_MEDIA_ROOT)
    if media_root.exists() and any(path.is_file() for path in media_root.rglob("*")):
        raise BackupError(
            f"The evidence folder {media_root} already holds files: restore into an empty one "
            "(PRCOUNCIL_PRIVATE_MEDIA_ROOT). Nothing was changed."
        )

    method = manifest["method"]
    if method == "sqlite":
        _restore_sqlite(source / manifest["database"]["file"])
    elif method == "pg_dump":
        _restore_pg_dump(source / manifest["database"]["file"])
    else:
        _restore_dumpdata(source / manifest["database"]["file"], manifest)
    _copy_tree(source / FILES, media_root)

    found_tables = database_fingerprints()
    problems = differences(manifest["tables"], found_tables, "table")
    problems += differences(manifest["files"], file_checksums(media_root), "file")
    if problems:
        raise BackupError("The restore does not match the backup:\n  " + "\n  ".join(problems))
    return {
        "tables": len(found_tables),
        "rows": sum(table["rows"] for table in found_tables.values()),
        "files": len(manifest["files"]),
    }


def _restore_sqlite(path):
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()
    connection.close()  # the next query opens the restored file afresh


def _restore_pg_dump(path):
    if not shutil.which("pg_restore"):
        raise BackupError("pg_restore is not installed (Debian: apt-get install postgresql-client).")
    args, env = pg_connection_env(connection.settings_dict)
    command = [
        "pg_restore",
        *args,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={connection.settings_dict['NAME']}",
        str(path),
    ]
    connection.close()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


SUMMARY_MODEL = "plans.ProgressSummary"


def _restore_dumpdata(path, manifest):
    """The fallback: build the schema with migrate, empty what migrate wrote, load the rows as they were."""
    call_command("migrate", verbosity=0, interactive=False)
    tables = [table for table in connection.introspection.table_names() if table != "django_migrations"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(_quote(table) for table in tables)} RESTART IDENTITY CASCADE")
        # The progress summary is kept by triggers (docs/progress.md): loading the milestones and reports
        # fills it again, so its own rows are loaded last, over an emptied table, exactly as they were.
        call_command("loaddata", str(path), verbosity=0, exclude=[SUMMARY_MODEL])
        apps.get_model(SUMMARY_MODEL).objects.all().delete()
        with open(path, encoding="utf-8") as handle:
            for item in serializers.deserialize("xml", handle):
                if item.object._meta.label == SUMMARY_MODEL:
                    item.save()
        # The applied migrations as they were recorded at backup time (same ids, same times).
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations")
            cursor.executemany(
                "INSERT INTO django_migrations (id, app, name, applied) VALUES (%s, %s, %s, %s)", manifest["migrations"]
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('django_migrations', 'id'), "
                "(SELECT COALESCE(MAX(id), 1) FROM django_migrations))"
            )
