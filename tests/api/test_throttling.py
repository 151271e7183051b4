"""Rate limits: per token, per signed-in person, per anonymous address; a 429 in Persian with Retry-After."""

import re

import pytest
from django.urls import reverse

from api.services import create_token
from tests import factories

pytestmark = pytest.mark.django_db

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute", "token": "3/minute"},
    }


def test_anonymous_clients_are_limited_by_address(client, low_rates):
    url = reverse("api:plans")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert PERSIAN_LETTERS.search(response.json()["detail"])
    assert int(response["Retry-After"]) > 0
    # Another address has its own allowance.
    assert client.get(url, REMOTE_ADDR="127.0.0.2").status_code == 200


def test_each_token_has_its_own_allowance(client, low_rates):
    user = factories.viewer(username="viewer")
    _, first = create_token(user=user, name="one")
    _, second = create_token(user=user, name="two")
    url = reverse("api:plans")
    statuses = [client.get(url, HTTP_AUTHORIZATION=f"Token {first}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {second}").status_code == 200
    # Neither the anonymous allowance nor the owner's session was used up by the tokens.
    assert client.get(url).status_code == 200
    client.force_login(user)
    assert client.get(url).status_code == 200
