"""Benchmark the Persian-aware search on 300,000 milestone titles (a manual command, never on the CI path).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/issue17b .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py                      # SQLite: /tmp/bench_search.sqlite3

Builds once (migrated by Django, so with the trigram index of plans 0005 on PostgreSQL) 150 agencies, one plan of
20 goals and --milestones milestones whose titles are drawn from public-relations words, some written with Arabic
ي/ك, diacritics, half-spaces and Persian digits, as titles are. Then, for each typed term, it times (median of
--repeat runs, after one warm-up) fetching the ids of every matching milestone with:
- icontains: Django's own search (finds only the spelling typed);
- regex (before): persian.search's condition as it was before the index (PostgreSQL `title ~* pattern`, SQLite
  the function taking the long pattern, on every row; registered here as it was);
- Finds (now): persian.search.Finds (PostgreSQL `persian_search_text(title) ~* letters` for keys of three
  letters or more, served by the pg_trgm index; SQLite instr() on the key's two rarest fixed letters, then
  persian_finds(title, key)).
and prints a table with the rows found and whether PostgreSQL's plan uses the trigram index.
"""

import argparse
import datetime
import functools
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from progress_pages import insert_rows  # noqa: E402

SQLITE = "sqlite:////tmp/bench_search.sqlite3"
AGENCIES = 150
GOALS = 20
WORDS = (  # noqa: SIM905 -- a line of words reads better than a column of them
    "برگزاری نشست خبری کتابخانه‌های عمومی آموزش پرورش همایش رسانه تولید محتوای دیجیتال انتشار گزارش عملکرد "
    "سالانه مستند افتتاح پروژه استانی کارگاه روابط اطلاع‌رسانی شبکه‌های اجتماعی بازدید خبرنگاران مدیرکل جشنواره "
    "فرهنگی ورزشی تأمین مؤسسه پایگاه اینترنتی به‌روزرسانی سامانه پاسخگویی مردمی نظرسنجی ارتباطات بیمارستان "
    "دانشگاه شهرداری مسابقه قرآنی ویژه‌نامه هفته دولت مُحَمَّد ریاست‌جمهوری ملاقات مستقیم میز خدمت تبلیغات شهری"
).split()
TERMS = ["كتابخانه", "کتابخانه های", "نشست خبری", "مُحمد", "۱۴۰۳", "ناموجود", "ها"]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
INDEX = "plans_milestone_title_search"


def title(rng, number):
    words = rng.sample(WORDS, rng.randint(3, 7))
    if rng.random() < 0.3:
        words.append(str(1400 + rng.randrange(6)).translate(PERSIAN_DIGITS))
    text = " ".join(words)
    if rng.random() < 0.1:  # an older row, typed on an Arabic keyboard
        text = text.replace("ی", "ي").replace("ک", "ك")
    return f"{text} {number}"


def build(total):
    from django.db import connection
    from django.utils import timezone

    from agencies.models import Agency, County
    from plans.models import Goal, Milestone, StrategicPlan

    if Milestone.objects.count() >= total:
        return
    started = time.perf_counter()
    rng = random.Random(17)
    county = County.objects.create(name="شهرستان بنچ جستجو")
    agencies = Agency.objects.bulk_create(
        Agency(name=f"دستگاه جستجو {n}", code=f"search-{n}", county=county, category=Agency.Category.values[0])
        for n in range(AGENCIES)
    )
    plan = StrategicPlan.objects.create(title="برنامه بنچ جستجو", year=1404, status="active")
    goals = Goal.objects.bulk_create(Goal(plan=plan, number=n, title=f"هدف {n}", weight=1) for n in range(1, 21))
    now = timezone.now()
    start, due = datetime.date(2025, 3, 21), datetime.date(2025, 9, 22)
    first_id = (Milestone.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows = (
        (
            first_id + n,
            goals[n % GOALS].pk,
            agencies[rng.randrange(AGENCIES)].pk,
            title(rng, n),
            "",
            "",
            start,
            due,
            1,
            "in_progress",
            40,
            1,
            now,
            now,
        )
        for n in range(total)
    )
    columns = "id goal_id agency_id title description target start_date due_date weight status progress version"
    insert_rows("plans_milestone", [*columns.split(), "created_at", "updated_at"], rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('plans_milestone', 'id'), (SELECT max(id) FROM plans_milestone))"
            )
            connection.set_autocommit(True)
            cursor.execute("VACUUM ANALYZE plans_milestone")
        else:
            cursor.execute("ANALYZE")
    print(f"  built {total:,} milestones in {time.perf_counter() - started:.0f} s")


@functools.lru_cache(maxsize=256)
def _compiled_before(regex):
    return re.compile(regex, re.IGNORECASE)


def finds_before(text, regex):
    """persian_finds as it was before the index: given the whole pattern for every row."""
    return text is not None and _compiled_before(regex).search(text) is not None


def querysets(typed):
    from django.db import connection
    from django.db.models import F

    from persian.search import Finds, pattern, search_key
    from plans.models import Milestone

    milestones = Milestone.objects.order_by()
    if connection.vendor == "postgresql":
        regex = milestones.extra(where=["title ~* %s"], params=[pattern(search_key(typed))])
    else:
        regex = milestones.extra(where=["bench_finds_before(title, %s)"], params=[pattern(search_key(typed))])
    return {
        "icontains": milestones.filter(title__icontains=typed),
        "regex (before)": regex,
        "Finds (now)": milestones.filter(Finds(F("title"), typed)),
    }


def measure(repeat):
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("bench_finds_before", 2, finds_before, deterministic=True)

    rows = []
    for typed in TERMS:
        for method, queryset in querysets(typed).items():
            ids = queryset.values_list("pk", flat=True)
            found = len(list(ids.all()))  # warm-up
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                list(ids.all())  # a fresh query each time (no result cache)
                times.append((time.perf_counter() - started) * 1000)
            uses_index = connection.vendor == "postgresql" and INDEX in ids.explain()
            rows.append((connection.vendor, method, typed, statistics.median(times), found, uses_index))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--milestones", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", SQLITE)
    os.environ["DJANGO_SETTINGS_MODULE"] = "prcouncil.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build(args.milestones)
    print("| engine | method | typed | median ms | rows | plan uses the index |")
    print("| --- | --- | --- | ---: | ---: | --- |")
    for engine, method, typed, median, found, uses_index in measure(args.repeat):
        print(f"| {engine} | {method} | {typed} | {median:.1f} | {found:,} | {'yes' if uses_index else 'no'} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
