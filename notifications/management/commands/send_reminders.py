"""Run the reminder ladder and the escalation now: `manage.py send_reminders [--dry-run] [--date ۱۴۰۵/۰۹/۱۰]`."""

from django.core.management.base import BaseCommand, CommandError

from notifications.ladder import run_reminders
from persian.jalali import format_date
from persian.values import InvalidValue, clean_date


class Command(BaseCommand):
    help = (
        "Send the day's reminder digests (one per agency) and the escalation to the director-general. "
        "Safe to run again: what was sent is not sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="The day to run for, Jalali or Gregorian, any digits (e.g. 1405/09/10); today if left out.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would be sent; write and send nothing.")

    def handle(self, *args, date=None, dry_run=False, **options):
        day = None
        if date:
            try:
                day = clean_date(date)
            except InvalidValue as error:
                raise CommandError(f"Not a date: {date!r}. {error}") from None
        result = run_reminders(day, dry_run=dry_run)
        shown = f"{format_date(result.day, persian=False)} ({format_date(result.day, persian=True)})"
        if not result.working_day:
            self.stdout.write(f"{shown} is not a working day (Friday or an official holiday): nothing to send.")
            return
        if result.plan is None:
            self.stdout.write("There is no active plan: nothing to send.")
            return
        verb = "would remind" if dry_run else "reminded"
        self.stdout.write(f"{shown}: {verb} {len(result.digests)} agencies, escalated {len(result.escalated)}.")
        for digest in result.digests:
            people = ", ".join(user.get_username() for user in digest.recipients) or "NO OFFICER TO REMIND"
            self.stdout.write(
                f"  {digest.agency.code}: {len(digest.due)} due, {len(digest.overdue)} overdue, "
                f"{len(digest.returned)} returned -> {people}"
            )
        for item in result.escalated:
            reasons = []
            if item.overdue_count:
                reasons.append(f"{item.overdue_count} long overdue")
            if item.silent:
                reasons.append("not reporting")
            if item.waiting_count:
                reasons.append(f"{item.waiting_count} waiting for review")
            self.stdout.write(f"  escalated {item.agency.code}: {', '.join(reasons)}")
        if not dry_run:
            counts = result.counts
            self.stdout.write(
                f"messages: {counts['sent']} sent, {counts['failed']} failed, {counts['already']} already sent, "
                f"{counts['skipped']} not reachable by a channel (no email address, or email turned off)"
            )
            if counts["failed"]:
                raise CommandError(f"{counts['failed']} messages failed; run the command again to retry them.")
