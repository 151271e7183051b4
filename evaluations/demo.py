"""The demo's quarterly evaluation: the rubric from DOMAIN.md, two locked past rounds and the current one open.

Idempotent: the rubric and each round are created only if missing.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from agencies.models import Agency
from persian.jalali import Quarter

from . import services
from .models import Criterion, Round, RoundSubCriterion, SubCriterion

RUBRIC = [
    (
        "برنامه‌محوری",
        20,
        [
            "تصویب برنامه عملیاتی سالانه روابط عمومی",
            "گزارش به‌موقع گام‌های اجرایی",
            "بازنگری برنامه در این فصل",
        ],
    ),
    (
        "اطلاع‌رسانی و انعکاس اخبار",
        20,
        ["تعداد اخبار منتشرشده", "سرعت انعکاس رویدادها", "دقت و شفافیت اطلاع‌رسانی"],
    ),
    (
        "تعامل با رسانه‌ها",
        15,
        ["برگزاری نشست‌های خبری", "پاسخگویی به خبرنگاران", "رصد پوشش رسانه‌ای"],
    ),
    (
        "پایگاه اطلاع‌رسانی",
        15,
        ["به‌روزرسانی در هفته گذشته", "درستی خدمات و راه‌های ارتباطی", "کامل بودن آرشیو اخبار"],
    ),
    (
        "فضای مجازی",
        10,
        ["انتشار منظم مطالب", "تعامل با مخاطبان", "محتوای چندرسانه‌ای"],
    ),
    (
        "ارتباطات مردمی",
        10,
        ["ملاقات‌های مردمی مدیران", "پاسخ به شکایات و پیام‌ها", "افکارسنجی و نظرسنجی"],
    ),
    (
        "خلاقیت و اتاق فکر",
        10,
        ["تشکیل جلسات اتاق فکر", "ابتکارهای تازه", "پویش‌های مناسبتی"],
    ),
]

# Sub-criteria the app measures from the website checks (monitoring registers these measures):
# name → (measure, value scoring 0 %, value scoring 100 %).
MEASURED = {
    "تعداد اخبار منتشرشده": ("website_news_items", 0, 12),
    "به‌روزرسانی در هفته گذشته": ("website_days_since_update", 60, 7),
}

PAST_QUARTERS = [Quarter(1405, 1), Quarter(1405, 2)]
CURRENT_QUARTER = Quarter(1405, 3)
PUBLIC_COMMENTS = [
    "به‌روزرسانی پایگاه اطلاع‌رسانی منظم‌تر شود.",
    "نشست‌های خبری فصلی به‌موقع برگزار شد؛ ادامه دهید.",
    "گزارش گام‌های اجرایی با مستندات کامل‌تر ارسال شود.",
    "فعالیت در فضای مجازی قابل تقدیر است.",
    "افکارسنجی از مخاطبان در برنامه فصل آینده گنجانده شود.",
]
PRIVATE_NOTES = [
    "مسئول روابط عمومی تازه منصوب شده است.",
    "در جلسه شورا درباره تأخیر گزارش‌ها تذکر داده شود.",
    "",
]


def seed_rubric():
    for order, (name, weight, subs) in enumerate(RUBRIC, start=1):
        criterion, _created = Criterion.objects.get_or_create(name=name, defaults={"weight": weight, "order": order})
        for sub_order, sub_name in enumerate(subs, start=1):
            measure, zero, full = MEASURED.get(sub_name, ("", None, None))
            SubCriterion.objects.get_or_create(
                criterion=criterion,
                name=sub_name,
                defaults={
                    "order": sub_order,
                    "min_score": 1,
                    "max_score": 5,
                    "measure": measure,
                    "measure_zero": zero,
                    "measure_full": full,
                },
            )


def _score_everyone(rng, round, evaluators, agencies, levels, share=1.0):
    subs = list(RoundSubCriterion.objects.filter(criterion__round=round, measure=""))  # the rest is measured
    for evaluator in evaluators:
        for agency in agencies:
            if rng.random() > share:
                continue
            level = levels[agency.pk]
            values = {}
            for sub in subs:
                if rng.random() < 0.06:
                    values[sub.pk] = None  # N/A
                else:
                    values[sub.pk] = max(1, min(5, round_half(level + rng.uniform(-1.1, 1.1))))
            services.save_sheet(
                round=round,
                evaluator=evaluator,
                agency=agency,
                values=values,
                private_note=rng.choice(PRIVATE_NOTES),
                public_comment=rng.choice(PUBLIC_COMMENTS) if rng.random() < 0.5 else "",
            )


def round_half(value):
    return int(value + 0.5)


@transaction.atomic
def seed(stdout=None):
    seed_rubric()
    User = get_user_model()
    director = User.objects.filter(username="director").first()
    evaluators = list(User.objects.filter(username__in=["evaluator", "evaluator2"]).order_by("username"))
    agencies = list(Agency.objects.active().order_by("code"))
    if director is None or not agencies:
        return
    rng = random.Random(14053)
    # Each agency has a level that drifts from quarter to quarter, so ranks change.
    levels = {agency.pk: rng.uniform(1.8, 4.5) for agency in agencies}
    created = []
    for quarter in [*PAST_QUARTERS, CURRENT_QUARTER]:
        levels = {pk: min(4.9, max(1.5, level + rng.uniform(-0.6, 0.6))) for pk, level in levels.items()}
        if Round.objects.for_quarter(quarter).exists():
            continue
        end = quarter.bounds()[1]
        round = services.open_round(quarter=quarter, deadline=end + datetime.timedelta(days=15), opened_by=director)
        if quarter == CURRENT_QUARTER:
            _score_everyone(rng, round, evaluators[:1], agencies, levels, share=0.5)
            _score_everyone(rng, round, evaluators[1:], agencies, levels, share=0.2)
        else:
            _score_everyone(rng, round, evaluators, agencies, levels)
            services.close_round(round=round, by=director)
            services.lock_round(round=round, by=director)
        created.append(str(round))
    if stdout is not None:
        stdout.write(
            f"Evaluation: rubric of {Criterion.objects.count()} criteria; "
            + (f"rounds created: {', '.join(created)}" if created else "rounds already there, left unchanged")
        )
