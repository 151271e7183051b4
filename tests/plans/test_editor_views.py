"""The plan editor's pages, in Persian, as the director-general and as the roles that may not edit."""

import jdatetime
import pytest
from django.urls import reverse

from agencies.models import Agency
from plans.models import Goal, Milestone, Status, StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db


def jalali(year, month, day):
    return jdatetime.date(year, month, day).togregorian()


@pytest.fixture
def plan():
    return factories.StrategicPlanFactory(title="برنامه راهبردی روابط عمومی ۱۴۰۵", year=1405, status="active")


@pytest.fixture
def goal(plan):
    return factories.GoalFactory(plan=plan, number=1, title="نشست‌های خبری فصلی")


@pytest.fixture
def milestone(goal, agency):
    return factories.MilestoneFactory(
        goal=goal,
        agency=agency,
        title="نشست خبری پاییز",
        start_date=jalali(1405, 7, 1),
        due_date=jalali(1405, 9, 15),
    )


def text_of(response):
    return response.content.decode()


def test_director_changes_a_due_date_with_a_reason_and_the_officer_sees_it(
    client, milestone, director_user, officer_user
):
    client.force_login(director_user)
    url = reverse("plans:milestone_edit", args=[milestone.goal.plan_id, milestone.pk])
    page = text_of(client.get(url))
    assert "۱۴۰۵/۰۹/۱۵" in page
    assert 'name="version"' in page
    form = {
        "version": milestone.version,
        "title": milestone.title,
        "agency": str(milestone.agency_id),
        "start_date": "۱۴۰۵/۰۷/۰۱",
        "due_date": "۱۴۰۵/۱۰/۲۰",
        "weight": "۱",
        "target": "",
        "description": "",
        "reason": "",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "تغییر موعد انجام، وزن یا دستگاه نیاز به دلیل دارد" in text_of(refused)
    assert Milestone.objects.get(pk=milestone.pk).due_date == jalali(1405, 9, 15)

    response = client.post(url, {**form, "reason": "هم‌زمانی با هفته روابط عمومی"})
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).due_date == jalali(1405, 10, 20)
    history = text_of(client.get(milestone.get_absolute_url()))
    assert "هم‌زمانی با هفته روابط عمومی" in history
    assert "۱۴۰۵/۱۰/۲۰" in history

    client.force_login(officer_user)
    agency_page = text_of(client.get(reverse("reporting:my_agency")))
    assert "مهلت از ۱۴۰۵/۰۹/۱۵ به ۱۴۰۵/۱۰/۲۰ تغییر کرد." in agency_page
    assert "هم‌زمانی با هفته روابط عمومی" in agency_page
    assert "۱۴۰۵/۱۰/۲۰" in agency_page


def test_a_stale_milestone_save_is_refused_and_names_the_due_date(client, milestone, director_user):
    client.force_login(director_user)
    url = reverse("plans:milestone_edit", args=[milestone.goal.plan_id, milestone.pk])
    seen = milestone.version
    form = {
        "version": seen,
        "title": milestone.title,
        "agency": milestone.agency_id,
        "start_date": "1405/07/01",
        "due_date": "1405/10/01",
        "weight": "1",
        "reason": "اولی",
    }
    assert client.post(url, form).status_code == 302
    second = client.post(url, {**form, "due_date": "1405/09/15", "weight": "3", "reason": "دومی"})
    page = text_of(second)
    assert second.status_code == 200
    assert "stale-changes" in page
    assert "موعد انجام" in page
    assert "۱۴۰۵/۱۰/۰۱" in page
    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.weight) == (jalali(1405, 10, 1), 1)


