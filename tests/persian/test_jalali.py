import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from persian import jalali, values
from persian.forms import JalaliDateField


@pytest.mark.parametrize(
    "typed",
    ["۱۴۰۵/۰۹/۰۶", "1405/9/6", "1405/09/06", "۱۴۰5/9/۰6", "١٤٠٥/٠٩/٠٦", " 1405-09-06 ", "1405.9.6"],
)
def test_jalali_date_field_accepts_persian_latin_and_mixed_digits(typed):
    assert JalaliDateField().clean(typed) == datetime.date(2026, 11, 27)


def test_jalali_date_field_accepts_gregorian_iso_dates():
    assert JalaliDateField().clean("2026-11-27") == datetime.date(2026, 11, 27)


@pytest.mark.parametrize("typed", ["1405/13/40", "1405/12/30", "۱۴۰۵/۰۰/۱۰", "hello", "1405/7/31", "14050906"])
def test_jalali_date_field_rejects_impossible_dates_with_a_persian_message(typed):
    field = JalaliDateField()
    with pytest.raises(ValidationError) as excinfo:
        field.clean(typed)
    assert excinfo.value.messages == ["تاریخ شمسی معتبر وارد کنید، مانند ۱۴۰۵/۰۹/۰۶."]


def test_empty_optional_date_is_none():
    assert JalaliDateField(required=False).clean("") is None


def test_leap_year_1403_has_30_days_in_esfand_and_1404_does_not():
    assert values.clean_date("1403/12/30") == datetime.date(2025, 3, 20)
    with pytest.raises(values.InvalidValue):
        values.clean_date("1404/12/30")
    assert values.clean_date("1404/12/29") == datetime.date(2026, 3, 20)


def test_year_boundaries():
    assert values.clean_date("1405/01/01") == datetime.date(2026, 3, 21)
    assert jalali.year_bounds(1405) == (datetime.date(2026, 3, 21), datetime.date(2027, 3, 20))
    # 1403 is leap: 366 days.
    start, end = jalali.year_bounds(1403)
    assert (end - start).days + 1 == 366
    assert jalali.Quarter.containing(datetime.date(2026, 3, 20)) == jalali.Quarter(1404, 4)
    assert jalali.Quarter.containing(datetime.date(2026, 3, 21)) == jalali.Quarter(1405, 1)


@pytest.mark.parametrize(
    ("quarter", "bounds"),
    [
        ((1405, 1), (datetime.date(2026, 3, 21), datetime.date(2026, 6, 21))),
        ((1405, 2), (datetime.date(2026, 6, 22), datetime.date(2026, 9, 22))),
        ((1405, 3), (datetime.date(2026, 9, 23), datetime.date(2026, 12, 21))),
        ((1405, 4), (datetime.date(2026, 12, 22), datetime.date(2027, 3, 20))),
        ((1403, 4), (datetime.date(2024, 12, 21), datetime.date(2025, 3, 20))),
    ],
)
def test_quarter_bounds_in_gregorian(quarter, bounds):
    assert jalali.Quarter(*quarter).bounds() == bounds


@pytest.mark.parametrize("code", ["9999-1", "0-1", "1405-5", "1405", "x-y", "², ۱"])
def test_a_quarter_code_out_of_range_is_invalid_not_a_crash(code):
    with pytest.raises(values.InvalidValue):
        values.clean_quarter(code)


def test_quarter_navigation_crosses_years():
    assert jalali.Quarter(1405, 4).next() == jalali.Quarter(1406, 1)
    assert jalali.Quarter(1405, 1).previous() == jalali.Quarter(1404, 4)
    assert values.clean_quarter("۱۴۰۵-۳") == jalali.Quarter(1405, 3)


def test_quarter_label_is_the_persian_season():
    assert str(jalali.Quarter(1405, 3).label) == "پاییز ۱۴۰۵"
    with translation.override("en"):
        assert str(jalali.Quarter(1405, 3).label) == "Autumn 1405"


def test_template_filters_show_jalali_dates_and_persian_digits():
    template = Template("{{ day|jdate }} | {{ 1405|digits }} | {{ day|quarter }}")
    rendered = template.render(Context({"day": datetime.date(2026, 11, 27)}))
    assert rendered == "۱۴۰۵/۰۹/۰۶ | ۱۴۰۵ | پاییز ۱۴۰۵"
    with translation.override("en"):
        assert template.render(Context({"day": datetime.date(2026, 11, 27)})) == "2026-11-27 | 1405 | Autumn 1405"


def test_normalize_text_maps_arabic_letters_and_keeps_the_digits_typed():
    assert values.normalize_text("كميته امداد ي ١٢ ۲۰٪") == "کمیته امداد ی ١٢ ۲۰٪"


def test_date_widget_renders_jalali_with_the_picker_in_persian():
    field = JalaliDateField()
    html = field.widget.render("due_date", datetime.date(2026, 11, 27))
    assert 'value="۱۴۰۵/۰۹/۰۶"' in html
    assert "data-jdp" in html
    with translation.override("en"):
        assert 'value="2026-11-27"' in field.widget.render("due_date", datetime.date(2026, 11, 27))


def test_a_jalali_date_survives_a_round_trip_through_the_field():
    field = JalaliDateField()
    shown = field.widget.format_value(datetime.date(2025, 3, 20))
    assert shown == "۱۴۰۳/۱۲/۳۰"
    assert field.clean(shown) == datetime.date(2025, 3, 20)


def test_numbers_use_the_persian_decimal_separator():
    template = Template("{{ value|digits }}")
    assert template.render(Context({"value": 74.2})) == "۷۴٫۲"
    assert template.render(Context({"value": "1405/09/06"})) == "۱۴۰۵/۰۹/۰۶"
    with translation.override("en"):
        assert template.render(Context({"value": 74.2})) == "74.2"


def test_the_date_placeholder_names_the_parts_and_is_no_date():
    """A placeholder like ۱۴۰۵/۰۹/۰۶ was read as a date already filled in."""
    html = JalaliDateField().widget.render("letter_date", None)
    assert 'placeholder="سال/ماه/روز"' in html
    with translation.override("en"):
        assert 'placeholder="YYYY-MM-DD"' in JalaliDateField().widget.render("letter_date", None)
