"""The checker fetches addresses people typed: with the production setting (no network allowed), names and
addresses that lead to loopback, link-local or private addresses are refused, after DNS resolution,
and recorded as refused; so is a redirect from an allowed host to one of them. Nothing is ever sent there
(tests/monitoring/conftest.py fails any connection outside 127.0.0.0/8)."""

import pytest

from monitoring import fetch
from monitoring.checker import run_checks
from monitoring.models import Failure, WebsiteCheck
from prcouncil.settings import base
from tests import factories
from tests.monitoring import pages

pytestmark = pytest.mark.django_db


def test_production_allows_no_private_network_by_default(monkeypatch):
    monkeypatch.delenv("MONITORING_ALLOWED_NETWORKS", raising=False)
    assert base.env_list("MONITORING_ALLOWED_NETWORKS") == []
    assert base.MONITORING_ALLOWED_NETWORKS == []


@pytest.fixture
def production(settings):
    settings.MONITORING_ALLOWED_NETWORKS = []


@pytest.fixture
def names(monkeypatch):
    """Names that resolve to internal addresses, as a hostile or careless DNS entry would."""
    table = {
        "news.example-agency.ir": ["127.0.0.1"],
        "metadata.example-agency.ir": ["169.254.169.254"],
        "intranet.example-agency.ir": ["10.0.0.1"],
        "mixed.example-agency.ir": ["10.0.0.1", "192.168.1.10", "fd00::1"],
    }
    real = fetch.resolve

    def resolve(host, port):
        return table[host] if host in table else real(host, port)

    monkeypatch.setattr(fetch, "resolve", resolve)


def check_of(website):
    agency = factories.AgencyFactory(website=website)
    run_checks([agency])
    return WebsiteCheck.objects.get(agency=agency)


@pytest.mark.parametrize(
    "website",
    [
        "http://news.example-agency.ir:{port}/",  # a name resolving to 127.0.0.1
        "http://localhost:{port}/",
        "http://127.0.0.1:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://metadata.example-agency.ir/latest/meta-data/",
        "http://10.0.0.1/",
        "http://intranet.example-agency.ir/",
        "http://mixed.example-agency.ir/",
        "http://[::1]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://0.0.0.0:{port}/",
    ],
)
def test_internal_addresses_are_refused_and_recorded(site, production, names, website):
    site.expect_request("/").respond_with_data(pages.html_page("داخلی", []), content_type="text/html")
    check = check_of(website.format(port=site.port))
    assert (check.failure, check.reachable, check.status_code) == (Failure.REFUSED, False, None)
    assert site.log == []  # nothing reached the server


def test_a_redirect_from_an_allowed_host_to_loopback_is_refused(site, second_loopback_site, settings):
    # 127.0.0.2 stands for an allowed public host; 127.0.0.1 is not allowed.
    settings.MONITORING_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    target = site.url_for("/admin/")
    second_loopback_site.expect_request("/").respond_with_data("", status=302, headers={"Location": target})
    site.expect_request("/admin/").respond_with_data("secret", content_type="text/html")
    check = check_of(second_loopback_site.url_for("/"))
    assert check.failure == Failure.REFUSED
    assert "127.0.0.1" in check.failure_detail
    assert len(second_loopback_site.log) == 1
    assert site.log == []


def test_a_feed_pointing_inside_is_refused_while_the_site_is_measured(second_loopback_site, settings, names):
    from monitoring.models import WebsiteSource

    settings.MONITORING_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    second_loopback_site.expect_request("/").respond_with_data(
        pages.html_page("سایت", [(pages.HEADLINES[0], "۱۴۰۵/۰۸/۲۰")]), content_type="text/html"
    )
    agency = factories.AgencyFactory(website=second_loopback_site.url_for("/"))
    WebsiteSource.objects.create(agency=agency, feed_urls="http://intranet.example-agency.ir/rss")
    run_checks([agency])
    check = WebsiteCheck.objects.get(agency=agency)
    assert check.reachable
    feed = next(detail for detail in check.details if detail["kind"] == "feed")
    assert feed["failure"] == Failure.REFUSED


@pytest.mark.parametrize("website", ["file:///etc/passwd", "ftp://example.ir/", "gopher://127.0.0.1:70/"])
def test_only_http_and_https(website):
    check = check_of(website)
    assert check.failure == Failure.BAD_URL