def test_a_bad_jalali_date_gets_a_persian_message_and_changes_nothing(client, milestone, director_user):
    client.force_login(director_user)
    url = reverse("plans:milestone_edit", args=[milestone.goal.plan_id, milestone.pk])
    response = client.post(
        url,
        {
            "version": milestone.version,
            "title": milestone.title,
            "agency": milestone.agency_id,
            "start_date": "1405/07/01",
            "due_date": "1405/07/31",
            "weight": "-1",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert "is-invalid" in text_of(response)
    assert Milestone.objects.get(pk=milestone.pk).version == milestone.version


def test_assigning_to_a_category_creates_one_each_and_reports_the_skipped(client, goal, director_user):
    cultural = [factories.AgencyFactory(category=Agency.Category.CULTURAL) for _ in range(3)]
    factories.AgencyFactory(category=Agency.Category.CULTURAL, is_active=False)
    other = factories.AgencyFactory(category=Agency.Category.SOCIAL)
    factories.MilestoneFactory(goal=goal, agency=cultural[0], title="نشست اتاق فکر")
    client.force_login(director_user)
    url = reverse("plans:assign", args=[goal.plan_id, goal.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "نشست اتاق فکر",
            "start_date": "۱۴۰۵/۰۷/۰۱",
            "due_date": "۱۴۰۵/۰۹/۳۰",
            "weight": "۲",
            "choose": "category",
            "category": "cultural",
        },
        follow=True,
    )
    page = text_of(response)
    assert "گام‌های ساخته‌شده: ۲." in page
    assert f"کنار گذاشته شدند: {cultural[0].name}" in page
    assert sorted(Milestone.objects.filter(goal=goal).values_list("agency_id", flat=True)) == sorted(
        agency.pk for agency in cultural
    )
    assert not Milestone.objects.filter(agency=other).exists()


def test_assigning_by_hand_without_agencies_is_refused(client, goal, director_user, agency):
    client.force_login(director_user)
    response = client.post(
        reverse("plans:assign", args=[goal.plan_id, goal.pk]),
        {"title": "x", "start_date": "1405/07/01", "due_date": "1405/08/01", "weight": "1", "choose": "hand"},
    )
    assert response.status_code == 200
    assert "دستگاه‌ها را انتخاب کنید." in text_of(response)
    assert not Milestone.objects.exists()


def test_cancelling_needs_a_reason_and_shows_it_in_history(client, milestone, director_user):
    client.force_login(director_user)
    url = reverse("plans:milestone_cancel", args=[milestone.goal.plan_id, milestone.pk])
    assert client.post(url, {"version": milestone.version, "reason": ""}).status_code == 200
    assert Milestone.objects.get(pk=milestone.pk).status != Status.CANCELLED
    assert client.post(url, {"version": milestone.version, "reason": "با تصمیم شورا"}).status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).status == Status.CANCELLED
    page = text_of(client.get(milestone.get_absolute_url()))
    assert "با تصمیم شورا" in page
    assert "لغو شده" in page


def test_director_creates_a_plan_adds_goals_reorders_copies_and_publishes(client, plan, goal, director_user, agency):
    client.force_login(director_user)
    factories.MilestoneFactory(goal=goal, agency=agency, status=Status.IN_PROGRESS, progress=30)
    response = client.post(
        reverse("plans:goal_create", args=[plan.pk]),
        {"title": "ارتباطات در بحران", "weight": "۳", "owner": str(agency.pk), "description": ""},
    )
    assert response.status_code == 302
    added = Goal.objects.get(plan=plan, title="ارتباطات در بحران")
    assert (added.number, added.weight, added.owner) == (2, 3, agency)
    edit = reverse("plans:edit", args=[plan.pk])
    order = f"{goal.pk},{added.pk}"
    response = client.post(
        reverse("plans:goals_reorder", args=[plan.pk]),
        {"order": order, "goal": added.pk, "direction": "up"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="editor-goals"' in text_of(response)
    assert Goal.objects.get(pk=added.pk).number == 1
    stale = client.post(
        reverse("plans:goals_reorder", args=[plan.pk]),
        {"order": order, "goal": added.pk, "direction": "up"},
        headers={"HX-Request": "true"},
    )
    assert "reorder-error" in text_of(stale)
    assert Goal.objects.get(pk=added.pk).number == 1

    response = client.post(reverse("plans:copy", args=[plan.pk]), {"title": "", "carry_over": "on"})
    copy = StrategicPlan.objects.get(year=1406)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:edit", args=[copy.pk])
    assert (copy.title, copy.goals.count(), Milestone.objects.in_plan(copy).count()) == (
        "برنامه راهبردی روابط عمومی ۱۴۰۶",
        2,
        1,
    )
    page = text_of(client.get(reverse("plans:edit", args=[copy.pk])))
    assert "پیش‌نویس" in page
    assert "publish-form" in page
    assert 'name="year" value="۱۴۰۶"' in page  # numbers shown in Persian digits
    client.post(reverse("plans:publish", args=[copy.pk]), {"version": copy.version})
    copy.refresh_from_db()
    plan.refresh_from_db()
    assert (copy.status, plan.status) == ("active", "archived")
    assert client.get(edit).status_code == 200


def test_a_stale_plan_save_names_the_title(client, plan, director_user):
    client.force_login(director_user)
    url = reverse("plans:edit", args=[plan.pk])
    form = {"version": plan.version, "title": "عنوان تازه", "year": "۱۴۰۵", "description": ""}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "title": "عنوان دیگر"})
    assert "stale-changes" in text_of(response)
    assert "عنوان تازه" in text_of(response)
    assert StrategicPlan.objects.get(pk=plan.pk).title == "عنوان تازه"


@pytest.mark.parametrize("role", ["officer_user", "viewer_user", "evaluator_user"])
def test_readers_get_no_edit_links(client, milestone, role, request):
    client.force_login(request.getfixturevalue(role))
    plan = milestone.goal.plan
    for url in (
        reverse("plans:goal", args=[plan.pk, 1]),
        reverse("plans:agency", args=[plan.pk, milestone.agency.code]),
        milestone.get_absolute_url(),
        reverse("home"),
    ):
        page = text_of(client.get(url))
        assert "/edit/" not in page, url


def test_the_director_gets_edit_links_on_goal_agency_and_milestone_pages(client, milestone, director_user):
    client.force_login(director_user)
    plan = milestone.goal.plan
    edit_milestone = reverse("plans:milestone_edit", args=[plan.pk, milestone.pk])
    assert reverse("plans:goal_edit", args=[plan.pk, milestone.goal.pk]) in text_of(
        client.get(reverse("plans:goal", args=[plan.pk, 1]))
    )
    assert edit_milestone in text_of(client.get(reverse("plans:goal", args=[plan.pk, 1])))
    assert edit_milestone in text_of(client.get(reverse("plans:agency", args=[plan.pk, milestone.agency.code])))
    assert edit_milestone in text_of(client.get(milestone.get_absolute_url()))
    assert reverse("plans:editor") in text_of(client.get(reverse("home")))


# --- query counts: the editor pages read the same number of queries at two data sizes ---------


def _world(size):
    plan = factories.StrategicPlanFactory(year=1405, status="active")
    agencies = [factories.AgencyFactory() for _ in range(size)]
    goals = [factories.GoalFactory(plan=plan, number=n + 1, owner=agencies[0]) for n in range(size)]
    for goal in goals:
        for agency in agencies:
            factories.MilestoneFactory(goal=goal, agency=agency)
    return plan, goals[0], Milestone.objects.filter(goal=goals[0]).first()


EDITOR_PAGES = {
    "plans:editor": lambda plan, goal, milestone: [],
    "plans:plan_create": lambda plan, goal, milestone: [],
    "plans:edit": lambda plan, goal, milestone: [plan.pk],
    "plans:copy": lambda plan, goal, milestone: [plan.pk],
    "plans:goal_create": lambda plan, goal, milestone: [plan.pk],
    "plans:goal_edit": lambda plan, goal, milestone: [plan.pk, goal.pk],
    "plans:assign": lambda plan, goal, milestone: [plan.pk, goal.pk],
    "plans:milestone_edit": lambda plan, goal, milestone: [plan.pk, milestone.pk],
    "plans:milestone_cancel": lambda plan, goal, milestone: [plan.pk, milestone.pk],
}
# Every page: session, user, membership, the navbar's bell; then what the comment says.
EDITOR_QUERIES = {
    "plans:editor": 6,  # the plans with their goal counts
    "plans:plan_create": 5,
    "plans:edit": 7,  # the plan, its goals with lead agency and milestone counts
    "plans:copy": 6,
    "plans:goal_create": 7,  # + the lead-agency choices
    "plans:goal_edit": 10,  # + the goal, its milestones (a page of them, with their agencies) and the count
    "plans:assign": 9,  # + the goal, the counties and the active agencies to tick
    "plans:milestone_edit": 8,  # + the milestone with goal and agency, the agency choices
    "plans:milestone_cancel": 7,
}


@pytest.mark.parametrize("size", [3, 12])
@pytest.mark.parametrize("name", sorted(EDITOR_PAGES))
def test_editor_pages_query_counts_do_not_grow_with_the_plan(
    client, director_user, django_assert_num_queries, size, name
):
    plan, goal, milestone = _world(size)
    client.force_login(director_user)
    url = reverse(name, args=EDITOR_PAGES[name](plan, goal, milestone))
    with django_assert_num_queries(EDITOR_QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200


def test_the_director_saving_after_an_officers_report_is_told_the_progress_moved(
    client, milestone, director_user, officer_user
):
    from plans.services import report_progress

    client.force_login(director_user)
    url = reverse("plans:milestone_edit", args=[milestone.goal.plan_id, milestone.pk])
    opened_version = milestone.version
    report_progress(
        milestone=milestone,
        author=officer_user,
        status=Status.IN_PROGRESS,
        progress=99,
        expected_version=opened_version,
    )
    response = client.post(
        url,
        {
            "version": opened_version,
            "title": milestone.title,
            "agency": milestone.agency_id,
            "start_date": "1405/07/01",
            "due_date": "1405/09/15",
            "weight": "1",
            "target": "۵ نشست",
        },
    )
    page = text_of(response)
    assert "پیشرفت (٪)" in page
    assert "۹۹" in page
    milestone.refresh_from_db()
    assert (milestone.progress, milestone.target) == (99, "")
