"""Write the dashboard trend's snapshots of ended quarters (the daily task does the same)."""

from django.core.management.base import BaseCommand

from plans import trend
from plans.models import StrategicPlan


class Command(BaseCommand):
    help = "Snapshot the plans' figures at the end of every ended quarter that has no snapshot yet."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="only this plan (id); drafts included")
        parser.add_argument("--again", action="store_true", help="rewrite the snapshots already there")

    def handle(self, *args, plan=None, again=False, **options):
        plans = StrategicPlan.objects.filter(pk=plan) if plan else None
        if again:
            for each in plans if plans is not None else StrategicPlan.objects.all():
                each.snapshots.all().delete()
        written = trend.take_snapshots(plans=plans)
        self.stdout.write(f"Wrote {written} trend snapshots.")
