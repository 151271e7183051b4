"""The evaluation's arithmetic on a hand-computed fixture (every figure below is worked out by hand)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluations import scoring, services
from evaluations.models import Correction, Round, RoundResult, Score, SubCriterion, Tier
from evaluations.results import round_results
from persian.jalali import Quarter
from plans.models import ProgressUpdate, Status
from tests import factories

pytestmark = pytest.mark.django_db

QUARTER = Quarter(1405, 3)  # 2026-09-23 .. 2026-12-21, 90 days


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@pytest.fixture
def rubric(db):
    """C1 (weight 60): S1a, S1b; C2 (weight 40): S2a (weight 2), S2b. All scored 1–5."""
    c1 = factories.CriterionFactory(name="برنامه‌محوری", weight=60, order=1)
    c2 = factories.CriterionFactory(name="اطلاع‌رسانی", weight=40, order=2)
    return {
        "S1a": factories.SubCriterionFactory(criterion=c1, name="S1a", order=1),
        "S1b": factories.SubCriterionFactory(criterion=c1, name="S1b", order=2),
        "S2a": factories.SubCriterionFactory(criterion=c2, name="S2a", weight=2, order=1),
        "S2b": factories.SubCriterionFactory(criterion=c2, name="S2b", order=2),
    }


@pytest.fixture
def people(db):
    return {
        "director": factories.director(username="dg"),
        "e1": factories.evaluator(username="e1"),
        "e2": factories.evaluator(username="e2"),
    }


@pytest.fixture
def agencies(db):
    return {code: factories.AgencyFactory(code=code, name=f"دستگاه {code}") for code in "ABCDE"}


def subs_of(round):
    from evaluations.models import RoundSubCriterion

    return {sub.name: sub.pk for sub in RoundSubCriterion.objects.filter(criterion__round=round)}


def score(round, evaluator, agency, **values):
    subs = subs_of(round)
    services.save_sheet(
        round=round,
        evaluator=evaluator,
        agency=agency,
        values={subs[name]: value for name, value in values.items()},
        private_note=f"یادداشت خصوصی {evaluator.username}",
        public_comment=f"نظر عمومی {evaluator.username}",
    )


def milestones_for_a(agency, author):
    start, end = QUARTER.bounds()
    # M1 (weight 2), due in the quarter, 50% reported in the quarter; a later returned report (90%) is ignored.
    m1 = factories.MilestoneFactory(agency=agency, weight=2, start_date=start, due_date=datetime.date(2026, 11, 21))
    factories.ProgressUpdateFactory(milestone=m1, progress=50, author=author, created_at=at(datetime.date(2026, 10, 1)))
    factories.ProgressUpdateFactory(
        milestone=m1,
        progress=90,
        author=author,
        created_at=at(datetime.date(2026, 10, 20)),
        review_state=ProgressUpdate.ReviewState.RETURNED,
        review_reason="مستندات ناقص",
        reviewed_by=factories.director(),
        reviewed_at=at(datetime.date(2026, 10, 21)),
    )
    # M2 (weight 1), 180-day span from the quarter's start: half expected by the quarter's end; 30% reported.
    m2 = factories.MilestoneFactory(
        agency=agency, weight=1, start_date=start, due_date=start + datetime.timedelta(days=179)
    )
    factories.ProgressUpdateFactory(milestone=m2, progress=30, author=author, created_at=at(datetime.date(2026, 11, 1)))
    # M5 (weight 1), due in the quarter, done before it started: complete, but not reported in the quarter.
    m5 = factories.MilestoneFactory(
        agency=agency, weight=1, start_date=datetime.date(2026, 8, 1), due_date=datetime.date(2026, 10, 10)
    )
    factories.ProgressUpdateFactory(
        milestone=m5, status=Status.DONE, progress=100, author=author, created_at=at(datetime.date(2026, 9, 10))
    )
    # Not in the quarter: a cancelled milestone and one that ended before it.
    factories.MilestoneFactory(agency=agency, status=Status.CANCELLED, start_date=start, due_date=end)
    factories.MilestoneFactory(
        agency=agency, start_date=datetime.date(2026, 4, 1), due_date=datetime.date(2026, 9, 1), progress=0
    )
    return m1


@pytest.fixture
def scored_round(rubric, people, agencies):
    round = services.open_round(
        quarter=QUARTER, deadline=datetime.date(2026, 12, 30), opened_by=people["director"], execution_weight=30
    )
    e1, e2 = people["e1"], people["e2"]
    score(round, e1, agencies["A"], S1a=5, S1b=None, S2a=3, S2b=4)
    score(round, e2, agencies["A"], S1a=3, S1b=None, S2a=None, S2b=2)
    score(round, e1, agencies["B"], S1a=5, S1b=5, S2a=5, S2b=5)
    score(round, e1, agencies["C"], S1a=3, S1b=3, S2a=3, S2b=3)
    score(round, e2, agencies["D"], S1a=3, S1b=3, S2a=3, S2b=3)
    score(round, e1, agencies["E"], S1a=1, S1b=1, S2a=1, S2b=1)
    milestones_for_a(agencies["A"], factories.officer(agencies["A"]))
    return round


def by_code(rows):
    return {row.agency.code: row for row in rows}


def test_hand_computed_council_execution_and_final_scores(scored_round):
    rows = by_code(round_results(scored_round))
    a = rows["A"]
    # Means: S1a (5+3)/2 = 4, S1b N/A, S2a 3 (e2 said N/A), S2b (4+2)/2 = 3.
    # C1 = 4/5 = 80% (S1b left out, not zero); C2 = (2·60 + 1·60)/3 = 60%; council = 0.6·80 + 0.4·60 = 72.
    assert a.council_score == Decimal("72.00")
    # M1: 0.7·0.5 + 0.3 = 0.65 (w2); M2: 0.7·(0.30/0.50) + 0.3 = 0.72 (w1); M5: 0.7·1 + 0 = 0.70 (w1).
    # (2·0.65 + 0.72 + 0.70) / 4 = 0.68.
    assert a.execution_score == Decimal("68.00")
    # 0.7·72 + 0.3·68 = 70.8.
    assert a.final_score == Decimal("70.80")
    assert a.tier == Tier.ACTIVE
    assert a.criteria == {
        str(pk): value for pk, value in zip(sorted(int(k) for k in a.criteria), ["80.00", "60.00"], strict=True)
    }


def test_ranking_ties_share_a_rank_and_skip_the_next(scored_round):
    rows = round_results(scored_round)
    assert [(row.agency.code, row.final_score, row.rank) for row in rows] == [
        ("B", Decimal("100.00"), 1),  # no milestones: council score alone
        ("A", Decimal("70.80"), 2),
        ("C", Decimal("60.00"), 3),
        ("D", Decimal("60.00"), 3),
        ("E", Decimal("20.00"), 5),
    ]
    assert [row.tier for row in rows] == [
        Tier.EXCELLENT,
        Tier.ACTIVE,
        Tier.SEMI_ACTIVE,
        Tier.SEMI_ACTIVE,
        Tier.INACTIVE,
    ]


def test_an_agency_nobody_scored_is_not_ranked(scored_round):
    unscored = factories.AgencyFactory(code="Z")
    row = by_code(round_results(scored_round))["Z"]
    assert (row.council_score, row.final_score, row.rank, row.tier) == (None, None, None, "")
    assert unscored.pk == row.agency_id


def test_not_applicable_is_never_zero():
    rubric = [
        scoring.Crit(1, 50, (scoring.Sub(11, 1, 5), scoring.Sub(12, 1, 5))),
        scoring.Crit(2, 50, (scoring.Sub(21, 1, 5),)),
    ]
    # Criterion 2 entirely N/A: criterion 1 stands alone, weights renormalised.
    assert scoring.council_score(rubric, {11: 4, 12: None}) == Decimal(80)
    assert scoring.council_score(rubric, {}) is None


@pytest.mark.parametrize(
    ("score", "tier"),
    [
        ("100", Tier.EXCELLENT),
        ("85.00", Tier.EXCELLENT),
        ("84.99", Tier.ACTIVE),
        ("70.00", Tier.ACTIVE),
        ("69.99", Tier.SEMI_ACTIVE),
        ("50.00", Tier.SEMI_ACTIVE),
        ("49.99", Tier.INACTIVE),
        ("0", Tier.INACTIVE),
    ],
)
def test_tiers_at_the_cut_off_boundaries(score, tier):
    round = Round(excellent_from=Decimal(85), active_from=Decimal(70), semi_active_from=Decimal(50))
    assert round.tier_for(Decimal(score)) == tier


def test_competition_ranks():
    assert scoring.competition_ranks([Decimal(90), Decimal(95), Decimal(90), None, Decimal(80)]) == [2, 1, 2, None, 4]


def test_rank_change_since_last_quarter(rubric, people, agencies):
    previous = services.open_round(
        quarter=QUARTER.previous(), deadline=datetime.date(2026, 10, 1), opened_by=people["director"]
    )
    score(previous, people["e1"], agencies["A"], S1a=2, S1b=2, S2a=2, S2b=2)
    score(previous, people["e1"], agencies["B"], S1a=4, S1b=4, S2a=4, S2b=4)
    services.close_round(round=previous, by=people["director"])
    services.lock_round(round=previous, by=people["director"])
    current = services.open_round(quarter=QUARTER, deadline=datetime.date(2026, 12, 30), opened_by=people["director"])
    score(current, people["e1"], agencies["A"], S1a=5, S1b=5, S2a=5, S2b=5)
    score(current, people["e1"], agencies["B"], S1a=3, S1b=3, S2a=3, S2b=3)
    rows = by_code(round_results(current))
    assert (rows["A"].rank, rows["A"].previous_rank, rows["A"].rank_change) == (1, 2, 1)
    assert (rows["B"].rank, rows["B"].previous_rank, rows["B"].rank_change) == (2, 1, -1)


def test_each_round_keeps_its_own_copy_of_the_rubric(scored_round, rubric):
    SubCriterion.objects.filter(pk=rubric["S1a"].pk).update(name="تغییر یافته", max_score=10)
    assert "S1a" in subs_of(scored_round)
    assert by_code(round_results(scored_round))["A"].council_score == Decimal("72.00")


# --- the round's life: open → closed → locked, corrections ----------------------------------


def test_one_round_per_quarter(scored_round, people):
    with pytest.raises(ValidationError) as error:
        services.open_round(quarter=QUARTER, deadline=datetime.date(2026, 12, 30), opened_by=people["director"])
    assert error.value.messages == [str(services.ROUND_EXISTS)]


def test_database_refuses_a_score_out_of_range_and_a_second_score(scored_round):
    existing = Score.objects.filter(sheet__round=scored_round).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=existing.pk).update(value=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            sheet=existing.sheet, sub_criterion=existing.sub_criterion, value=3, min_score=1, max_score=5
        )


def test_service_refuses_a_score_out_of_range(scored_round, people, agencies):
    subs = subs_of(scored_round)
    with pytest.raises(ValidationError):
        services.save_sheet(round=scored_round, evaluator=people["e1"], agency=agencies["A"], values={subs["S1a"]: 9})


def test_after_lock_milestones_and_scores_change_nothing(scored_round, people, agencies):
    services.close_round(round=scored_round, by=people["director"])
    with pytest.raises(ValidationError):
        score(scored_round, people["e1"], agencies["A"], S1a=1)
    services.lock_round(round=scored_round, by=people["director"])
    scored_round.refresh_from_db()
    before = [
        (r.agency.code, r.council_score, r.execution_score, r.final_score, r.rank, r.tier)
        for r in round_results(scored_round)
    ]
    assert RoundResult.objects.filter(round=scored_round).count() == 5
    # Later edits: a milestone reported at 100%, and a score changed behind the service's back.
    milestone = agencies["A"].milestones.order_by("pk").first()
    factories.ProgressUpdateFactory(
        milestone=milestone, status=Status.DONE, progress=100, created_at=at(datetime.date(2026, 12, 1))
    )
    milestone.progress, milestone.status = 100, Status.DONE
    milestone.save()
    Score.objects.filter(sheet__round=scored_round, sheet__agency=agencies["E"]).update(value=5)
    after = [
        (r.agency.code, r.council_score, r.execution_score, r.final_score, r.rank, r.tier)
        for r in round_results(scored_round)
    ]
    assert after == before


def test_a_correction_needs_a_reason_and_is_recorded(scored_round, people, agencies):
    director = people["director"]
    services.close_round(round=scored_round, by=director)
    services.lock_round(round=scored_round, by=director)
    result_e = RoundResult.objects.get(round=scored_round, agency=agencies["E"])
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as error:
            services.correct_result(
                result=result_e, council_score="65", execution_score=None, reason=reason, by=director
            )
        assert error.value.messages == [str(services.REASON_REQUIRED)]
    assert not Correction.objects.exists()
    assert RoundResult.objects.get(pk=result_e.pk).final_score == Decimal("20.00")

    corrected = services.correct_result(
        result=result_e, council_score="65", execution_score=None, reason="نمره زیرشاخص اشتباه ثبت شده بود", by=director
    )
    assert (corrected.final_score, corrected.rank, corrected.tier) == (Decimal("65.00"), 3, Tier.SEMI_ACTIVE)
    ranks = dict(RoundResult.objects.filter(round=scored_round).values_list("agency__code", "rank"))
    assert ranks == {"B": 1, "A": 2, "E": 3, "C": 4, "D": 4}
    record = Correction.objects.get(result=result_e)
    assert record.reason == "نمره زیرشاخص اشتباه ثبت شده بود"
    assert record.author == director
    assert (record.before["final_score"], record.after["final_score"]) == ("20.00", "65.00")
    # C and D moved from 3 to 4: their rows are recorded under the same reason.
    assert Correction.objects.filter(result__agency__code__in=["C", "D"]).count() == 2


def test_only_a_closed_round_is_locked_and_only_a_locked_one_corrected(scored_round, people):
    with pytest.raises(ValidationError):
        services.lock_round(round=scored_round, by=people["director"])
    services.close_round(round=scored_round, by=people["director"])
    with pytest.raises(ValidationError):
        services.close_round(round=scored_round, by=people["director"])


def test_agencies_tied_on_rank_are_listed_in_persian_alphabetical_order():
    class AnyRound:
        def tier_for(self, score):
            return ""

    names = ["ورزش و جوانان", "کتابخانه‌های عمومی", "پست", "آموزش و پرورش", "گاز"]
    rows = [scoring.ResultRow(factories.AgencyFactory.build(name=name), None, None, Decimal(80)) for name in names]
    rows.append(scoring.ResultRow(factories.AgencyFactory.build(name="ی"), None, None, Decimal(90)))
    ranked = scoring.rank_and_tier(rows, AnyRound())
    assert [(row.rank, row.agency.name) for row in ranked] == [
        (1, "ی"),
        (2, "آموزش و پرورش"),
        (2, "پست"),
        (2, "کتابخانه‌های عمومی"),
        (2, "گاز"),
        (2, "ورزش و جوانان"),
    ]
