"""Recompute the progress summary from scratch (after a restore, or if check_progress_summary finds drift)."""

import time

from django.core.management.base import BaseCommand

from plans import summary


class Command(BaseCommand):
    help = "Recompute the progress summary (goal × agency × due quarter) from the milestones and reports."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = summary.rebuild()
        self.stdout.write(f"Rebuilt {rows} summary rows in {time.perf_counter() - started:.1f} s.")
