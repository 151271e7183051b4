"""The director-general sets up next year's plan in the app, in Persian, in a real browser; the officer sees the change.

Steps (a screenshot each, in test-results/screenshots/plan-editor-*.png): copy 1405 to 1406, add a
goal, assign one milestone to every agency of a category, change a due date with a reason and read
it in the history, cancel a milestone with a reason, publish; then the officer of the affected
agency sees the new due date and the reason on their agency page.
"""

import jdatetime
import pytest
from playwright.sync_api import expect

from agencies.models import Agency
from plans.models import Milestone, Status, StrategicPlan
from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_reporting import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jalali(year, month, day):
    return jdatetime.date(year, month, day).togregorian()


@pytest.fixture
def plan_1405(db):
    education = factories.AgencyFactory(code="education", name="آموزش و پرورش", category=Agency.Category.CULTURAL)
    library = factories.AgencyFactory(code="library", name="کتابخانه‌های عمومی", category=Agency.Category.CULTURAL)
    irib = factories.AgencyFactory(code="irib", name="صدا و سیمای مرکز یاسوج", category=Agency.Category.CULTURAL)
    gas = factories.AgencyFactory(code="gas", name="شرکت گاز", category=Agency.Category.INFRASTRUCTURE)
    factories.officer(education, username="officer-education")
    factories.director(username="director", first_name="مدیرکل")
    plan = factories.StrategicPlanFactory(
        title="برنامه راهبردی روابط عمومی ۱۴۰۵", year=1405, status=StrategicPlan.Status.ACTIVE
    )
    goal = factories.GoalFactory(plan=plan, number=1, title="نشست‌های خبری فصلی مدیران با رسانه‌ها", weight=2)
    factories.GoalFactory(plan=plan, number=2, title="به‌روزرسانی پایگاه‌های اطلاع‌رسانی", weight=1)
    for agency, status, progress in ((education, Status.IN_PROGRESS, 40), (gas, Status.NOT_STARTED, 0)):
        factories.MilestoneFactory(
            goal=goal,
            agency=agency,
            title="نشست خبری فصل زمستان",
            status=status,
            progress=progress,
            start_date=jalali(1405, 10, 1),
            due_date=jalali(1405, 12, 15),
        )
    factories.MilestoneFactory(goal=goal, agency=library, title="نشست خبری بهار", status=Status.DONE, progress=100)
    return plan, {"education": education, "library": library, "irib": irib, "gas": gas}


def replace_date(box, text):
    """What a person does to change a date: select what the box holds and type over it (the picker
    rewrites the box when it opens, so Playwright's fill() would add to the old date)."""
    box.click()
    box.press("Control+A")
    box.press_sequentially(text)


