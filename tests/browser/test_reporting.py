"""The officer's journey in a real browser (Persian UI): report with a PDF, review, 404s, stale edits."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import Evidence, Milestone, ProgressUpdate, StrategicPlan
from tests import factories
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def milestone(db):
    agency = factories.AgencyFactory(code="education", name="آموزش و پرورش")
    factories.officer(agency, username="officer-education", first_name="مسئول روابط عمومی")
    other = factories.AgencyFactory(code="gas", name="شرکت گاز")
    factories.officer(other, username="officer-gas")
    factories.director(username="director", first_name="مدیرکل")
    plan = factories.StrategicPlanFactory(title="برنامه راهبردی روابط عمومی ۱۴۰۵", status=StrategicPlan.Status.ACTIVE)
    goal = factories.GoalFactory(plan=plan, number=5, title="نشست‌های خبری فصلی مدیران با رسانه‌ها")
    today = timezone.localdate()
    factories.MilestoneFactory(
        goal=goal,
        agency=agency,
        title="برگزاری نشست خبری پایان سال",
        start_date=today,
        due_date=today + datetime.timedelta(days=90),
    )
    return factories.MilestoneFactory(
        goal=goal,
        agency=agency,
        title="برگزاری نشست خبری فصل پاییز",
        start_date=today - datetime.timedelta(days=60),
        due_date=today + datetime.timedelta(days=10),
        progress=40,
    )


def new_page(browser, live_server, username):
    context = browser.new_context(locale="fa-IR", viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-1405")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_officer_reports_with_a_pdf_director_accepts_other_agency_gets_404(
    page, login, screenshot, console_errors, browser, live_server, milestone
):
    login("officer-education")
    page.goto("/reporting/my-agency/")
    expect(page.get_by_role("heading", name="آموزش و پرورش")).to_be_visible()
    row = page.locator(f"#milestone-{milestone.pk}")
    expect(row).to_contain_text("۴۰٪")
    expect(row).to_contain_text("هنوز گزارشی نیست")
    screenshot("reporting-1-my-agency")

    page.evaluate("window.__notReloaded = true")
    row.get_by_role("link", name="گزارش پیشرفت").click()
    form = row.locator("form.report-form")
    expect(form).to_be_visible()
    form.locator("select[name=status]").select_option("in_progress")
    form.locator("input[name=progress]").fill("۷۵")
    form.locator("textarea[name=note]").fill("نشست خبری با حضور خبرنگاران استان برگزار شد.")
    form.locator("input[name=files]").set_input_files(
        files=[{"name": "صورتجلسه نشست خبری.pdf", "mimeType": "application/pdf", "buffer": factories.tiny_pdf()}]
    )
    screenshot("reporting-2-report-form-in-row")
    form.get_by_role("button", name="ارسال گزارش").click()

    row = page.locator(f"#milestone-{milestone.pk}")
    expect(row.locator(".just-reported")).to_be_visible()
    expect(row).to_contain_text("۷۵٪")
    expect(row.locator(".review-state")).to_have_text("در انتظار بررسی")
    assert page.evaluate("window.__notReloaded") is True  # updated in place, no page load
    screenshot("reporting-3-row-updated")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    screenshot("reporting-3b-my-agency-on-a-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    update = ProgressUpdate.objects.get()
    evidence = Evidence.objects.get()
    assert (update.progress, evidence.original_name) == (75, "صورتجلسه نشست خبری.pdf")
    assert console_errors == []

    director = new_page(browser, live_server, "director")
    expect(director.locator(".nav-awaiting")).to_have_text("۱")
    director.goto("/reporting/review/")
    item = director.locator(f"#review-{update.pk}")
    expect(item).to_contain_text("برگزاری نشست خبری فصل پاییز")
    expect(item.locator("a.evidence-file")).to_have_text("صورتجلسه نشست خبری.pdf")
    with director.expect_download() as download_info:
        item.locator("a.evidence-file").click()
    assert download_info.value.suggested_filename == "صورتجلسه نشست خبری.pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    director.screenshot(path=str(SCREENSHOTS / "reporting-3c-review-queue.png"), full_page=True)
    item.get_by_role("button", name="تأیید").click()
    expect(director.locator(f"#review-{update.pk} .decision")).to_have_text("گزارش تأیید شد.")
    director.context.close()

    page.goto("/reporting/my-agency/")
    expect(page.locator(f"#milestone-{milestone.pk} .review-state")).to_have_text("تأیید شده")
    page.goto(f"/reporting/milestones/{milestone.pk}/")
    expect(page.locator(".review-stamp")).to_contain_text("مدیرکل")
    expect(page.locator("table.history")).to_contain_text("۷۵")
    screenshot("reporting-4-milestone-page-accepted")
    assert console_errors == []

    stranger = new_page(browser, live_server, "officer-gas")
    assert stranger.goto(f"/reporting/milestones/{milestone.pk}/").status == 404
    assert stranger.goto(f"/reporting/milestones/{milestone.pk}/report/").status == 404
    assert stranger.request.get(f"{live_server.url}/reporting/evidence/{evidence.pk}/").status == 404
    assert stranger.goto(f"/reporting/my-agency/?agency={milestone.agency.code}").status == 404
    stranger.context.close()


def test_two_browsers_edit_the_same_milestone_the_second_is_refused(
    page, login, screenshot, console_errors, browser, live_server, milestone
):
    login("officer-education")
    director = new_page(browser, live_server, "director")
    url = f"/reporting/milestones/{milestone.pk}/report/"
    page.goto(url)
    director.goto(url)

    director.locator("input[name=progress]").fill("60")
    director.locator("textarea[name=note]").fill("گزارش دبیرخانه: نشست برگزار شد.")
    director.get_by_role("button", name="ارسال گزارش").click()
    expect(director.locator(".alert-success")).to_contain_text("گزارش شما ثبت شد")
    director.context.close()

    page.locator("input[name=progress]").fill("20")
    page.locator("textarea[name=note]").fill("گزارش دیرتر")
    page.get_by_role("button", name="ارسال گزارش").click()
    stale = page.locator(".stale-changes")
    expect(stale).to_be_visible()
    expect(stale).to_contain_text("پیشرفت (٪)")
    expect(stale.locator(".old-value")).to_have_text("۴۰")
    expect(stale.locator(".new-value")).to_have_text("۶۰")
    expect(page.locator("form.report-form")).to_contain_text("گزارش شما ثبت نشد و چیزی بازنویسی نشد")
    screenshot("reporting-5-stale-edit-refused")

    milestone = Milestone.objects.get(pk=milestone.pk)
    assert milestone.progress == 60
    assert list(ProgressUpdate.objects.values_list("note", flat=True)) == ["گزارش دبیرخانه: نشست برگزار شد."]
    assert console_errors == []
