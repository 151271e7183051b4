#!/usr/bin/env python
"""Export speed and peak memory of the progress-spreadsheet writers, N milestones each, in one run.

    .venv/bin/python bench/export_speed.py --rows 10000,100000,300000

For each N a throw-away SQLite database is filled once (20 goals, 30 agencies, N milestones, a
progress report with a note on every fourth). Then every method runs in its own fresh Python
process, so no method's memory or warm caches count for another:

  csv            our write_csv (the csv module) of the milestones sheet
  xlsx           our write_xlsx (XlsxWriter, constant_memory) of the milestones sheet
  workbook       the whole five-sheet progress workbook (what the command and the web write)
  xlsxwriter-cm  the same rows as `xlsx`, written by XlsxWriter in constant_memory mode (the candidate
                 we measured and set aside)
  openpyxl-wo    the same rows as `xlsx`, written by raw openpyxl in write-only mode
  import-export  plans.admin.MilestoneResource().export() -> XLSX, as the admin's export does

Measured per method, in the child process:
  seconds   wall time of the export alone (Python start-up, Django set-up and the fill excluded);
  peak MB   the process's peak resident set size (resource.getrusage ru_maxrss), which includes
            the interpreter, Django and the database driver;
  base MB   the resident set size just before the export starts, so peak - base is the export's own.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METHODS = ["csv", "xlsx", "workbook", "xlsxwriter-cm", "openpyxl-wo", "import-export"]


def setup_django(db_path):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "prcouncil.settings.local"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()
    from django.utils import translation

    translation.activate("fa")


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def fill(db_path, rows):
    setup_django(db_path)
    import datetime

    from django.core.management import call_command

    from agencies.models import Agency, County
    from plans.models import Goal, Milestone, ProgressUpdate, Status, StrategicPlan
    from tests import factories

    call_command("migrate", verbosity=0)
    county = County.objects.create(name="بویراحمد")
    agencies = Agency.objects.bulk_create(
        Agency(name=f"دستگاه اجرایی {n}", code=f"agency-{n}", county=county, category="services") for n in range(30)
    )
    plan = StrategicPlan.objects.create(title="برنامه راهبردی ۱۴۰۵", year=1405, status="active")
    goals = Goal.objects.bulk_create(Goal(plan=plan, number=n + 1, title=f"هدف شماره {n + 1}") for n in range(20))
    author = factories.UserFactory(username="bench")
    statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DELAYED, Status.IN_PROGRESS]
    start = datetime.date(2026, 3, 21)
    batch = 5000
    for first in range(0, rows, batch):
        created = Milestone.objects.bulk_create(
            Milestone(
                goal=goals[n % 20],
                agency=agencies[n % 30],
                title=f"گام اجرایی شماره {n} برای انتشار اخبار و به‌روزرسانی پایگاه",
                target="۴ نشست خبری",
                start_date=start + datetime.timedelta(days=n % 90),
                due_date=start + datetime.timedelta(days=90 + n % 200),
                status=statuses[n % 4],
                progress=n % 100,
            )
            for n in range(first, min(first + batch, rows))
        )
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                milestone=m,
                status=m.status,
                progress=m.progress,
                note="=1+2 نشست خبری برگزار شد و گزارش آن در پایگاه منتشر شد",
                author=author,
            )
            for m in created[::4]
        )
    print(json.dumps({"plan": plan.pk}))


def run(db_path, method, plan_id, out_dir):
    setup_django(db_path)
    from fileformats.writer import write_csv, write_xlsx
    from plans.models import StrategicPlan
    from spreadsheets.export import milestones_sheet, scoped_milestones, write_progress

    plan = StrategicPlan.objects.get(pk=plan_id)
    output = Path(out_dir) / f"{method}.{'csv' if method == 'csv' else 'xlsx'}"
    base = rss_mb()
    started = time.perf_counter()
    if method == "csv":
        write_csv(milestones_sheet(scoped_milestones(plan), plan), output)
    elif method == "xlsx":
        write_xlsx([milestones_sheet(scoped_milestones(plan), plan)], output)
    elif method == "workbook":
        write_progress(plan, output)
    elif method == "xlsxwriter-cm":
        import datetime

        import xlsxwriter

        from persian.jalali import format_date

        sheet = milestones_sheet(scoped_milestones(plan), plan)
        workbook = xlsxwriter.Workbook(str(output), {"constant_memory": True, "strings_to_formulas": False})
        worksheet = workbook.add_worksheet(sheet.title)
        worksheet.right_to_left()
        percent = workbook.add_format({"num_format": "0%"})
        for col, header in enumerate(sheet.headers):
            worksheet.write_string(0, col, header)
        for number, row in enumerate(sheet.rows, start=1):
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, datetime.date):
                    worksheet.write_string(number, col, format_date(value))
                elif isinstance(value, int | float):
                    worksheet.write_number(
                        number, col, value / 100 if col == 6 else value, percent if col == 6 else None
                    )
                else:
                    worksheet.write_string(number, col, value)
        workbook.close()
    elif method == "openpyxl-wo":
        import datetime

        import openpyxl

        from persian.jalali import format_date

        sheet = milestones_sheet(scoped_milestones(plan), plan)
        workbook = openpyxl.Workbook(write_only=True)
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.sheet_view.rightToLeft = True
        worksheet.append(list(sheet.headers))
        for row in sheet.rows:
            worksheet.append([format_date(v) if isinstance(v, datetime.date) else v for v in row])
        workbook.save(output)
    elif method == "import-export":
        from import_export.formats.base_formats import XLSX

        from plans.admin import MilestoneResource

        dataset = MilestoneResource().export()
        output.write_bytes(XLSX().export_data(dataset))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak": peak, "base": base, "size": output.stat().st_size / 1024 / 1024}))


def child(*args):
    result = subprocess.run(  # noqa: S603 — our own script, fixed arguments
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"child {args} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="10000,100000", help="comma-separated milestone counts")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--plan", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        return fill(args.db, args.fill)
    if args.run:
        return run(args.db, args.run, args.plan, args.out)

    methods = args.methods.split(",")
    print(f"{'rows':>8} {'method':<14} {'seconds':>8} {'peak MB':>8} {'base MB':>8} {'file MB':>8}  vs csv")
    for rows in (int(n) for n in args.rows.split(",")):
        with tempfile.TemporaryDirectory(prefix="prcouncil-bench-") as tmp:
            db = str(Path(tmp) / "bench.sqlite3")
            started = time.perf_counter()
            plan = child("--fill", str(rows), "--db", db)["plan"]
            print(f"# filled {rows} milestones in {time.perf_counter() - started:.1f} s", flush=True)
            csv_seconds = None
            for method in methods:
                figures = child("--run", method, "--db", db, "--plan", str(plan), "--out", tmp)
                if method == "csv":
                    csv_seconds = figures["seconds"]
                ratio = f"{figures['seconds'] / csv_seconds:.1f}x" if csv_seconds else ""
                print(
                    f"{rows:>8} {method:<14} {figures['seconds']:>8.2f} {figures['peak']:>8.0f} "
                    f"{figures['base']:>8.0f} {figures['size']:>8.1f}  {ratio}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
