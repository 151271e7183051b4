"""seed_demo fills the website check history without touching the network, so the pages and the
evaluation's measured criteria show it at once."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from evaluations.models import Measurement, Round, RoundSubCriterion
from evaluations.results import measured_scores, rubric_of
from monitoring import fetch
from monitoring.demo import DOWN_FOR_TWO_WEEKS, WITHOUT_WEBSITE
from monitoring.models import Failure, NewsItem, WebsiteCheck
from persian.jalali import Quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the demo must not touch the network")

    monkeypatch.setattr(fetch, "resolve", no_network)
    call_command("seed_demo", stdout=io.StringIO())


def test_every_demo_site_has_a_daily_history(demo):
    today = timezone.localdate()
    days = (today - Quarter(1405, 1).bounds()[0]).days + 1
    with_site = Agency.objects.exclude(website="")
    assert with_site.count() == Agency.objects.count() - len(WITHOUT_WEBSITE)
    for agency in with_site:
        assert WebsiteCheck.objects.filter(agency=agency).count() == days
    assert not WebsiteCheck.objects.filter(agency__code__in=WITHOUT_WEBSITE).exists()
    down = WebsiteCheck.objects.filter(agency__code=DOWN_FOR_TWO_WEEKS).first()
    assert down.failure == Failure.SERVER_ERROR
    assert NewsItem.objects.count() > 1000
    # seeding twice changes nothing
    counts = (WebsiteCheck.objects.count(), NewsItem.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (WebsiteCheck.objects.count(), NewsItem.objects.count()) == counts


def test_pages_and_the_evaluation_show_the_history_at_once(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="viewer"))
    page = client.get(reverse("monitoring:websites")).content.decode()
    assert 'data-stale="yes"' in page
    assert 'data-stale="no"' in page
    assert 'id="stale-sites">' in client.get(reverse("home")).content.decode()
    # the evaluation measures the demo sites
    current = Round.objects.get(year=1405, quarter=3)
    measured = RoundSubCriterion.objects.filter(criterion__round=current).exclude(measure="")
    assert set(measured.values_list("measure", flat=True)) == {"website_news_items", "website_days_since_update"}
    agency_ids = list(Agency.objects.active().values_list("pk", flat=True))
    scores = measured_scores(current, rubric_of(current), agency_ids)
    values = [score.value for score in scores.values() if score.value is not None]
    assert len(values) > len(agency_ids)  # both measures, for most agencies
    assert len({score.percent for score in scores.values()}) > 3  # they differ between agencies
    locked = Round.objects.get(year=1405, quarter=2)
    assert Measurement.objects.filter(round=locked).exclude(value=None).count() > len(agency_ids)
