"""run_scheduler: each periodic job is enqueued once a day, at or after its time, even across restarts."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications.models import Digest, ScheduledRun
from prcouncil.management.commands.run_scheduler import enqueue_due_jobs

from .conftest import at
from .test_ladder import TODAY, milestone

pytestmark = pytest.mark.usefixtures("official_holidays", "ladder_settings")


@pytest.fixture
def reminders_at_7_30(settings):
    settings.PERIODIC_TASKS = {"reminders": {"task": "notifications.tasks.send_daily_reminders", "at": "07:30"}}


@pytest.fixture
def due_today(goal, agency, officer_with_email):
    return milestone(goal, agency, "گام امروز", TODAY)


def test_a_job_waits_for_its_time_then_runs_once_a_day(reminders_at_7_30, due_today):
    with at(TODAY, 7, 29):
        assert enqueue_due_jobs() == []
    assert not Digest.objects.exists()
    with at(TODAY, 7, 30):
        assert enqueue_due_jobs() == ["reminders"]  # the test backend runs the task at once
    assert Digest.objects.filter(agency=due_today.agency).count() == 1
    with at(TODAY, 18, 0):
        assert enqueue_due_jobs() == []  # a restarted scheduler does not enqueue it again
        call_command("run_scheduler", "--once")
    assert ScheduledRun.objects.get().task_id
    with at("1405/09/17", 7, 45):
        assert enqueue_due_jobs() == ["reminders"]
    assert list(ScheduledRun.objects.order_by("day").values_list("name", flat=True)) == ["reminders", "reminders"]


def test_a_scheduler_started_late_catches_up_the_same_day(reminders_at_7_30, due_today):
    with at(TODAY, 23, 50):
        call_command("run_scheduler", "--once")
    assert Digest.objects.count() == 1


def test_now_ignores_the_time_but_not_the_day(reminders_at_7_30, due_today):
    with at(TODAY, 6, 0):
        call_command("run_scheduler", "--once", "--now")
        call_command("run_scheduler", "--once", "--now")
    assert ScheduledRun.objects.count() == 1
    assert Digest.objects.count() == 1


@pytest.mark.parametrize(
    "job",
    [
        {"task": "notifications.tasks.no_such_task", "at": "07:30"},
        {"task": "notifications.tasks.send_daily_reminders", "at": "7.30 am"},
        {"task": "notifications.ladder.run_reminders", "at": "07:30"},
        {"at": "07:30"},
    ],
)
def test_a_bad_job_is_refused_with_a_clear_message(settings, job):
    settings.PERIODIC_TASKS = {"broken": job}
    with pytest.raises(CommandError, match="PERIODIC_TASKS\\['broken'\\]"):
        call_command("run_scheduler", "--once")
