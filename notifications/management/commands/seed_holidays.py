"""Add a Solar Hijri year's official holidays to the table: `manage.py seed_holidays 1407`."""

from django.core.management.base import BaseCommand, CommandError

from notifications.holidays import seed
from notifications.models import Holiday
from persian.jalali import FIRST_YEAR, LAST_YEAR, to_latin_digits


class Command(BaseCommand):
    help = (
        "Add the official holidays of the given Solar Hijri years (the Jalali-fixed ones, and the lunar ones "
        "from the Umm al-Qura calendar, unconfirmed: check them in the admin). Existing rows are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", help="e.g. 1407 (Persian or Latin digits)")

    def handle(self, *args, years, **options):
        try:
            years = [int(to_latin_digits(year)) for year in years]
        except ValueError:
            raise CommandError("Give Solar Hijri years, like 1407.") from None
        if any(not FIRST_YEAR <= year <= LAST_YEAR for year in years):
            raise CommandError(f"Solar Hijri years run from {FIRST_YEAR} to {LAST_YEAR} here.")
        added = seed(Holiday, years)
        self.stdout.write(f"{added} holidays added; check the lunar ones (unconfirmed) in the admin.")
