"""The quarterly evaluation in a real browser: open, score by two evaluators, close, read the ranking."""

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def council(db):
    for name, weight in (("برنامه‌محوری", 60), ("اطلاع‌رسانی و انعکاس اخبار", 40)):
        criterion = factories.CriterionFactory(name=name, weight=weight)
        factories.SubCriterionFactory(criterion=criterion, name=f"{name} · ۱")
        factories.SubCriterionFactory(criterion=criterion, name=f"{name} · ۲")
    return {
        "director": factories.director(username="dg"),
        "evaluators": [factories.evaluator(username="eval-1"), factories.evaluator(username="eval-2")],
        "agencies": [
            factories.AgencyFactory(code="health", name="دانشگاه علوم پزشکی یاسوج"),
            factories.AgencyFactory(code="education", name="آموزش و پرورش"),
            factories.AgencyFactory(code="gas", name="شرکت گاز"),
        ],
    }


def log_out(page):
    page.click("form[action='/accounts/logout/'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def score(page, agency_code, value):
    page.click(f"#my-sheets a[data-agency='{agency_code}']")
    selects = page.locator("#score-sheet select")
    for index in range(selects.count()):
        selects.nth(index).select_option(value)
    page.fill("textarea[name=public_comment]", "نظر عمومی شورا")
    page.click("#score-sheet button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_director_opens_two_evaluators_score_director_closes_ranking_shows(
    page, login, screenshot, console_errors, council
):
    login("dg")
    page.goto("/evaluations/")
    page.fill("input[name=deadline]", "۱۴۰۵/۰۹/۳۰")
    page.select_option("select[name=quarter]", "3")
    page.fill("input[name=year]", "۱۴۰۵")
    page.press("input[name=year]", "Enter")  # the date picker's calendar still covers the button
    page.wait_for_load_state("networkidle")
    assert "پاییز ۱۴۰۵" in page.inner_text("h1")
    round_url = page.url
    log_out(page)

    # Health scores best, then education, then gas.
    for username, values in (
        ("eval-1", {"health": "5", "education": "4", "gas": "2"}),
        ("eval-2", {"health": "4", "education": "4", "gas": "1"}),
    ):
        login(username)
        page.goto(round_url)
        for code, value in values.items():
            score(page, code, value)
        assert "امتیازهای شما برای شرکت گاز ثبت شد" in page.inner_text(".alert-success")
        log_out(page)

    login("dg")
    page.goto(round_url)
    assert "۳ / ۳" in page.inner_text("#scoring-progress")
    page.click("#close-round")
    page.wait_for_load_state("networkidle")
    page.goto(round_url + "results/")
    names = page.locator("#ranking tbody tr td:nth-child(2)").all_inner_texts()
    assert names == ["دانشگاه علوم پزشکی یاسوج", "آموزش و پرورش", "شرکت گاز"]
    assert page.locator("#ranking tbody tr td.rank").all_inner_texts() == ["۱", "۲", "۳"]
    screenshot("evaluations-ranking")
    assert console_errors == []
