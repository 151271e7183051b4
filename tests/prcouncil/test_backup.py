"""Backup and restore, as a deployer runs them: the demo plus three evidence files, backed up, restored
into a fresh database by `manage.py restore` in its own process, then compared table by table (row
count and a checksum of each table's rows) and file by file: 0 differences.

Runs on the suite's database: SQLite (online backup API) or PostgreSQL (pg_dump, and the dumpdata
fallback), so .ci/run proves it on both.
"""

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from plans.models import Evidence, Milestone, Status
from plans.services import EvidenceFile, report_progress
from prcouncil.backup import database_fingerprints, differences, file_checksums, table_fingerprints
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_with_evidence():
    """The demo database, and three evidence files reported through the service."""
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    milestone = Milestone.objects.filter(agency__code="education").order_by("pk").first()
    author = milestone.agency.memberships.get().user
    files = [
        ("صورتجلسه اتاق فکر.pdf", factories.tiny_pdf(), "application/pdf"),
        ("عکس نشست خبری.png", factories.tiny_png(), "image/png"),
        ("گزارش فصل پاییز.docx", factories.tiny_office("docx"), "application/vnd.openxmlformats"),
    ]
    evidence = [
        EvidenceFile(file=SimpleUploadedFile(name, data), original_name=name, content_type=kind, size=len(data))
        for name, data, kind in files
    ]
    report_progress(
        milestone=milestone,
        author=author,
        status=Status.IN_PROGRESS,
        progress=80,
        note="سه مستند پیوست شد",
        expected_version=milestone.version,
        files=evidence,
    )
    stored = list(Evidence.objects.exclude(file="").values_list("file", flat=True))
    assert len(stored) >= 3
    return stored


class FreshDatabase:
    """A new, empty database of the suite's kind, and the DATABASE_URL that points at it."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            import psycopg

            self.name = f"restore_{uuid.uuid4().hex[:12]}"
            params = connection.settings_dict
            self.admin = psycopg.connect(
                host=params["HOST"], port=params["PORT"], user=params["USER"], password=params["PASSWORD"] or None,
                dbname="postgres", autocommit=True,
            )  # fmt: skip
            self.admin.execute(f'CREATE DATABASE "{self.name}"')
            self.url = (
                f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST']}:{params['PORT']}/{self.name}"
            )
            self.params = {**params, "NAME": self.name}

    def fingerprints(self):
        if self.vendor == "sqlite":
            raw = sqlite3.connect(self.path)
            try:
                return table_fingerprints(raw, "sqlite")
            finally:
                raw.close()
        with self.connect() as raw:
            return table_fingerprints(raw, "postgresql")

    def connect(self, **options):
        import psycopg

        p = self.params
        return psycopg.connect(
            host=p["HOST"], port=p["PORT"], user=p["USER"], password=p["PASSWORD"] or None, dbname=p["NAME"], **options
        )

    def execute(self, sql):
        if self.vendor == "sqlite":
            raw = sqlite3.connect(self.path)
            raw.execute(sql)
            raw.commit()
            raw.close()
            return
        with self.connect(autocommit=True) as raw:
            raw.execute(sql)

    def drop(self):
        if self.vendor != "sqlite":
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin.close()


@pytest.fixture
def fresh_database(tmp_path):
    database = FreshDatabase(tmp_path)
    yield database
    database.drop()


def restore(folder, database, media_root):
    """`manage.py restore` in its own process, pointed at the fresh database as a deployer would."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PRCOUNCIL_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "prcouncil.settings.local",
            "DATABASE_URL": database.url,
            "PRCOUNCIL_PRIVATE_MEDIA_ROOT": str(media_root),
        }
    )
    env.pop("DATABASE_URL_TEST", None)
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)], cwd=ROOT, env=env, capture_output=True, text=True
    )


def round_trip(tmp_path, database, method="auto"):
    folder, media = tmp_path / "backup", tmp_path / "restored-media"
    call_command("backup", str(folder), method=method, stdout=open(os.devnull, "w"))  # noqa: SIM115
    result = restore(folder, database, media)
    assert result.returncode == 0, result.stderr
    assert "0 differences" in result.stdout
    return folder, media


def compare(database, media):
    source_tables, restored_tables = database_fingerprints(), database.fingerprints()
    source_files, restored_files = file_checksums(settings.PRIVATE_MEDIA_ROOT), file_checksums(media)
    return source_tables, restored_tables, source_files, restored_files


def test_backup_then_restore_into_a_fresh_database_gives_back_every_row_and_file(
    tmp_path, demo_with_evidence, fresh_database
):
    _folder, media = round_trip(tmp_path, fresh_database)
    source_tables, restored_tables, source_files, restored_files = compare(fresh_database, media)

    # Compared here, table by table and file by file, independently of the command's own check.
    assert differences(source_tables, restored_tables, "table") == []
    assert differences(source_files, restored_files, "file") == []
    assert source_tables["plans_milestone"]["rows"] == 129
    assert source_tables["plans_evidence"]["rows"] >= 3
    assert sum(table["rows"] for table in restored_tables.values()) > 4000
    assert {name.split("/")[-1] for name in demo_with_evidence} <= {name.split("/")[-1] for name in restored_files}

    # The comparison sees a change: one altered row in one table is one difference.
    fresh_database.execute(
        "UPDATE plans_milestone SET target = target || '.' WHERE id = (SELECT MIN(id) FROM plans_milestone)"
    )
    assert [line.split(":")[0] for line in differences(source_tables, fresh_database.fingerprints(), "table")] == [
        "table plans_milestone"
    ]


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(tmp_path, demo_with_evidence, fresh_database):
    folder, _media = round_trip(tmp_path, fresh_database)
    before = fresh_database.fingerprints()
    again = restore(folder, fresh_database, tmp_path / "other-media")
    assert again.returncode != 0
    assert "is not empty" in again.stderr
    assert "Nothing was changed" in again.stderr
    assert fresh_database.fingerprints() == before
    assert not (tmp_path / "other-media").exists()


def test_restore_refuses_a_damaged_backup_before_touching_anything(tmp_path, demo_with_evidence, fresh_database):
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=open(os.devnull, "w"))  # noqa: SIM115
    damaged = next(path for path in (folder / "files").rglob("*") if path.is_file())
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"!")
    result = restore(folder, fresh_database, tmp_path / "media")
    assert result.returncode != 0
    assert "damaged" in result.stderr
    assert damaged.relative_to(folder / "files").as_posix() in result.stderr
    assert fresh_database.fingerprints() == {}


def test_restore_refuses_a_folder_that_is_no_finished_backup(tmp_path, fresh_database):
    (tmp_path / "half").mkdir()
    result = restore(tmp_path / "half", fresh_database, tmp_path / "media")
    assert result.returncode != 0
    assert "no manifest.json" in result.stderr


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("an earlier backup")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))


def test_the_postgresql_fallback_without_pg_dump_round_trips_too(tmp_path, demo_with_evidence, fresh_database):
    if connection.vendor != "postgresql":
        pytest.skip("the dumpdata fallback is for PostgreSQL without pg_dump; SQLite always copies its file")
    folder, media = round_trip(tmp_path, fresh_database, method="dumpdata")
    assert (folder / "database.xml").exists()
    source_tables, restored_tables, source_files, restored_files = compare(fresh_database, media)
    assert differences(source_tables, restored_tables, "table") == []
    assert differences(source_files, restored_files, "file") == []
