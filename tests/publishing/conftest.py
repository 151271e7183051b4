"""A small world for the bulletin: three agencies scored apart in two locked rounds (spring and summer
1405, ranks changing between them), a plan with two goals and reports, and private data salted with
markers that must never reach a public response."""

import datetime

import pytest
from django.utils import timezone

from evaluations import services as evaluation_services
from evaluations.models import RoundSubCriterion
from persian.jalali import Quarter
from plans.models import StrategicPlan
from plans.services import report_progress
from tests import factories

SPRING, SUMMER = Quarter(1405, 1), Quarter(1405, 2)
PRIVATE_MARKERS = {
    "private_note": "نشانگر-یادداشت-خصوصی-۷۷",
    "returned_reason": "نشانگر-دلیل-برگشت-۷۷",
    "report_note": "Marker-report-note-77",
}


def _score_round(quarter, director, evaluators, levels, agencies):
    round_ = evaluation_services.open_round(
        quarter=quarter, deadline=quarter.bounds()[1] + datetime.timedelta(days=10), opened_by=director
    )
    subs = list(RoundSubCriterion.objects.filter(criterion__round=round_))
    for agency, level in zip(agencies, levels, strict=True):
        for evaluator in evaluators:
            evaluation_services.save_sheet(
                round=round_,
                evaluator=evaluator,
                agency=agency,
                values={sub.pk: level for sub in subs},
                private_note=f"{PRIVATE_MARKERS['private_note']} {agency.code}",
                public_comment=f"نظر عمومی درباره {agency.name}",
            )
    evaluation_services.close_round(round=round_, by=director)
    round_.refresh_from_db()
    evaluation_services.lock_round(round=round_, by=director)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def world(db, director_user, evaluator_user):
    return make_world(director_user, evaluator_user)


def make_world(director_user, evaluator_user):
    """Also used by the browser test (tests/browser/test_publishing.py)."""
    agencies = [
        factories.AgencyFactory(code="education", name="آموزش و پرورش"),
        factories.AgencyFactory(code="gas", name="شرکت گاز"),
        factories.AgencyFactory(code="health", name="دانشگاه علوم پزشکی"),
    ]
    officer = factories.officer(agencies[0], username="officer-education", first_name="مریم", last_name="کارمندزاده")
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, is_public=True, year=1405)
    goals = [factories.GoalFactory(plan=plan, number=1), factories.GoalFactory(plan=plan, number=2)]
    start = SPRING.bounds()[0]
    milestones = [
        factories.MilestoneFactory(
            goal=goals[0], agency=agencies[0], start_date=start, due_date=datetime.date(2027, 3, 1)
        ),
        factories.MilestoneFactory(
            goal=goals[1], agency=agencies[1], start_date=start, due_date=datetime.date(2027, 3, 1)
        ),
    ]
    report_progress(
        milestone=milestones[0],
        author=officer,
        status="in_progress",
        progress=40,
        note=PRIVATE_MARKERS["report_note"],
        expected_version=milestones[0].version,
    )
    criterion = factories.CriterionFactory(weight=100)
    factories.SubCriterionFactory(criterion=criterion, min_score=1, max_score=5)
    evaluators = [evaluator_user]
    spring = _score_round(SPRING, director_user, evaluators, [2, 4, 5], agencies)
    summer = _score_round(SUMMER, director_user, evaluators, [5, 3, 2], agencies)
    return {
        "agencies": agencies,
        "plan": plan,
        "goals": goals,
        "spring": spring,
        "summer": summer,
        "director": director_user,
        "officer": officer,
        "today": timezone.localdate(),
    }
