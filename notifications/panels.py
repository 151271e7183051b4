"""The chase on the plan pages (registered in apps.py through plans.panels).

Agency page: the last reminder sent to the agency, to whom, and its escalations this week.
Dashboard: the agencies escalated this week, why, and when each was last reminded.
Counts only, never milestone titles: every member reads these pages.
"""

from collections import Counter

from django.db.models import Max
from django.utils import timezone

from plans.models import StrategicPlan

from .models import Digest, Escalation, Message, week_start


def agency_chase(request, *, plan, agency):
    if plan.status != StrategicPlan.Status.ACTIVE:
        return None
    today = timezone.localdate()
    last = Digest.objects.filter(agency=agency).order_by("-day").first()
    deliveries = Counter()
    if last is not None:
        rows = Message.objects.filter(key=f"digest:{agency.pk}:{last.day.isoformat()}").values_list("channel", "status")
        deliveries = Counter(rows)
    return {
        "last": last,
        "sent_by_email": deliveries[("email", Message.Status.SENT)],
        "failed": sum(count for (channel, status), count in deliveries.items() if status == Message.Status.FAILED),
        "escalations": list(Escalation.objects.this_week(today).filter(agency=agency).order_by("-day")),
        "week_start": week_start(today),
    }


def dashboard_chase(request, *, plan):
    if plan.status != StrategicPlan.Status.ACTIVE:
        return None
    today = timezone.localdate()
    latest = {}
    for escalation in Escalation.objects.this_week(today).select_related("agency").order_by("agency__name", "-day"):
        latest.setdefault(escalation.agency_id, escalation)
    last_reminded = dict(
        Digest.objects.filter(agency__in=list(latest))
        .values("agency")
        .annotate(last=Max("day"))
        .values_list("agency", "last")
    )
    for escalation in latest.values():
        escalation.last_reminded = last_reminded.get(escalation.agency_id)
    return {
        "plan": plan,
        "escalated": list(latest.values()),
        "reminded_this_week": Digest.objects.filter(day__gte=week_start(today), day__lte=today).count(),
        "week_start": week_start(today),
    }
