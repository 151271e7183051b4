"""The demo's published bulletin: the latest locked round's, with a narrative on the first goals.

Idempotent: a round that already has its bulletin is left as it is. Writes go through the services."""

from django.contrib.auth import get_user_model
from django.db import transaction

from evaluations.models import Round
from plans.models import StrategicPlan

from . import services
from .models import Bulletin

NARRATIVES = [
    {
        "done": "برگزاری نشست فصلی روابط عمومی‌ها و تدوین شیوه‌نامه اطلاع‌رسانی مشترک.",
        "next": "راه‌اندازی سامانه مشترک انتشار اخبار دستگاه‌ها.",
        "obstacles": "کمبود نیروی متخصص در روابط عمومی برخی شهرستان‌ها.",
    },
    {
        "done": "آموزش سواد رسانه‌ای برای کارکنان روابط عمومی ده دستگاه.",
        "next": "دوره دوم آموزش در شهرستان‌های دنا و بهمئی.",
        "obstacles": "",
    },
    {
        "done": "به‌روزرسانی وبگاه‌های دستگاه‌ها و انتشار منظم اخبار.",
        "next": "پایش ماهانه به‌روز بودن وبگاه‌ها.",
        "obstacles": "بودجه ناکافی برای بازطراحی وبگاه‌ها.",
    },
]


@transaction.atomic
def seed(stdout=None):
    director = get_user_model().objects.filter(username="director").first()
    plan = StrategicPlan.objects.active().first()
    round = Round.objects.locked().order_by("-year", "-quarter").first()
    if director is None or plan is None or round is None:
        return
    if Bulletin.objects.filter(round=round).exists():
        if stdout is not None:
            stdout.write(f"Bulletin of {round}: already there, left unchanged")
        return
    bulletin = services.create_draft(round=round, plan=plan, by=director)
    goals = [narrative.goal_id for narrative in bulletin.narratives.order_by("goal__number")]
    narratives = dict(zip(goals, NARRATIVES, strict=False))
    bulletin = services.save_draft(
        bulletin=bulletin,
        press_text=bulletin.press_text,
        narratives=narratives,
        expected_version=bulletin.version,
        by=director,
    )
    quarter_end = round.period.bounds()[1]
    services.publish(
        bulletin=bulletin,
        published_on=max(quarter_end, round.locked_at.date()),
        expected_version=bulletin.version,
        by=director,
    )
    if stdout is not None:
        stdout.write(f"Bulletin of {round}: published")
