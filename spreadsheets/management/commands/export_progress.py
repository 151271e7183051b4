from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from agencies.models import Agency
from plans.models import StrategicPlan
from spreadsheets.export import ExportFilters, write_progress


class Command(BaseCommand):
    help = "Write a plan's progress workbook (xlsx, five sheets) or its milestones as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True, help="The strategic plan's id.")
        parser.add_argument("--output", required=True, help="Where to write the file.")
        parser.add_argument("--format", choices=["xlsx", "csv"], default=None, help="Default: from the file name.")
        parser.add_argument("--agency", help="Only this agency's milestones (its code).")
        parser.add_argument("--language", default="fa", choices=["fa", "en"], help="Headers and dates (default fa).")

    def handle(self, *args, plan, output, format, agency, language, **options):
        try:
            plan_obj = StrategicPlan.objects.get(pk=plan)
        except StrategicPlan.DoesNotExist as exc:
            raise CommandError(f"No strategic plan with id {plan}.") from exc
        agency_obj = None
        if agency:
            try:
                agency_obj = Agency.objects.get(code=agency)
            except Agency.DoesNotExist as exc:
                raise CommandError(f"No agency with code {agency!r}.") from exc
        fmt = format or ("csv" if output.lower().endswith(".csv") else "xlsx")
        with translation.override(language):
            write_progress(plan_obj, output, fmt=fmt, filters=ExportFilters(agency=agency_obj))
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({fmt})."))
