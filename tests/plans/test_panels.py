"""Feature apps put panels on the dashboard and agency pages without plans importing them."""

import pytest
from django.urls import reverse

from plans import panels
from plans.models import StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(monkeypatch):
    registry = {screen: [] for screen in panels.SCREENS}
    monkeypatch.setattr(panels, "_registry", registry)

    def agency_panel(request, *, plan, agency):
        return {"text": f"panel-for-{agency.code}-{request.user.username}"}

    def nothing(request, **objects):
        return None

    panels.register("agency", "tests/_panel.html", agency_panel)
    panels.register("agency", "tests/_panel.html", nothing, order=5)
    panels.register("dashboard", "tests/_panel.html", lambda request, *, plan: {"text": f"dash-{plan.year}"})
    return registry


def test_registered_panels_render_on_their_screen(client, registered, director_user, agency, settings, tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "_panel.html").write_text('<p class="test-panel">{{ panel.text }}</p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, year=1405)
    factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), agency=agency)
    client.force_login(director_user)

    agency_page = client.get(reverse("plans:agency", args=[plan.pk, agency.code])).content.decode()
    dashboard = client.get(reverse("home")).content.decode()

    assert agency_page.count('class="test-panel"') == 1  # the panel that returned None is left out
    assert "panel-for-education-director" in agency_page
    assert "dash-1405" in dashboard
    assert "panel-for" not in dashboard


def test_unknown_screen_is_refused():
    with pytest.raises(ValueError, match="Unknown screen"):
        panels.register("nowhere", "x.html", lambda request: {})
