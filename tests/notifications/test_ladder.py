"""The daily run: one digest per agency, nothing twice, escalation by thresholds, failures retried."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications import channels
from notifications.ladder import run_reminders
from notifications.models import Digest, Escalation, Message, Notification, Preference
from notifications.tasks import send_daily_reminders
from plans.models import ProgressUpdate, Status
from plans.services import report_progress, review_progress_update
from tests import factories

from .conftest import at, jalali

pytestmark = pytest.mark.usefixtures("official_holidays", "ladder_settings")

# Monday 1405/09/16 (2026-12-07), a working day. With N = 3, a milestone due Thursday 09/19 is
# reminded today; one due today gets its due-day reminder; one due Tuesday 09/10 its first overdue
# reminder (the working days since: 09/11, 09/12, 09/14, 09/15, 09/16; Friday 09/13 is off).
TODAY = "1405/09/16"


def milestone(goal, agency, title, due, **fields):
    return factories.MilestoneFactory(
        goal=goal, agency=agency, title=title, start_date=jalali("1405/07/01"), due_date=jalali(due), **fields
    )


@pytest.fixture
def two_agencies(goal, agency, other_agency, officer_with_email, other_officer_with_email):
    mine = [
        milestone(goal, agency, "نشست خبری فصل پاییز آموزش و پرورش", "1405/09/19"),
        milestone(goal, agency, "گزارش مهر آموزش و پرورش", "1405/09/16"),
        milestone(goal, agency, "پوشش خبری هفته کتاب", "1405/09/10"),
        milestone(goal, agency, "برنامه زمستان", "1405/11/30"),  # not reminded today
    ]
    theirs = [
        milestone(goal, other_agency, "اطلاع‌رسانی قطعی گاز زمستان", "1405/09/19"),
        milestone(goal, other_agency, "گزارش عملکرد گازرسانی روستاها", "1405/09/10"),
    ]
    return mine, theirs


def emails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_one_digest_per_agency_with_due_and_overdue(two_agencies, officer_with_email, other_officer_with_email):
    mine, theirs = two_agencies
    with at(TODAY):
        send_daily_reminders.enqueue()
    [email] = emails_to(officer_with_email.email)
    [other] = emails_to(other_officer_with_email.email)
    for reminded in mine[:3]:
        assert reminded.title in email.body
    assert mine[3].title not in email.body
    assert "سررسید گذشته" in email.body or "عقب‌افتاده" in email.body
    for reminded in theirs:
        assert reminded.title in other.body
    digests = {digest.agency.code: digest for digest in Digest.objects.select_related("agency")}
    assert set(digests) == {"education", "gas"}
    assert (digests["education"].due_count, digests["education"].overdue_count) == (2, 1)
    assert (digests["gas"].due_count, digests["gas"].overdue_count) == (1, 1)
    # One in-app notification per officer, opening on the most urgent (overdue) milestone's row.
    notification = Notification.objects.get(recipient=officer_with_email)
    assert notification.milestone == mine[2]
    assert notification.target_url() == f"/reporting/my-agency/?milestone={mine[2].pk}#milestone-{mine[2].pk}"


def test_an_officer_never_reads_another_agencys_milestones(two_agencies, officer_with_email, other_officer_with_email):
    mine, theirs = two_agencies
    with at(TODAY):
        run_reminders()
    for message, foreign in (
        (emails_to(officer_with_email.email)[0], theirs),
        (emails_to(other_officer_with_email.email)[0], mine),
    ):
        html = message.alternatives[0].content
        for item in foreign:
            assert item.title not in message.body
            assert item.title not in html
            assert f"milestone-{item.pk}" not in html


def test_a_second_run_the_same_day_sends_nothing(two_agencies, officer_with_email, director_with_email):
    with at(TODAY):
        first = run_reminders()
    sent = len(mail.outbox)
    rows = (Notification.objects.count(), Message.objects.count(), Digest.objects.count())
    assert first.counts["sent"] > 0
    with at(TODAY, 15, 30):
        second = run_reminders()
        call_command("send_reminders")
    assert len(mail.outbox) == sent
    assert (Notification.objects.count(), Message.objects.count(), Digest.objects.count()) == rows
    assert second.counts["sent"] == 0
    assert second.counts["already"] == first.counts["sent"]


def test_nothing_is_sent_on_a_friday_or_a_holiday(two_agencies):
    for day in ("1405/09/13", "1405/10/01"):  # a Friday; 13 Rajab
        with at(day):
            result = run_reminders()
        assert not result.working_day
    assert mail.outbox == []
    assert not Digest.objects.exists()


def test_dry_run_writes_and_sends_nothing(two_agencies, capsys):
    with at(TODAY):
        call_command("send_reminders", "--dry-run", "--date", "۱۴۰۵/۰۹/۱۶")
    out = capsys.readouterr().out
    assert "would remind 2 agencies" in out
    assert "education: 2 due, 1 overdue, 0 returned -> officer-education" in out
    assert mail.outbox == []
    assert not Digest.objects.exists()
    assert not Message.objects.exists()
    assert not Notification.objects.exists()


def test_the_date_option_takes_persian_and_latin_digits_and_refuses_nonsense(two_agencies, capsys):
    with at("1405/09/20"):
        call_command("send_reminders", "--date", "1405/09/16")
    assert "reminded 2 agencies" in capsys.readouterr().out
    assert Digest.objects.filter(day=jalali(TODAY)).count() == 2
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Not a date"):
        call_command("send_reminders", "--date", "۱۴۰۵/۱۳/۴۰")


def test_email_turned_off_still_notifies_in_the_app(two_agencies, officer_with_email, other_officer_with_email):
    Preference.objects.create(user=officer_with_email, email=False)
    with at(TODAY):
        result = run_reminders()
    assert emails_to(officer_with_email.email) == []
    assert len(emails_to(other_officer_with_email.email)) == 1
    assert Notification.objects.filter(recipient=officer_with_email).count() == 1
    assert result.counts["skipped"] == 1


def test_returned_report_reaches_the_officer_as_a_notification_and_in_the_next_digest(
    goal, agency, officer_with_email, director_with_email, django_capture_on_commit_callbacks
):
    item = milestone(goal, agency, "انتشار گزارش عملکرد فصلی برای مردم", "1405/12/20")  # not due for months
    with at("1405/09/15", 9), django_capture_on_commit_callbacks(execute=True):
        update = report_progress(
            milestone=item, author=officer_with_email, status="in_progress", progress=30, expected_version=1
        )
    with at("1405/09/15", 11), django_capture_on_commit_callbacks(execute=True):
        review_progress_update(update=update, reviewer=director_with_email, accept=False, reason="تصویر خبر پیوست نشده")
    returned = Notification.objects.get(recipient=officer_with_email, kind="returned")
    assert returned.update == update
    assert returned.target_url() == f"/reporting/my-agency/?milestone={item.pk}#milestone-{item.pk}"
    [event_email] = emails_to(officer_with_email.email)
    assert "تصویر خبر پیوست نشده" in event_email.body

    with at(TODAY):  # the next working day's digest carries it, with the reason
        run_reminders()
    digest_email = emails_to(officer_with_email.email)[-1]
    assert digest_email is not event_email
    assert item.title in digest_email.body
    assert "تصویر خبر پیوست نشده" in digest_email.body
    assert Digest.objects.get(agency=agency).returned_count == 1
    # Once it has been in a digest it does not start a digest of its own again.
    with at("1405/09/17"):
        run_reminders()
    assert Digest.objects.filter(agency=agency).count() == 1


def test_a_failed_send_is_retried_recorded_and_does_not_block_the_others(
    two_agencies, officer_with_email, other_officer_with_email, monkeypatch
):
    real_send = channels.EmailChannel.send
    attempts = []

    def flaky(self, message):
        if message.recipient == officer_with_email:
            attempts.append(message.key)
            raise ConnectionRefusedError("smtp down")
        return real_send(self, message)

    monkeypatch.setattr(channels.EmailChannel, "send", flaky)
    with at(TODAY):
        result = run_reminders()
    assert len(attempts) == 3  # tried at once NOTIFICATION_SEND_ATTEMPTS times
    failed = Message.objects.get(recipient=officer_with_email, channel="email")
    assert (failed.status, failed.attempts) == ("failed", 3)
    assert "smtp down" in failed.error
    assert len(emails_to(other_officer_with_email.email)) == 1  # the other agency got theirs
    assert Notification.objects.filter(recipient=officer_with_email).exists()  # and the app still shows it
    assert result.counts["failed"] == 1

    monkeypatch.setattr(channels.EmailChannel, "send", real_send)
    with at(TODAY, 10):  # the retry run the same day sends only what failed
        retry = run_reminders()
    assert retry.counts["sent"] == 1
    assert len(emails_to(officer_with_email.email)) == 1
    assert len(emails_to(other_officer_with_email.email)) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == ("sent", 4, "")


def test_escalation_lists_only_the_agencies_past_the_thresholds(goal, director_with_email):
    # K = 14 (overdue for more than 14 days), D = 30 (no report in 30 days), R = 7 (waiting more than 7 days).
    today = jalali(TODAY)
    officer = factories.officer(factories.AgencyFactory(code="reporter"), username="someone")
    names = ["long-overdue", "overdue-14", "silent-31", "silent-29", "waiting-8", "waiting-7", "quiet-done"]
    agencies = {code: factories.AgencyFactory(code=code, name=f"دستگاه {code}") for code in names}

    def report(item, days_ago, state="accepted"):
        with at(today - datetime.timedelta(days=days_ago), 10):
            update = factories.ProgressUpdateFactory(milestone=item, author=officer, created_at=timezone.now())
        if state == "accepted":
            ProgressUpdate.objects.filter(pk=update.pk).update(
                review_state=state, reviewed_by=director_with_email, reviewed_at=update.created_at
            )

    def item(code, due_days_ago, **fields):
        return factories.MilestoneFactory(
            goal=goal,
            agency=agencies[code],
            title=f"گام {code}",
            start_date=today - datetime.timedelta(days=200),
            due_date=today - datetime.timedelta(days=due_days_ago),
            **fields,
        )

    report(item("long-overdue", 15), 1)
    report(item("overdue-14", 14), 1)
    report(item("silent-31", -30), 31)
    report(item("silent-29", -30), 29)
    report(item("waiting-8", -30), 8, state="submitted")
    report(item("waiting-7", -30), 7, state="submitted")
    report(item("quiet-done", 40, status=Status.DONE, progress=100), 60)  # finished: silence is not chased

    with at(TODAY):
        run_reminders()
    escalated = set(Escalation.objects.values_list("agency__code", flat=True))
    assert escalated == {"long-overdue", "silent-31", "waiting-8"}
    [email] = emails_to(director_with_email.email)
    for code in names:
        assert (f"دستگاه {code}" in email.body) == (code in escalated), code
    rows = {row.agency.code: row for row in Escalation.objects.select_related("agency")}
    long_overdue = rows["long-overdue"]
    assert (long_overdue.overdue_count, long_overdue.silent, long_overdue.waiting_count) == (1, False, 0)
    assert rows["silent-31"].silent
    assert rows["waiting-8"].waiting_count == 1
    notification = Notification.objects.get(recipient=director_with_email, kind="escalation")
    assert notification.data["agencies"] == 3


def test_an_agency_with_no_officer_is_recorded_but_not_sent(goal, agency):
    milestone(goal, agency, "گام بی‌مسئول", "1405/09/16")
    with at(TODAY):
        run_reminders()
    digest = Digest.objects.get(agency=agency)
    assert digest.recipient_count == 0
    assert mail.outbox == []


def make_agencies(goal, count):
    agencies = []
    for number in range(3):
        agency = factories.AgencyFactory(code=f"size-{number}")
        factories.officer(agency, username=f"size-officer-{number}", email=f"o{number}@example.ir")
        agencies.append(agency)
        for index in range(count):
            # Every agency has due, due-today and overdue milestones at both sizes.
            due = ("1405/09/19", "1405/09/16", "1405/09/10")[index % 3]
            milestone(goal, agency, f"گام {number}-{index}", due)
    return agencies


@pytest.mark.parametrize("count", [3, 60])
def test_the_run_takes_a_fixed_number_of_queries_whatever_the_number_of_milestones(
    goal, director_with_email, count, django_assert_num_queries
):
    make_agencies(goal, count)
    # Reads: holidays, plan, earliest due date, reminded milestones, returned reports, officers; escalation:
    # overdue, waiting, silent, the other agencies; directors (10). Writes: digests and escalations in one
    # savepoint (4); the log: rows written, rows to send (2). Then per message, 3 digests + 1 escalation:
    # in the app 6 (claim, get_or_create: select, savepoint, insert, release; mark sent), by email 2.
    with at(TODAY), django_assert_num_queries(10 + 4 + 2 + 4 * 6 + 4 * 2):
        result = run_reminders()
    assert len(result.digests) == 3
    assert result.counts["sent"] == 8
    digest = Digest.objects.get(agency__code="size-0")
    assert digest.due_count + digest.overdue_count == count


def test_a_day_with_failures_is_run_again_later_by_the_worker(two_agencies, officer_with_email, monkeypatch):
    # The test backend cannot defer; a backend that can (the database one) gets a retry run of the same day.
    from notifications import tasks

    monkeypatch.setattr(channels.EmailChannel, "send", lambda self, message: (_ for _ in ()).throw(OSError("down")))
    enqueued = []
    monkeypatch.setattr(tasks.send_daily_reminders.get_backend(), "supports_defer", True, raising=False)

    class Later:
        def enqueue(self, **kwargs):
            enqueued.append(kwargs)

    monkeypatch.setattr(type(tasks.send_daily_reminders), "using", lambda self, **options: Later())
    with at(TODAY):
        tasks.send_daily_reminders.call()
    assert enqueued == [{"retry_run": 1, "day": jalali(TODAY).isoformat()}]
