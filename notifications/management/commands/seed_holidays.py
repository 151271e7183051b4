"""Add a Solar Hijri year's official holidays to the table: `manage.py seed_holidays 1407`."""

from django.core.management.base import BaseCommand, CommandError

from notifications.holidays import seed
from notifications.models import Holiday
from persian.jalali import FIRST_YEAR, LAST_YEAR
from persian.values import InvalidValue, clean_integer


class Command(BaseCommand):
    help = (
        "Add the official holidays of the given Solar Hijri years (the Jalali-fixed ones, and the lunar ones "
        "from the Umm al-Qura calendar, unconfirmed: check them in the admin). Existing rows are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", help="e.g. 1407 (Persian or Latin digits)")

    def handle(self, *args, years, **options):
        try:
            years = [clean_integer(year, min_value=FIRST_YEAR, max_value=LAST_YEAR) for year in years]
        except InvalidValue as error:
            raise CommandError(f"Give Solar Hijri years from {FIRST_YEAR} to {LAST_YEAR}, like 1407: {error}") from None
        added = seed(Holiday, years)
        self.stdout.write(f"{added} holidays added; check the lunar ones (unconfirmed) in the admin.")
