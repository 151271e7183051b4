"""The API's docs page (Swagger UI from our own static files) and the browsable API, under the site's CSP."""

import pytest
from playwright.sync_api import expect

from agencies.models import Membership
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_schema_with_no_csp_violation(page, screenshot, console_errors):
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("prcouncil API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/milestones/").first).to_be_visible()
    screenshot("api-docs")
    # A CSP violation is logged as a console error; a CDN request would fail on this closed network.
    assert console_errors == []


def test_browsable_api_shows_the_milestones_to_their_officer(page, login, screenshot, console_errors):
    agency = factories.AgencyFactory(code="education", name="آموزش و پرورش")
    plan = factories.StrategicPlanFactory(status="active", is_public=True)
    factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), agency=agency, title="گام آموزش")
    factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), title="گام دیگری")
    factories.UserFactory.with_role(Membership.Role.OFFICER, agency=agency, username="officer")
    login("officer")
    page.goto("/api/v1/milestones/")
    expect(page.get_by_text("گام آموزش")).to_be_visible()
    expect(page.get_by_text("گام دیگری")).to_have_count(0)
    screenshot("api-browsable-milestones")
    assert console_errors == []
