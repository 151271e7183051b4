"""The website check on the worker (Django Tasks). Arguments are JSON: agency codes, never objects."""

from django.tasks import task
from django.utils import timezone

from agencies.models import Agency

from .checker import run_checks
from .models import WebsiteCheck


@task
def check_websites(agency_codes=None, only_unchecked_today=False):
    """Check the agencies' websites (all active ones, or those named) and record one row per site.

    With only_unchecked_today (the daily job) a site already checked today is left alone, so running
    the job twice in a day does no harm.
    """
    agencies = Agency.objects.active().order_by("name")
    if agency_codes:
        agencies = agencies.filter(code__in=agency_codes)
    if only_unchecked_today:
        today = timezone.localdate()
        agencies = agencies.exclude(pk__in=WebsiteCheck.objects.in_period(today, today).values("agency"))
    summary = run_checks(agencies)
    return {"checked": len(summary.checks), "seconds": round(summary.seconds, 1), "failures": summary.failures}


@task
def daily_website_checks():
    """The daily job (settings.PERIODIC_TASKS["website_checks"])."""
    return check_websites.call(only_unchecked_today=True)
