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
