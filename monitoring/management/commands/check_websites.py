"""manage.py check_websites [--agency code ...]: check the agencies' websites now and print what was found."""

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from monitoring.checker import run_checks
from persian.collation import sort_key


class Command(BaseCommand):
    help = "Check the agencies' websites (reachability, freshness, news counts) and record one row per site."

    def add_arguments(self, parser):
        parser.add_argument("--agency", action="append", dest="agencies", metavar="CODE", help="only this agency")

    def handle(self, *args, agencies=None, **options):
        queryset = Agency.objects.active().order_by("name")
        if agencies:
            queryset = queryset.filter(code__in=agencies)
            unknown = set(agencies) - set(queryset.values_list("code", flat=True))
            if unknown:
                raise CommandError(f"No active agency has the code(s): {', '.join(sorted(unknown))}")
        agencies = {agency.pk: agency for agency in queryset}
        summary = run_checks(agencies.values())
        for check in sorted(summary.checks, key=lambda check: sort_key(agencies[check.agency_id].name)):
            date = check.newest_content_date.isoformat() if check.newest_content_date else "-"
            news = "-" if check.news_30 is None else str(check.news_30)
            outcome = check.failure or "ok"
            self.stdout.write(
                f"{agencies[check.agency_id].code:<28} {outcome:<16} status={check.status_code or '-'} "
                f"ms={check.response_ms or '-'} newest={date} ({check.newest_content_source or '-'}) news30={news}"
            )
        self.stdout.write(self.style.SUCCESS(f"Checked {len(summary.checks)} website(s) in {summary.seconds:.1f} s."))
