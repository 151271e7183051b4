"""Compare the progress summary with a fresh aggregation; print each drifted cell; exit 1 on drift."""

from django.core.management.base import BaseCommand, CommandError

from plans import summary


class Command(BaseCommand):
    help = "Compare the progress summary with a fresh aggregation and report drift (exit status 1 if any)."

    def handle(self, *args, **options):
        drift = summary.differences()
        for (goal, agency, quarter), stored, fresh in drift:
            self.stdout.write(f"goal {goal}, agency {agency}, due quarter {quarter}:")
            for name in summary.FIGURES:
                was = None if stored is None else stored[name]
                should = None if fresh is None else fresh[name]
                if was != should:
                    self.stdout.write(f"  {name}: summary {was}, fresh {should}")
        if drift:
            raise CommandError(f"{len(drift)} summary rows differ; run rebuild_progress_summary.")
        self.stdout.write("The progress summary matches a fresh aggregation.")
