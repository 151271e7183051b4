"""Iran's official holidays for a Solar Hijri year, to seed the holiday table.

The Jalali-fixed days are exact. The lunar ones move every year; Iran's official calendar fixes
them by sighting the moon, so the Umm al-Qura dates (hijridate) can be a day off. They are seeded
unconfirmed, and the director-general corrects them in the admin against the official calendar.
"""

import datetime

import jdatetime
from hijridate import Gregorian, Hijri

# (month, day, occasion) in the Solar Hijri calendar.
FIXED = [
    (1, 1, "عید نوروز"),
    (1, 2, "عید نوروز"),
    (1, 3, "عید نوروز"),
    (1, 4, "عید نوروز"),
    (1, 12, "روز جمهوری اسلامی"),
    (1, 13, "روز طبیعت"),
    (3, 14, "رحلت امام خمینی"),
    (3, 15, "قیام ۱۵ خرداد"),
    (11, 22, "پیروزی انقلاب اسلامی"),
    (12, 29, "ملی شدن صنعت نفت"),
]

# (month, day, occasion) in the lunar Hijri calendar; day None is the month's last day.
LUNAR = [
    (1, 9, "تاسوعای حسینی"),
    (1, 10, "عاشورای حسینی"),
    (2, 20, "اربعین حسینی"),
    (2, 28, "رحلت رسول اکرم و شهادت امام حسن مجتبی"),
    (2, None, "شهادت امام رضا"),
    (3, 8, "شهادت امام حسن عسکری"),
    (3, 17, "میلاد رسول اکرم و امام جعفر صادق"),
    (6, 3, "شهادت حضرت فاطمه زهرا"),
    (7, 13, "ولادت امام علی"),
    (7, 27, "مبعث رسول اکرم"),
    (8, 15, "ولادت حضرت قائم"),
    (9, 21, "شهادت امام علی"),
    (10, 1, "عید سعید فطر"),
    (10, 2, "تعطیل به مناسبت عید سعید فطر"),
    (10, 25, "شهادت امام جعفر صادق"),
    (12, 10, "عید سعید قربان"),
    (12, 18, "عید سعید غدیر خم"),
]


def official_holidays(year):
    """[(date, occasion, kind)] for Solar Hijri `year`, kind "fixed" or "lunar", in date order."""
    first = jdatetime.date(year, 1, 1).togregorian()
    last = jdatetime.date(year + 1, 1, 1).togregorian() - datetime.timedelta(days=1)
    days = [(jdatetime.date(year, month, day).togregorian(), name, "fixed") for month, day, name in FIXED]
    first_hijri = Gregorian.fromdate(first).to_hijri().year
    # A Solar Hijri year (365 days) can touch three lunar years (354 days each).
    for hijri_year in (first_hijri, first_hijri + 1, first_hijri + 2):
        for month, day, name in LUNAR:
            if day is None:
                day = Hijri(hijri_year, month, 1).month_length()
            date = datetime.date(*Hijri(hijri_year, month, day).to_gregorian().datetuple())
            if first <= date <= last:
                days.append((date, name, "lunar"))
    return sorted(days)


def seed(holiday_model, years):
    """Add the official holidays of `years` that are not in the table yet; returns how many were added.

    Takes the model class so the data migration can pass its historical model.
    """
    existing = set(holiday_model.objects.values_list("date", "name"))
    rows = [
        holiday_model(date=date, name=name, kind=kind, confirmed=kind == "fixed")
        for year in years
        for date, name, kind in official_holidays(year)
        if (date, name) not in existing
    ]
    holiday_model.objects.bulk_create(rows)
    return len(rows)
