"""Two people save the same milestone at the same moment: one save wins, the other is refused (SQLite and PostgreSQL).

Each writer opens the milestone (reads its version) and saves through plans.services with that
version, all released together by a barrier: the director-general moving the due date with a
reason, and the officer reporting progress (and more directors editing other fields). Exactly one
gets through; every other one is refused as stale, and nothing any of them wrote is lost or
half-applied. Runs on the suite's database: a SQLite file with the production options, or
PostgreSQL through DATABASE_URL.
"""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection

from plans import services
from plans.models import Milestone, Status
from plans.services import StaleEdit
from tests import factories

ROUNDS = 5


def race(writes):
    """Run every write at once (a barrier releases them together); {name: "saved" | "stale" | error}."""
    barrier = threading.Barrier(len(writes))
    outcomes, lock = {}, threading.Lock()

    def run(name, write):
        try:
            barrier.wait()
            write()
            result = "saved"
        except StaleEdit:
            result = "stale"
        except Exception as exc:  # noqa: BLE001 — reported by the caller's assertion
            result = repr(exc)
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes[name] = result

    threads = [threading.Thread(target=run, args=item) for item in writes.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def writes_on(opened, round_, *, officer, directors, last):
    """What four people save on the milestone as they opened it (each reads it afresh, as a form post does)."""

    def fresh():
        return Milestone.objects.get(pk=opened.pk)

    def third():
        if last:
            return services.cancel_milestone(
                milestone=fresh(), by=directors[2], expected_version=opened.version, reason="لغو"
            )
        return services.edit_milestone(
            milestone=fresh(), by=directors[2], expected_version=opened.version, weight=2 + round_, reason="وزن"
        )

    return {
        "due date": lambda: services.edit_milestone(
            milestone=fresh(),
            by=directors[0],
            expected_version=opened.version,
            due_date=opened.due_date + datetime.timedelta(days=round_ + 1),
            reason="تعویق",
        ),
        "target": lambda: services.edit_milestone(
            milestone=fresh(), by=directors[1], expected_version=opened.version, target=f"هدف {round_}"
        ),
        "weight or cancel": third,
        "report": lambda: services.report_progress(
            milestone=fresh(),
            author=officer,
            status=Status.IN_PROGRESS,
            progress=92 + round_,
            expected_version=opened.version,
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_milestone_one_wins_the_rest_are_refused(agency):
    milestone = factories.MilestoneFactory(agency=agency, progress=91, weight=1)
    officer = factories.officer(agency, username="officer-race")
    directors = [factories.director(username=f"director-{n}") for n in range(3)]

    for round_ in range(ROUNDS):
        opened = Milestone.objects.get(pk=milestone.pk)
        writes = writes_on(opened, round_, officer=officer, directors=directors, last=round_ == ROUNDS - 1)
        results = race(writes)
        assert sorted(results.values()) == ["saved", "stale", "stale", "stale"], results
        winner = next(name for name, result in results.items() if result == "saved")
        now = Milestone.objects.get(pk=milestone.pk)
        assert now.version == opened.version + 1
        # Only the winner's change is there; every other field is as the milestone was opened.
        changed = {
            "due date": now.due_date != opened.due_date,
            "target": now.target != opened.target,
            "weight or cancel": now.weight != opened.weight or now.status == Status.CANCELLED,
            "report": now.progress != opened.progress,
        }
        assert [name for name, moved in changed.items() if moved] == [winner], (winner, results)
