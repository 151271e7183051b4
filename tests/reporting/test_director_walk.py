"""What the director-general noticed on their walk (issue 16): the queue's count and what an item says."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(db, agency):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    return factories.MilestoneFactory(
        goal=factories.GoalFactory(plan=plan), agency=agency, due_date=datetime.date(2026, 12, 21)
    )


def test_a_queue_item_shows_the_previous_progress_and_the_due_date(client, director_user, officer_user, milestone):
    factories.ProgressUpdateFactory(
        milestone=milestone, author=officer_user, progress=20, created_at=timezone.now() - datetime.timedelta(days=9)
    )
    factories.ProgressUpdateFactory(milestone=milestone, author=officer_user, progress=90)
    client.force_login(director_user)
    body = client.get(reverse("reporting:review_queue")).content.decode()
    changes = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r'<span class="progress-change">(.*?)</span>\s*<span class="due-date">', body, re.S)
    ]
    assert changes == ["۲۰٪ (گزارش نخست)", "۲۰٪ ← ۹۰٪"]
    assert "مهلت ۱۴۰۵/۰۹/۳۰" in body


def test_a_decision_updates_the_navbar_count_without_a_reload(client, director_user, officer_user, milestone):
    first = factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    client.force_login(director_user)
    assert (
        'nav-awaiting" title="گزارش‌های در انتظار بررسی">۲<'
        in client.get(reverse("reporting:review_queue")).content.decode()
    )
    response = client.post(
        reverse("reporting:review", args=[first.pk]), {"decision": "accept"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    # htmx swaps the count out of band: the navbar now says 1.
    assert '<span id="nav-awaiting" hx-swap-oob="true">' in body
    assert re.search(r'id="nav-awaiting" hx-swap-oob="true">\s*<span class="badge[^"]*nav-awaiting"[^>]*>۱<', body)


def test_the_dashboard_says_how_much_of_its_figures_awaits_review(
    client, director_user, officer_user, milestone, agency
):
    from plans.services import review_progress_update

    other = factories.MilestoneFactory(goal=milestone.goal, agency=agency)
    factories.ProgressUpdateFactory(milestone=milestone, author=officer_user, progress=60)
    returned = factories.ProgressUpdateFactory(milestone=other, author=officer_user, progress=30)
    review_progress_update(update=returned, reviewer=director_user, accept=False, reason="مستند ندارد")
    client.force_login(director_user)
    body = client.get(reverse("home")).content.decode()
    share = re.search(r'id="review-share">(.*?)</p>', body, re.S).group(1)
    assert "۱ گزارش در انتظار بررسی و ۱ گام که آخرین گزارشش برای اصلاح برگشت خورده است" in share
