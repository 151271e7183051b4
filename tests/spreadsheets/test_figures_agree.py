"""The same figure is the same number everywhere (issue 16): dashboard, agency page, heatmap,
workbook summary, CSV and public page — for the director-general and for an officer."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from plans.models import StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(agency, other_agency):
    plan = factories.StrategicPlanFactory(
        status=StrategicPlan.Status.ACTIVE, is_public=True, year=1405, title="برنامه راهبردی ۱۴۰۵"
    )
    one = factories.GoalFactory(plan=plan, number=1, weight=2)
    two = factories.GoalFactory(plan=plan, number=2)
    for goal, owner, progress, weight, status in (
        (one, agency, 80, 1, "in_progress"),
        (one, other_agency, 100, 3, "done"),
        (one, other_agency, 40, 1, "cancelled"),  # counts in «همه», in no progress
        (two, agency, 25, 2, "in_progress"),
        (two, other_agency, 70, 1, "delayed"),
    ):
        factories.MilestoneFactory(goal=goal, agency=owner, progress=progress, weight=weight, status=status)
    return plan


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("role", ["director", "officer"])
def test_the_same_figures_on_every_page_and_file(client, plan, agency, director_user, officer_user, role):
    client.force_login(director_user if role == "director" else officer_user)
    dashboard = client.get(reverse("home")).context
    total, overall = dashboard["counts"]["total"], dashboard["overall"]
    goals = {goal.number: goal.progress for goal in dashboard["goals"]}
    assert total == 5
    assert goals == {1: 95, 2: 40}

    workbook = openpyxl.load_workbook(io.BytesIO(body(client.get(reverse("spreadsheets:export")))))
    summary = [[cell.value for cell in row] for row in workbook["خلاصه"].iter_rows(min_row=2)]
    plan_row, goal_rows = summary[0], summary[1:]
    assert plan_row[2] + plan_row[6] == total  # milestones counted + cancelled = «همه»
    assert plan_row[5] == overall
    assert {row[0]: row[5] for row in goal_rows} == goals
    assert "(۱۴۰۵)" not in plan_row[1]  # the title already says the year

    public = client.get(reverse("plans:public", args=[plan.pk])).context
    assert public["overall"] == overall
    assert {goal.number: goal.progress for goal in public["goals"]} == goals

    heatmap = client.get(reverse("plans:heatmap", args=[plan.pk])).context
    assert {goal.number: goal.progress for goal, _cells in heatmap["grid"]} == goals
    agency_column = next(column for column in heatmap["agencies"] if column.pk == agency.pk)
    agency_page = client.get(reverse("plans:agency", args=[plan.pk, agency.code])).context
    assert agency_page["agency"].progress == agency_column.progress
    sheet_agencies = {row[0].value: row[8].value for row in workbook["دستگاه‌ها"].iter_rows(min_row=2)}
    assert sheet_agencies[agency.name] == agency_column.progress

    rows = list(
        csv.reader(io.StringIO(body(client.get(reverse("spreadsheets:export"), {"format": "csv"})).decode("utf-8-sig")))
    )
    if role == "director":
        assert len(rows) - 1 == total
    else:  # milestone rows are an agency's own; the figures above are plan-wide for everyone
        assert len(rows) - 1 == 2


def test_a_filtered_workbook_says_which_filter_made_it(client, plan, director_user, agency):
    client.force_login(director_user)
    response = client.get(reverse("spreadsheets:export"), {"agency": agency.code, "quarter": "1405-3"})
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    title = workbook["خلاصه"]["B2"].value
    assert "پالایش‌شده" in title
    assert agency.name in title
    assert "پاییز ۱۴۰۵" in title


def test_a_cancelled_only_heatmap_cell_is_a_dash_as_on_the_page(client, director_user, agency, other_agency):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    goal = factories.GoalFactory(plan=plan, number=1)
    factories.MilestoneFactory(goal=goal, agency=agency, progress=50)
    factories.MilestoneFactory(goal=goal, agency=other_agency, status="cancelled")
    client.force_login(director_user)
    workbook = openpyxl.load_workbook(io.BytesIO(body(client.get(reverse("spreadsheets:export")))))
    heatmap = workbook["نقشه حرارتی"]
    cells = {heatmap.cell(1, col).value: heatmap.cell(2, col).value for col in range(2, heatmap.max_column + 1)}
    assert cells == {agency.name: 50, other_agency.name: "—"}


# --- the workbook's figures come from the progress summary (issue 15) ------------------------


def reference_sheets(plan, filters, today):
    """The workbook's summary, goals, agencies and heatmap rows computed the way they were before the
    summary: aggregates over the milestones themselves (the pages' reference querysets)."""
    from django.db.models import Count, Q

    from plans.models import Goal, Status, agency_figures
    from spreadsheets.export import scoped_milestones

    scope = filters.scope("milestones__")
    goals = list(Goal.objects.for_dashboard(plan, scope, today))
    overdue = Q(milestones__due_date__lt=today) & ~Q(milestones__status__in=[Status.DONE, Status.CANCELLED])
    agencies = list(
        agency_figures()
        .with_plan_progress(plan, scope)
        .annotate(
            done_count=Count("milestones", filter=Q(milestones__status=Status.DONE)),
            delayed_count=Count("milestones", filter=Q(milestones__status=Status.DELAYED)),
            overdue_count=Count("milestones", filter=overdue),
        )
        .order_by("name")
    )
    cells = {
        (c["goal_id"], c["agency_id"]): c["progress"]
        for c in scoped_milestones(plan, filters=filters).for_heatmap(plan)
    }
    return {
        "overall": scoped_milestones(plan, filters=filters).plan_progress(),
        "goals": [
            (g.number, g.milestone_count, g.done_count, g.overdue_count, g.progress, g.cancelled_count) for g in goals
        ],
        "agencies": [
            (a.code, a.milestone_count, a.done_count, a.delayed_count, a.overdue_count, a.progress) for a in agencies
        ],
        "heatmap": [[cells.get((g.pk, a.pk), "blank") for a in agencies] for g in goals],
    }


def workbook_figures(plan, filters, today):
    from spreadsheets.export import progress_sheets

    summary, goals, agencies, _milestones, heatmap = progress_sheets(plan, filters=filters, today=today)
    summary_rows = list(summary.rows)
    agency_rows = list(agencies.rows)
    return {
        "overall": summary_rows[0][5],
        "goals": [(row[0], row[2], row[3], row[4], row[5], row[6]) for row in summary_rows[1:]],
        "goal_sheet": [(row[0], row[4], row[5]) for row in goals.rows],
        "agencies": [(row[1], row[4], row[5], row[6], row[7], row[8]) for row in agency_rows],
        "heatmap": [
            ["blank" if value is None else None if value == "—" else value for value in row[1:]] for row in heatmap.rows
        ],
    }


def test_the_workbook_figures_from_the_summary_equal_the_milestones_own_under_every_filter():
    import datetime
    import random

    from agencies.models import Agency
    from persian.jalali import Quarter
    from plans.models import Status
    from spreadsheets.export import ExportFilters

    rng = random.Random(15)
    today = datetime.date(2026, 11, 30)  # 9 Azar 1405: the third quarter began on 1 Mehr (23 September)
    counties = [factories.CountyFactory(name=f"شهرستان {n}") for n in range(2)]
    agencies = [
        factories.AgencyFactory(county=counties[n % 2], category=Agency.Category.values[n % 3]) for n in range(5)
    ]
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, year=1405)
    goals = [factories.GoalFactory(plan=plan, number=n + 1, weight=rng.randint(1, 3)) for n in range(4)]
    due_dates = [
        datetime.date(2026, 5, 1),  # Q1, ended
        datetime.date(2026, 8, 15),  # Q2, ended
        datetime.date(2026, 10, 20),  # Q3, earlier this quarter: overdue now if open
        datetime.date(2026, 11, 30),  # today: not overdue
        datetime.date(2026, 12, 18),  # Q3, later
        datetime.date(2027, 2, 10),  # Q4
    ]
    for _ in range(120):
        status = rng.choice(Status.values)
        factories.MilestoneFactory(
            goal=rng.choice(goals),
            agency=rng.choice(agencies),
            start_date=datetime.date(2026, 3, 21),
            due_date=rng.choice(due_dates),
            weight=rng.randint(1, 4),
            status=status,
            progress=100 if status == Status.DONE else rng.randint(0, 99),
        )
    filter_sets = [
        ExportFilters(),
        ExportFilters(county=counties[0]),
        ExportFilters(category=agencies[1].category),
        ExportFilters(quarter=Quarter(1405, 3)),
        ExportFilters(quarter=Quarter(1405, 1)),
        ExportFilters(agency=agencies[2]),
        ExportFilters(county=counties[1], quarter=Quarter(1405, 2)),
    ]
    for filters in filter_sets:
        expected = reference_sheets(plan, filters, today)
        found = workbook_figures(plan, filters, today)
        assert found["overall"] == expected["overall"], filters
        assert found["goals"] == expected["goals"], filters
        assert found["goal_sheet"] == [
            (number, count, progress) for number, count, _d, _o, progress, _c in expected["goals"]
        ]
        assert found["agencies"] == expected["agencies"], filters
        assert found["heatmap"] == expected["heatmap"], filters
    # The filters did filter: the figures are not all the same.
    assert len({str(workbook_figures(plan, f, today)["goals"]) for f in filter_sets}) == len(filter_sets)
