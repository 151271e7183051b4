"""Persian alphabetical order: the Python key, SQLite's collation and PostgreSQL's ICU collation agree.

The expected order was read from PostgreSQL 15's `fa-IR-x-icu` (ICU) and is the order a Persian reader expects:
آ before ا, پ after ب, چ after ج, ژ after ز, ک and گ after ق, ی last; Arabic ك/ي sort with ک/ی; the half-space
(ZWNJ) and diacritics decide nothing until everything else is equal; a space comes before any letter; digits
(Persian, Arabic-Indic, Latin alike) before letters. Run on SQLite by default and on PostgreSQL with DATABASE_URL.
"""

import random

import pytest
from django.db import connection

from agencies.models import Agency, County
from persian.collation import COLLATION, persian_sorted, sort_key
from tests import factories

# The issue's list is in here (آموزش، ابتدا، بهزیستی، پژوهش، قزوین، کتابخانه، گاز، لرستان، ورزش، ی), in order.
PERSIAN_ORDER = [
    "۱۲ فروردین",
    "2 راه",
    "٣ راه",
    "آب منطقه\u200cای",
    "آموزش",
    "ابتدا",
    "اداره کل",
    "ادارهکل",
    "اداره\u200cکل",
    "استانداری",
    "امور مالیاتی",
    "بهزیستی",
    "پژوهش",
    "پست",
    "تعاون",
    "ثبت اسناد",
    "جهاد کشاورزی",
    "چاپ و نشر",
    "حج و زیارت",
    "خانه کارگر",
    "دادگستری",
    "ذخایر",
    "راه و شهرسازی",
    "زندان\u200cها",
    "ژاندارمری",
    "سپاه",
    "شهرداری",
    "صدا و سیما",
    "ضابطین",
    "طبیعت",
    "ظرفیت",
    "عمران",
    "غله",
    "فرهنگ و ارشاد اسلامی",
    "قزوین",
    "کتابخانه",
    "كتابخانه\u200cها",
    "کتابخانه\u200cهای عمومی",
    "کتابخانههای مرکزی",
    "کمیته امداد امام خمینی (ره)",
    "گاز",
    "لرستان",
    "مؤسسه",
    "محمد",
    "مُحَمَّد",
    "مدیریت بحران",
    "نوسازی مدارس",
    "ورزش",
    "ورزش و جوانان",
    "هلال احمر",
    "ی",
    "یزد",
    "يزدان",
]


def shuffled(names, seed):
    names = list(names)
    random.Random(seed).shuffle(names)
    return names


def test_the_list_covers_what_the_issue_asks():
    assert len(PERSIAN_ORDER) >= 30
    firsts = {name[0] for name in PERSIAN_ORDER}
    assert set("آاپچژکگی") <= firsts
    assert any("\u200c" in name for name in PERSIAN_ORDER)
    assert any(char in name for name in PERSIAN_ORDER for char in "كي")
    issue = ["آموزش", "ابتدا", "بهزیستی", "پژوهش", "قزوین", "کتابخانه", "گاز", "لرستان", "ورزش", "ی"]
    assert [name for name in PERSIAN_ORDER if name in issue] == issue


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_python_key_gives_persian_order(seed):
    assert sorted(shuffled(PERSIAN_ORDER, seed), key=sort_key) == PERSIAN_ORDER
    assert persian_sorted(shuffled(PERSIAN_ORDER, seed)) == PERSIAN_ORDER


def test_python_key_never_calls_two_names_equal():
    """The last level is the text itself (as PostgreSQL breaks ICU's ties): a stable, total order."""
    assert sort_key("اداره\u200cکل") != sort_key("ادارهکل")
    assert sort_key("كتاب") > sort_key("کتاب")  # Persian ک before the Arabic form of the same word


@pytest.mark.django_db
def test_database_sorts_in_the_same_order():
    for name in shuffled(PERSIAN_ORDER, 7):
        County.objects.create(name=name)
    assert list(County.objects.values_list("name", flat=True)) == PERSIAN_ORDER  # Meta.ordering = ["name"]
    assert list(County.objects.order_by("-name").values_list("name", flat=True)) == PERSIAN_ORDER[::-1]


@pytest.mark.django_db
def test_agencies_sort_in_persian_order_and_names_still_compare_exactly():
    names = ["ورزش و جوانان", "کتابخانه‌های عمومی", "فرهنگ و ارشاد اسلامی", "مدیریت بحران", "پست", "آموزش و پرورش"]
    for index, name in enumerate(names):
        factories.AgencyFactory(name=name, code=f"agency{index}")
    assert list(Agency.objects.values_list("name", flat=True)) == persian_sorted(names)
    assert list(Agency.objects.values_list("name", flat=True)) == [
        "آموزش و پرورش",
        "پست",
        "فرهنگ و ارشاد اسلامی",
        "کتابخانه‌های عمومی",
        "مدیریت بحران",
        "ورزش و جوانان",
    ]
    # The collation is only an order: equality is still exact (the unique name, lookups by name).
    assert Agency.objects.filter(name="کتابخانه‌های عمومی").count() == 1
    assert Agency.objects.filter(name="کتابخانههای عمومی").count() == 0


def test_the_column_is_declared_with_the_collation():
    assert Agency._meta.get_field("name").db_collation == COLLATION
    assert County._meta.get_field("name").db_collation == COLLATION


@pytest.mark.django_db
def test_the_database_has_the_collation():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_collation WHERE collname = %s", [COLLATION])
            assert cursor.fetchone() == (1,)
        else:
            cursor.execute('SELECT %s < %s COLLATE "fa-IR-x-icu", %s < %s', ["پ", "ت", "پ", "ت"])
            assert cursor.fetchone() == (1, 0)  # Persian order with it, code points without
