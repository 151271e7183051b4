"""Eight officers reporting on one milestone at once, through the real report service.

Each writer does what a person does: reads the milestone (its current version), posts a report
made on that version with plans.services.report_progress, and when the service refuses it as
stale (someone else reported in between), reads again and resubmits. Runs on the suite's
database: PostgreSQL through DATABASE_URL, or a SQLite file with the production options
(IMMEDIATE transactions, WAL, a busy timeout). The acceptance: 0 lost writes, 0 "database is
locked".
"""

import threading

import pytest
from django.db import OperationalError, close_old_connections, connection

from plans.models import Milestone, ProgressUpdate, Status
from plans.services import StaleEdit, report_progress
from tests import factories

WRITERS = 8
REPORTS_EACH = 25
MAX_TRIES = 2000  # per writer; a writer that never gets through would end the test, not hang it


@pytest.fixture
def production_database_options(settings):
    """On SQLite, the test database is a file opened with the production options; say so, or skip nothing."""
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db()
        assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert database["OPTIONS"]["timeout"] >= 5
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    return connection.vendor


@pytest.mark.django_db(transaction=True)
def test_eight_officers_report_25_times_each_through_the_service_and_nothing_is_lost(
    production_database_options, agency, record_property
):
    milestone = factories.MilestoneFactory(agency=agency, progress=0)
    start_version = milestone.version
    officers = [factories.officer(agency, username=f"officer-{n}") for n in range(WRITERS)]
    accepted, stale, locked, other = [], [], [], []
    lock = threading.Lock()
    barrier = threading.Barrier(WRITERS)

    def writer(number, officer):
        try:
            barrier.wait()
            done = tries = 0
            while done < REPORTS_EACH and tries < MAX_TRIES:
                tries += 1
                current = Milestone.objects.get(pk=milestone.pk)  # what the form would show
                seen_version = current.version
                note = f"writer {number} report {done}"
                progress = (number * REPORTS_EACH + done) % 100
                try:
                    update = report_progress(
                        milestone=current,
                        author=officer,
                        status=Status.IN_PROGRESS,
                        progress=progress,
                        note=note,
                        expected_version=seen_version,
                    )
                except StaleEdit:
                    with lock:
                        stale.append(number)
                    continue
                with lock:
                    accepted.append((update.pk, note, progress, current.version))  # the service's new version
                done += 1
        except OperationalError as exc:  # "database is locked" would land here
            with lock:
                locked.append(str(exc))
        except Exception as exc:  # noqa: BLE001 — reported below, never swallowed
            with lock:
                other.append(repr(exc))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(n, officer)) for n, officer in enumerate(officers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    record_property("stale_refusals", len(stale))
    record_property("database_is_locked", len(locked))
    assert locked == []
    assert other == []
    assert len(accepted) == WRITERS * REPORTS_EACH

    # Every accepted report is stored, with what its writer sent.
    stored = {
        pk: (note, progress) for pk, note, progress in ProgressUpdate.objects.values_list("pk", "note", "progress")
    }
    assert stored == {pk: (note, progress) for pk, note, progress, _version in accepted}

    # The milestone moved once per report: its version, and a history record for each version.
    milestone.refresh_from_db()
    assert milestone.version == start_version + WRITERS * REPORTS_EACH
    versions = list(milestone.history.order_by("version").values_list("version", flat=True))
    assert versions == list(range(start_version, milestone.version + 1))
    # Each report was made on the version before its own and took the milestone to the next one:
    # no two reports claim the same version.
    assert sorted(version for *_rest, version in accepted) == versions[1:]
    assert len(stale) > 0, "the writers never raced: the test proved nothing"
    # The milestone shows what the last report said.
    last = ProgressUpdate.objects.filter(milestone=milestone).order_by("-created_at", "-pk").first()
    assert milestone.progress == last.progress
    history_progress = dict(milestone.history.values_list("version", "progress"))
    by_version = {version: progress for _pk, _note, progress, version in accepted}
    assert {version: history_progress[version] for version in by_version} == by_version
