"""The quarterly bulletin in a real browser: anonymous opens it, follows an agency, downloads the CSV."""

import datetime
from pathlib import Path

import pytest

from publishing import services
from tests import factories
from tests.publishing.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bulletin(db):
    world = make_world(factories.director(username="dg"), factories.evaluator(username="eval-1"))
    bulletin = services.create_draft(round=world["summer"], plan=world["plan"], by=world["director"])
    return services.publish(
        bulletin=bulletin,
        published_on=datetime.date(2026, 9, 28),
        expected_version=bulletin.version,
        by=world["director"],
    )


def test_anonymous_reads_the_bulletin_follows_an_agency_and_downloads_the_csv(
    page, screenshot, console_errors, bulletin
):
    page.goto("/bulletins/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.click("#bulletin-list a")
    page.wait_for_load_state("networkidle")
    assert "تابستان ۱۴۰۵" in page.inner_text("h1")
    assert page.locator("#bulletin-ranking tbody tr").count() == 3
    screenshot("publishing-bulletin")
    with page.expect_download() as download_info:
        page.click("#download-agencies-csv")
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert "آموزش و پرورش" in content.decode("utf-8-sig")
    page.click("#bulletin-ranking a:has-text('شرکت گاز')")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1") == "شرکت گاز"
    assert page.locator("#agency-history tbody tr").count() == 1
    assert console_errors == []