def test_director_sets_up_1406_in_persian_and_the_officer_sees_the_new_due_date(
    page, login, screenshot, console_errors, browser, live_server, plan_1405
):
    plan, agencies = plan_1405
    login("director")
    page.get_by_role("link", name="ویرایش برنامه").first.click()
    expect(page.get_by_role("heading", name="ویرایش برنامه")).to_be_visible()
    page.get_by_role("link", name="برنامه راهبردی روابط عمومی ۱۴۰۵").click()

    # 1. Copy 1405 to 1406, carrying the unfinished milestones over.
    page.get_by_role("link", name="رونوشت برای ۱۴۰۶").click()
    expect(page.locator("input[name=title]")).to_have_value("برنامه راهبردی روابط عمومی ۱۴۰۶")
    expect(page.locator("input[name=carry_over]")).to_be_checked()
    screenshot("plan-editor-1-copy-form")
    page.get_by_role("button", name="رونوشت").click()
    expect(page.locator(".alert-success")).to_contain_text("برای سال ۱۴۰۶ رونوشت شد")
    expect(page.locator(".plan-status").first).to_have_text("پیش‌نویس")
    copy = StrategicPlan.objects.get(year=1406)
    assert Milestone.objects.in_plan(copy).count() == 2  # the done one stayed behind
    screenshot("plan-editor-1b-copied-draft")

    # 2. Add a goal.
    page.get_by_role("link", name="افزودن هدف").click()
    page.locator("input[name=title]").fill("ارتباطات و اطلاع‌رسانی در بحران")
    page.locator("input[name=weight]").fill("۲")
    page.locator("select[name=owner]").select_option(label="صدا و سیمای مرکز یاسوج")
    screenshot("plan-editor-2-add-goal")
    page.get_by_role("button", name="ذخیره").click()
    expect(page.locator(".alert-success")).to_contain_text("هدف افزوده شد")
    expect(page.get_by_role("heading", level=1)).to_contain_text("هدف ۳: ارتباطات و اطلاع‌رسانی در بحران")
    new_goal = copy.goals.get(number=3)

    # 2b. Move the new goal up, in place (htmx): it becomes goal 2.
    page.get_by_role("link", name="برنامه راهبردی روابط عمومی ۱۴۰۶").first.click()
    page.evaluate("window.__notReloaded = true")
    page.locator(f"tr[data-goal='{new_goal.pk}'] button.move-up").click()
    expect(page.locator(f"tr[data-goal='{new_goal.pk}'] td").first).to_have_text("۲")
    assert page.evaluate("window.__notReloaded") is True
    assert copy.goals.get(pk=new_goal.pk).number == 2
    screenshot("plan-editor-2b-goal-moved-up")
    page.locator(f"tr[data-goal='{new_goal.pk}'] a").first.click()

    # 3. Assign one milestone to every agency of one category.
    page.get_by_role("link", name="واگذاری گام اجرایی").first.click()
    page.locator("input[name=title]").fill("تشکیل نشست فصلی اتاق فکر")
    page.locator("input[name=start_date]").fill("۱۴۰۶/۰۱/۱۵")
    page.get_by_role("heading", level=1).click()  # closes the date picker
    page.locator("input[name=due_date]").fill("۱۴۰۶/۰۳/۳۱")
    page.get_by_role("heading", level=1).click()  # closes the date picker
    page.locator("input[name=weight]").fill("۲")
    page.get_by_label("همهٔ دستگاه‌های فعال یک دسته").check()
    page.locator("select[name=category]").select_option(label="فرهنگی، آموزشی و رسانه‌ای")
    screenshot("plan-editor-3-assign-form")
    page.get_by_role("button", name="واگذاری").click()
    expect(page.locator(".alert-success")).to_contain_text("گام‌های ساخته‌شده: ۳")
    table = page.locator("table.editor-milestones")
    for name in ("آموزش و پرورش", "کتابخانه‌های عمومی", "صدا و سیمای مرکز یاسوج"):
        expect(table).to_contain_text(name)
    expect(table).not_to_contain_text("شرکت گاز")
    screenshot("plan-editor-3b-assigned")

    # 4. Change a carried-over milestone's due date, with a reason; read it in the history.
    carried = Milestone.objects.in_plan(copy).get(agency=agencies["education"], title="نشست خبری فصل زمستان")
    assert carried.due_date == jalali(1406, 12, 15)
    page.goto(f"/plans/{copy.pk}/edit/milestones/{carried.pk}/")
    replace_date(page.locator("input[name=due_date]"), "۱۴۰۷/۰۱/۲۰")
    page.get_by_role("heading", level=1).click()  # closes the date picker
    page.get_by_role("button", name="ذخیره").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("نیاز به دلیل دارد")
    assert Milestone.objects.get(pk=carried.pk).due_date == jalali(1406, 12, 15)
    replace_date(page.locator("input[name=due_date]"), "۱۴۰۷/۰۱/۲۰")
    page.get_by_role("heading", level=1).click()  # closes the date picker
    page.locator("input[name=reason]").fill("هم‌زمانی با تعطیلات نوروز")
    screenshot("plan-editor-4-due-date-with-reason")
    page.get_by_role("button", name="ذخیره").click()
    expect(page.locator(".alert-success")).to_contain_text("گام اجرایی ذخیره شد")
    history = page.locator("table.history")
    expect(history).to_contain_text("۱۴۰۷/۰۱/۲۰")
    expect(history.locator(".change-reason")).to_contain_text("هم‌زمانی با تعطیلات نوروز")
    screenshot("plan-editor-4b-history-with-reason")

    # 5. Cancel a milestone, with a reason.
    dropped = Milestone.objects.in_plan(copy).get(agency=agencies["gas"])
    page.goto(f"/plans/{copy.pk}/edit/milestones/{dropped.pk}/")
    page.get_by_role("link", name="لغو گام اجرایی").click()
    page.get_by_role("button", name="لغو گام اجرایی").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.locator("input[name=reason]").fill("با تصمیم شورا در برنامه ۱۴۰۶ حذف شد")
    screenshot("plan-editor-5-cancel")
    page.get_by_role("button", name="لغو گام اجرایی").click()
    expect(page.locator(".alert-success")).to_contain_text("گام اجرایی لغو شد")
    expect(page.locator("table.history .change-reason")).to_contain_text("با تصمیم شورا در برنامه ۱۴۰۶ حذف شد")
    assert Milestone.objects.get(pk=dropped.pk).status == Status.CANCELLED
    screenshot("plan-editor-5b-cancelled")

    # 6. Publish: 1406 becomes the active plan, 1405 is archived.
    page.goto(f"/plans/{copy.pk}/edit/")
    page.get_by_role("button", name="انتشار").click()
    expect(page.locator(".alert-success")).to_contain_text("برنامه منتشر شد")
    expect(page.locator(".plan-status").first).to_have_text("فعال")
    plan.refresh_from_db()
    assert plan.status == StrategicPlan.Status.ARCHIVED
    screenshot("plan-editor-6-published")
    assert console_errors == []

    # 7. The officer of the affected agency sees the new due date and the reason on their page.
    officer = new_page(browser, live_server, "officer-education")
    officer.goto("/reporting/my-agency/")
    row = officer.locator(f"#milestone-{carried.pk}")
    expect(row).to_contain_text("۱۴۰۷/۰۱/۲۰")
    expect(row.locator(".plan-change")).to_contain_text("هم‌زمانی با تعطیلات نوروز")
    expect(row.locator(".plan-change")).to_contain_text("مهلت از ۱۴۰۶/۱۲/۱۵ به ۱۴۰۷/۰۱/۲۰ تغییر کرد.")
    expect(officer.get_by_role("link", name="ویرایش برنامه")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    officer.screenshot(path=str(SCREENSHOTS / "plan-editor-7-officer-sees-the-change.png"), full_page=True)
    assert officer.goto(f"/plans/{copy.pk}/edit/milestones/{carried.pk}/").status == 403
    officer.context.close()


def test_two_browsers_edit_the_same_milestone_the_second_save_is_refused_naming_the_due_date(
    page, login, screenshot, console_errors, browser, live_server, plan_1405
):
    plan, agencies = plan_1405
    factories.director(username="secretariat", first_name="دبیرخانه")
    milestone = Milestone.objects.in_plan(plan).get(agency=agencies["education"])
    url = f"/plans/{plan.pk}/edit/milestones/{milestone.pk}/"
    login("director")
    page.goto(url)
    other = new_page(browser, live_server, "secretariat")
    other.goto(url)

    replace_date(other.locator("input[name=due_date]"), "۱۴۰۵/۱۲/۲۵")
    other.locator("input[name=reason]").fill("درخواست دستگاه")
    other.get_by_role("button", name="ذخیره").click()
    expect(other.locator(".alert-success")).to_contain_text("گام اجرایی ذخیره شد")
    other.context.close()

    page.locator("input[name=weight]").fill("۳")
    page.locator("input[name=reason]").fill("اهمیت بیشتر")
    page.get_by_role("button", name="ذخیره").click()
    stale = page.locator(".stale-changes")
    expect(stale).to_contain_text("کس دیگری این را تغییر داد")
    expect(stale).to_contain_text("موعد انجام")
    expect(stale).to_contain_text("۱۴۰۵/۱۲/۱۵")
    expect(stale).to_contain_text("۱۴۰۵/۱۲/۲۵")
    expect(stale).to_contain_text("دبیرخانه")
    expect(page.locator("input[name=due_date]")).to_have_value("۱۴۰۵/۱۲/۲۵")  # the current values, to edit again
    screenshot("plan-editor-8-second-save-refused")
    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.weight) == (jalali(1405, 12, 25), 1)
    assert console_errors == []
