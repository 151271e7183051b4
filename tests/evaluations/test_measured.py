"""A measured criterion, computed by hand.

Rubric: "news" (weight 20) has one sub-criterion measured from the website checks — news items in the
quarter, 0 items → 0 %, 12 or more → 100 %; "program" (weight 80) has one sub-criterion (1–5) the
evaluator scores 4 for both agencies → 80 %. Neither agency has milestones, so final = council.

    A: 12 news items → 100 %   council = (20 × 100 + 80 × 80) / 100 = 84.00
    B:  0 news items →   0 %   council = (20 ×   0 + 80 × 80) / 100 = 64.00
    B overridden to 50 % (with a reason):  (20 × 50 + 80 × 80) / 100 = 74.00
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import Measurement, MeasureOverride, Round, RoundSubCriterion
from evaluations.results import round_results
from monitoring.models import NewsItem, WebsiteCheck
from persian.jalali import Quarter
from tests import factories

pytestmark = pytest.mark.django_db

QUARTER = Quarter(1405, 3)  # 2026-09-23 .. 2026-12-21


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def news(agency, day, number):
    NewsItem.objects.create(
        agency=agency,
        url_hash=f"{agency.pk:08d}{number:056d}",
        url=f"https://{agency.code}.example.ir/news/{number}",
        published_at=moment(day),
        source=NewsItem.Source.FEED,
    )


def counted_check(agency, day):
    """A check that read the agency's feed (so its news is counted, even when there is none)."""
    return WebsiteCheck.objects.create(
        agency=agency,
        checked_at=moment(day),
        url=f"https://{agency.code}.example.ir/",
        reachable=True,
        status_code=200,
        news_7=0,
        news_30=0,
        news_90=0,
    )


@pytest.fixture
def world(director_user, evaluator_user):
    a = factories.AgencyFactory(code="agency-a", name="الف")
    b = factories.AgencyFactory(code="agency-b", name="ب")
    news_criterion = factories.CriterionFactory(name="اطلاع‌رسانی", weight=20, order=1)
    factories.SubCriterionFactory(
        criterion=news_criterion,
        name="تعداد اخبار",
        measure="website_news_items",
        measure_zero=Decimal(0),
        measure_full=Decimal(12),
    )
    program = factories.CriterionFactory(name="برنامه‌محوری", weight=80, order=2)
    factories.SubCriterionFactory(criterion=program, name="برنامه عملیاتی")
    first, last = QUARTER.bounds()
    for index in range(12):  # A: twelve items inside the quarter …
        news(a, first + datetime.timedelta(days=index * 7), index)
    news(a, first - datetime.timedelta(days=1), 100)  # … and two outside it, which do not count
    news(a, last + datetime.timedelta(days=1), 101)
    counted_check(a, first + datetime.timedelta(days=30))
    counted_check(b, first + datetime.timedelta(days=30))  # B's feed was read and listed nothing
    round = services.open_round(quarter=QUARTER, deadline=datetime.date(2026, 12, 30), opened_by=director_user)
    scored = RoundSubCriterion.objects.get(criterion__round=round, measure="")
    for agency in (a, b):
        services.save_sheet(round=round, evaluator=evaluator_user, agency=agency, values={scored.pk: 4})
    measured = RoundSubCriterion.objects.get(criterion__round=round, measure="website_news_items")
    return round, a, b, measured


def finals(round):
    return {row.agency.code: (row.council_score, row.final_score, row.rank) for row in round_results(round)}


def test_the_measured_criterion_scores_as_computed_by_hand(world):
    round, _a, _b, _measured = world
    assert finals(round) == {
        "agency-a": (Decimal("84.00"), Decimal("84.00"), 1),
        "agency-b": (Decimal("64.00"), Decimal("64.00"), 2),
    }


def test_the_round_copies_the_measure_and_its_scale(world):
    _round, _a, _b, measured = world
    assert (measured.measure, measured.measure_zero, measured.measure_full) == (
        "website_news_items",
        Decimal(0),
        Decimal(12),
    )


