"""The bell, the notifications page (opening one marks it read and lands on its page), the email preference."""

import pytest
from django.urls import reverse

from notifications.models import Notification, Preference
from plans.models import ProgressUpdate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(agency):
    return factories.MilestoneFactory(agency=agency, title="برگزاری نشست خبری فصل پاییز")


def notify(user, key, kind="digest", **fields):
    return Notification.objects.create(recipient=user, key=key, kind=kind, **fields)


def test_the_bell_shows_the_unread_count_in_persian_digits(client, officer_user, agency, milestone):
    for number in range(12):
        notify(officer_user, f"digest:{number}", agency=agency, milestone=milestone, data={"due": 1})
    Notification.objects.filter(key="digest:0").update(read_at="2026-12-01T08:00:00Z")
    client.force_login(officer_user)
    page = client.get(reverse("reporting:my_agency")).content.decode()
    assert 'class="badge rounded-pill text-bg-danger unread-count"' in page
    assert ">۱۱</span>" in page


def test_no_badge_without_unread_notifications_and_no_bell_for_visitors(client, officer_user):
    client.force_login(officer_user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "notification-bell" in page
    assert "unread-count" not in page
    client.logout()
    assert "notification-bell" not in client.get(reverse("login")).content.decode()


def test_the_page_lists_each_kind_in_persian(client, officer_user, director_user, agency, milestone):
    update = factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    ProgressUpdate.objects.filter(pk=update.pk).update(
        review_state="returned",
        review_reason="تصویر جلسه پیوست نشده",
        reviewed_by=director_user,
        reviewed_at=update.created_at,
    )
    notify(officer_user, "d", agency=agency, milestone=milestone, data={"due": 2, "overdue": 1, "returned": 0})
    notify(officer_user, "r", kind="returned", agency=agency, milestone=milestone, update=update)
    notify(officer_user, "a", kind="accepted", agency=agency, milestone=milestone, update=update)
    notify(director_user, "w", kind="awaiting_review", agency=agency, update=update)
    notify(director_user, "e", kind="escalation", data={"agencies": 3, "plan": milestone.goal.plan_id})
    client.force_login(officer_user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "یادآوری برای آموزش و پرورش: ۲ در آستانه مهلت، ۱ عقب‌افتاده، ۰ بازگشتی برای اصلاح." in page
    assert "گزارش شما دربارهٔ «برگزاری نشست خبری فصل پاییز» برای اصلاح بازگشت داده شد: تصویر جلسه پیوست نشده" in page
    assert "گزارش شما دربارهٔ «برگزاری نشست خبری فصل پاییز» تأیید شد." in page
    assert "گزارش‌های تازه" not in page  # the director's are not the officer's
    client.force_login(director_user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "گزارش‌های تازه آموزش و پرورش در انتظار بررسی است." in page
    assert "۳ دستگاه نیازمند پیگیری" in page


def test_opening_a_notification_marks_it_read_and_lands_on_the_row(client, officer_user, agency, milestone):
    notification = notify(officer_user, "d", agency=agency, milestone=milestone, data={"due": 1})
    client.force_login(officer_user)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/reporting/my-agency/?milestone={milestone.pk}#milestone-{milestone.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "unread-count" not in client.get(reverse("notifications:list")).content.decode()


def test_the_review_notification_opens_the_queue_filtered_by_agency(client, director_user, agency):
    notification = notify(director_user, "w", kind="awaiting_review", agency=agency)
    client.force_login(director_user)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == "/reporting/review/?agency=education"
    assert client.get(response["Location"]).status_code == 200


def test_someone_elses_notification_is_a_404_and_stays_unread(client, officer_user, other_officer_user, agency):
    notification = notify(officer_user, "d", agency=agency, data={"due": 1})
    client.force_login(other_officer_user)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read(client, officer_user, agency):
    for number in range(3):
        notify(officer_user, f"k{number}", agency=agency, data={"due": 1})
    client.force_login(officer_user)
    response = client.post(reverse("notifications:read_all"))
    assert response["Location"] == reverse("notifications:list")
    assert not Notification.objects.unread().exists()


def test_a_person_turns_email_off_and_on(client, officer_user):
    client.force_login(officer_user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'type="checkbox" name="email"' in page
    assert "checked" in page
    assert "نشانی ایمیلی برای شما ثبت نشده است" in page
    response = client.post(reverse("notifications:preferences"), {})
    assert response.status_code == 302
    assert Preference.objects.get(user=officer_user).email is False
    assert "تنظیمات اعلان شما ذخیره شد." in client.get(response["Location"]).content.decode()
    client.post(reverse("notifications:preferences"), {"email": "on"})
    assert Preference.objects.get(user=officer_user).email is True


@pytest.mark.parametrize("count", [5, 45])
def test_the_page_runs_a_fixed_number_of_queries(
    client, officer_user, agency, milestone, count, django_assert_num_queries
):
    update = factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    for number in range(count):
        notify(officer_user, f"r{number}", kind="accepted", agency=agency, milestone=milestone, update=update)
    client.force_login(officer_user)
    # session, user, membership, page count, the page's notifications (with agency, milestone, report),
    # unread count; navbar: agency name, returned count, the bell.
    with django_assert_num_queries(9):
        response = client.get(reverse("notifications:list"))
        assert response.content.decode().count("تأیید شد") == min(count, 30)
