"""The evaluation URLs added for measured criteria, walked as every role (the older evaluation URLs are
walked as a ladder in test_views.py). Refused writes change nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import MeasureOverride, RoundSubCriterion
from persian.jalali import Quarter
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "own_officer", "other_officer", "evaluator", "viewer", "director")
#                                     anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    ("measured", "GET"): (302, 403, 403, 200, 200, 200),
    ("measured", "POST"): (302, 403, 403, 403, 403, 302),
    ("measured", "PUT"): (302, 405, 405, 405, 405, 405),
}


@pytest.fixture
def world(agency, other_agency, officer_user, other_officer_user, evaluator_user, viewer_user, director_user):
    factories.SubCriterionFactory(measure="website_news_items", measure_zero=Decimal(0), measure_full=Decimal(12))
    round = services.open_round(quarter=Quarter(1405, 3), deadline=datetime.date(2026, 12, 30), opened_by=director_user)
    users = dict(
        zip(ROLES, (None, officer_user, other_officer_user, evaluator_user, viewer_user, director_user), strict=True)
    )
    return round, users


CASES = [(name, method, role) for (name, method) in TABLE for role in ROLES]


@pytest.mark.parametrize(("name", "method", "role"), CASES, ids=[f"{n}-{m}-{r}" for n, m, r in CASES])
def test_url_permission_table(client, world, agency, name, method, role):
    round, users = world
    if users[role] is not None:
        client.force_login(users[role])
    url = reverse(f"evaluations:{name}", args=[round.pk])
    sub = RoundSubCriterion.objects.get(criterion__round=round)
    data = {"agency": agency.pk, "sub_criterion": sub.pk, "percent": "40", "reason": "بازبینی"}
    response = getattr(client, method.lower())(url, data) if method == "POST" else getattr(client, method.lower())(url)
    expected = dict(zip(ROLES, TABLE[name, method], strict=True))[role]
    assert response.status_code == expected, f"{method} {url} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert MeasureOverride.objects.exists() == (method == "POST" and role == "director")