def test_an_override_needs_a_reason_and_is_recorded(world, director_user):
    round, _a, b, measured = world
    with pytest.raises(ValidationError, match=r"reason|دلیل"):
        services.override_measure(
            round=round, agency=b, sub_criterion=measured, percent=50, reason="  ", by=director_user
        )
    assert not MeasureOverride.objects.exists()

    services.override_measure(
        round=round,
        agency=b,
        sub_criterion=measured,
        percent=50,
        reason="خبرها در پورتال استان منتشر شد",
        by=director_user,
    )
    override = MeasureOverride.objects.get()
    assert (override.measured_value, override.before, override.percent) == (Decimal(0), Decimal(0), Decimal(50))
    assert override.reason == "خبرها در پورتال استان منتشر شد"
    assert override.author == director_user
    assert finals(round)["agency-b"] == (Decimal("74.00"), Decimal("74.00"), 2)


def test_evaluators_cannot_score_a_measured_item(world, evaluator_user):
    round, a, _b, measured = world
    with pytest.raises(ValidationError):
        services.save_sheet(round=round, evaluator=evaluator_user, agency=a, values={measured.pk: 1})
    assert finals(round)["agency-a"][0] == Decimal("84.00")


def test_a_locked_round_keeps_the_values_it_was_locked_with(world, director_user):
    round, _a, b, measured = world
    services.override_measure(
        round=round, agency=b, sub_criterion=measured, percent=50, reason="دلیل", by=director_user
    )
    services.close_round(round=round, by=director_user)
    services.lock_round(round=Round.objects.get(pk=round.pk), by=director_user)
    round.refresh_from_db()
    stored = {(m.agency.code, m.value, m.measured_percent, m.percent, m.overridden) for m in Measurement.objects.all()}
    assert stored == {
        ("agency-a", Decimal("12.00"), Decimal("100.00"), Decimal("100.00"), False),
        ("agency-b", Decimal("0.00"), Decimal("0.00"), Decimal("50.00"), True),
    }
    # B publishes more news about the quarter afterwards: the locked round does not move.
    for number in range(20):
        news(b, QUARTER.bounds()[0] + datetime.timedelta(days=number), 200 + number)
    assert finals(round) == {
        "agency-a": (Decimal("84.00"), Decimal("84.00"), 1),
        "agency-b": (Decimal("74.00"), Decimal("74.00"), 2),
    }
    with pytest.raises(ValidationError):
        services.override_measure(
            round=round, agency=b, sub_criterion=measured, percent=90, reason="x", by=director_user
        )


def test_evaluators_see_the_measured_value_and_the_score_it_gives(client, world, evaluator_user):
    round, a, _b, measured = world
    client.force_login(evaluator_user)
    page = client.get(reverse("evaluations:measured", args=[round.pk])).content.decode()
    assert "۱۲ " in page
    assert "۱۰۰٪" in page
    assert 'id="override-form"' not in page  # only the director-general overrides
    sheet = client.get(reverse("evaluations:score", args=[round.pk, a.pk])).content.decode()
    assert f'name="sub_{measured.pk}"' not in sheet  # not a field: the app measures it
    assert 'class="measured-value num">۱۲ ' in sheet


def test_the_director_overrides_through_the_page_and_a_reason_is_required(client, world, director_user):
    round, _a, b, measured = world
    client.force_login(director_user)
    url = reverse("evaluations:measured", args=[round.pk])
    refused = client.post(url, {"agency": b.pk, "sub_criterion": measured.pk, "percent": "۵۰", "reason": ""})
    assert refused.status_code == 200
    assert "دلیل" in refused.content.decode()
    assert not MeasureOverride.objects.exists()
    response = client.post(url, {"agency": b.pk, "sub_criterion": measured.pk, "percent": "۵۰", "reason": "بازبینی"})
    assert response.status_code == 302
    assert MeasureOverride.objects.get().percent == Decimal(50)
