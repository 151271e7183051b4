"""The check as a worker task (the daily job) and as manage.py check_websites."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils.module_loading import import_string

from monitoring import tasks
from monitoring.models import WebsiteCheck
from tests import factories
from tests.monitoring import pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sites(site):
    site.expect_request("/a/").respond_with_data(
        pages.html_page("الف", [(pages.HEADLINES[0], "۱۴۰۵/۰۸/۲۰")]), content_type="text/html"
    )
    site.expect_request("/b/").respond_with_data("", status=503)
    a = factories.AgencyFactory(code="site-a", website=site.url_for("/a/"))
    b = factories.AgencyFactory(code="site-b", website=site.url_for("/b/"))
    factories.AgencyFactory(code="no-site", website="")
    return a, b


def test_the_daily_job_is_listed_for_the_scheduler():
    job = settings.PERIODIC_TASKS["website_checks"]
    assert job["at"] == "02:30"
    assert import_string(job["task"]) is tasks.daily_website_checks


def test_the_daily_job_checks_each_site_once_a_day(two_sites):
    result = tasks.daily_website_checks.enqueue()
    assert result.return_value["checked"] == 2  # the agency without a website is not fetched
    again = tasks.daily_website_checks.enqueue()
    assert again.return_value["checked"] == 0  # idempotent within the day
    assert WebsiteCheck.objects.count() == 2


def test_the_task_takes_agency_codes(two_sites):
    a, _b = two_sites
    result = tasks.check_websites.enqueue(agency_codes=["site-a"])
    assert result.return_value["checked"] == 1
    assert list(WebsiteCheck.objects.values_list("agency__code", flat=True)) == [a.code]


def test_the_command_prints_what_it_found(two_sites):
    out = io.StringIO()
    call_command("check_websites", stdout=out)
    text = out.getvalue()
    assert "site-a" in text
    assert "server_error" in text
    assert "Checked 2 website(s)" in text
    out = io.StringIO()
    call_command("check_websites", "--agency", "site-a", stdout=out)
    assert "Checked 1 website(s)" in out.getvalue()
    with pytest.raises(CommandError, match="nowhere"):
        call_command("check_websites", "--agency", "nowhere")
