from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from .models import Goal, Status, StrategicPlan


@login_required
def home(request):
    """The active plan's goals with their weighted progress."""
    plan = StrategicPlan.objects.active().first()
    goals = []
    if plan is not None:
        goals = (
            Goal.objects.filter(plan=plan)
            .with_progress()
            .annotate(milestone_count=Count("milestones", filter=~Q(milestones__status=Status.CANCELLED)))
            .order_by("number")
        )
    return render(request, "plans/home.html", {"plan": plan, "goals": goals})
