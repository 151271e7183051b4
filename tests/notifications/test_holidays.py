"""The holiday table: seeded with 1405 and 1406, lunar days marked to confirm, edited by the director-general."""

import pytest
from django.urls import reverse

from notifications import holidays
from notifications.models import Holiday
from notifications.workdays import WorkingDays
from tests import factories

from .conftest import jalali

pytestmark = pytest.mark.django_db


def by_date(year):
    return {(date, name): kind for date, name, kind in holidays.official_holidays(year)}


def test_the_jalali_fixed_holidays_of_1405():
    fixed = {date for (date, _name), kind in by_date(1405).items() if kind == "fixed"}
    expected = ["1405/01/01", "1405/01/02", "1405/01/03", "1405/01/04", "1405/01/12", "1405/01/13"]
    expected += ["1405/03/14", "1405/03/15", "1405/11/22", "1405/12/29"]
    assert fixed == {jalali(day) for day in expected}


def test_the_lunar_holidays_fall_inside_the_year_and_are_many():
    for year in (1405, 1406):
        lunar = [(date, name) for (date, name), kind in by_date(year).items() if kind == "lunar"]
        first, last = jalali(f"{year}/01/01"), jalali(f"{year}/12/29")
        assert all(first <= date <= last for date, _name in lunar)
        names = {name for _date, name in lunar}
        assert {"تاسوعای حسینی", "عاشورای حسینی", "عید سعید فطر", "عید سعید قربان", "عید سعید غدیر خم"} <= names
        assert len(lunar) >= 16  # each lunar holiday once a year (Eid al-Fitr can fall twice in one)
    # Ashura 1448 per Umm al-Qura: Thursday 1405/04/04 (2026-06-25).
    assert (jalali("1405/04/04"), "عاشورای حسینی") in by_date(1405)


def test_the_migration_seeds_both_years_and_marks_lunar_days_to_confirm():
    holidays.seed(Holiday, (1405, 1406))  # a transactional test elsewhere may have emptied the table
    assert Holiday.objects.filter(date__range=(jalali("1405/01/01"), jalali("1405/12/29"))).count() == len(
        holidays.official_holidays(1405)
    )
    assert Holiday.objects.filter(date__range=(jalali("1406/01/01"), jalali("1406/12/29"))).exists()
    assert not Holiday.objects.filter(kind="lunar", confirmed=True).exists()
    assert not Holiday.objects.filter(kind="fixed", confirmed=False).exists()
    assert holidays.seed(Holiday, (1405, 1406)) == 0  # seeding again adds nothing


def test_working_days_skip_fridays_and_the_table():
    days = WorkingDays([jalali("1405/11/22")])
    assert not days.is_working(jalali("1405/11/22"))  # Thursday, a holiday
    assert not days.is_working(jalali("1405/11/23"))  # Friday
    assert days.next(jalali("1405/11/21")) == jalali("1405/11/24")
    assert days.add(jalali("1405/11/24"), -2) == jalali("1405/11/20")
    assert days.between(jalali("1405/11/20"), jalali("1405/11/24")) == 2


def test_the_director_general_corrects_a_lunar_date_in_the_admin(client, director_user):
    holiday, _ = Holiday.objects.update_or_create(
        date=jalali("1405/04/04"), name="عاشورای حسینی", defaults={"kind": "lunar", "confirmed": False}
    )
    client.force_login(director_user)
    listing = client.get(reverse("admin:notifications_holiday_changelist"))
    assert listing.status_code == 200
    assert "۱۴۰۵/۰۴/۰۴" in listing.content.decode()
    response = client.post(
        reverse("admin:notifications_holiday_change", args=[holiday.pk]),
        {"date": "۱۴۰۵/۰۴/۰۵", "name": "عاشورای حسینی", "kind": "lunar", "confirmed": "on"},
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert (holiday.date, holiday.confirmed) == (jalali("1405/04/05"), True)


def test_the_same_holiday_twice_on_a_date_is_refused_with_a_message(client, director_user):
    Holiday.objects.get_or_create(date=jalali("1405/11/22"), name="پیروزی انقلاب اسلامی")
    client.force_login(director_user)
    response = client.post(
        reverse("admin:notifications_holiday_add"),
        {"date": "1405/11/22", "name": "پیروزی انقلاب اسلامی", "kind": "fixed"},
    )
    assert response.status_code == 200
    assert "این تعطیل در این تاریخ از پیش ثبت شده است." in response.content.decode()
    assert Holiday.objects.filter(name="پیروزی انقلاب اسلامی", date=jalali("1405/11/22")).count() == 1


@pytest.mark.parametrize("role", ["officer", "evaluator", "viewer"])
def test_only_the_director_general_opens_the_holidays_and_the_log(client, agency, role):
    user = factories.officer(agency) if role == "officer" else getattr(factories, role)()
    user.is_staff = True
    user.save()
    client.force_login(user)
    for name in ("admin:notifications_holiday_changelist", "admin:notifications_message_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_the_chase_history_is_read_only_in_the_admin(client, director_user):
    client.force_login(director_user)
    for model in ("digest", "escalation", "message", "notification", "scheduledrun"):
        assert client.get(reverse(f"admin:notifications_{model}_changelist")).status_code == 200, model
        assert client.get(reverse(f"admin:notifications_{model}_add")).status_code == 403, model


def test_a_new_year_is_added_by_command_and_adding_it_again_adds_nothing(capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("seed_holidays", "۱۴۰۷")
    assert "holidays added" in capsys.readouterr().out
    assert Holiday.objects.filter(date=jalali("1407/01/01"), name="عید نوروز").exists()
    before = Holiday.objects.count()
    call_command("seed_holidays", "1407")
    assert Holiday.objects.count() == before
    with pytest.raises(CommandError):
        call_command("seed_holidays", "2027")
