"""Personal API tokens: only a hash is stored, the secret is shown once, a revoked token is refused."""

import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from api.models import ApiToken
from api.services import create_token
from tests import factories

pytestmark = pytest.mark.django_db

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")


@pytest.fixture
def officer(db):
    agency = factories.AgencyFactory(code="education")
    plan = factories.StrategicPlanFactory(status="active", is_public=True)
    factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), agency=agency)
    factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan))  # another agency's
    return factories.officer(agency, username="officer-education")


def api_get(client, secret, name="api:milestones", keyword="Token"):
    return client.get(reverse(name), HTTP_AUTHORIZATION=f"{keyword} {secret}", HTTP_ACCEPT="application/json")


def every_stored_value():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608  (our own table)
        return repr(cursor.fetchall())


def test_only_the_hash_is_stored(officer):
    token, secret = create_token(user=officer, name="داشبورد ملی")
    assert secret.startswith("prc_")
    assert len(secret) > 40
    assert secret not in every_stored_value()
    assert secret[12:] not in every_stored_value()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:8]


def test_a_token_sees_what_its_owner_sees(client, officer):
    _, secret = create_token(user=officer, name="dashboard")
    for keyword in ("Token", "Bearer"):
        response = api_get(client, secret, keyword=keyword)
        assert response.status_code == 200
        assert {row["agency"]["code"] for row in response.json()["results"]} == {"education"}
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token prc_unknown", "Bearer " + "x" * 43])
def test_a_bad_token_is_a_401_in_persian(client, officer, header):
    response = client.get(reverse("api:milestones"), HTTP_AUTHORIZATION=header, HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert PERSIAN_LETTERS.search(response.json()["detail"])


def test_a_revoked_token_is_refused(client, officer):
    from api.services import revoke_tokens

    token, secret = create_token(user=officer, name="dashboard")
    assert api_get(client, secret).status_code == 200
    assert revoke_tokens(tokens=ApiToken.objects.filter(pk=token.pk)) == 1
    response = api_get(client, secret)
    assert response.status_code == 401
    assert PERSIAN_LETTERS.search(response.json()["detail"])
    # Public endpoints do not fall back to anonymous for a bad token either: the client learns it is revoked.
    assert api_get(client, secret, name="api:plans").status_code == 401


def test_a_token_of_a_person_who_can_no_longer_sign_in_is_refused(client, officer):
    _, secret = create_token(user=officer, name="dashboard")
    officer.is_active = False
    officer.save()
    assert api_get(client, secret).status_code == 401


def test_create_api_token_command_prints_the_secret_once(officer):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "officer-education", "national dashboard", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.name == "national dashboard"
    assert token.user == officer
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in err.getvalue()
    assert token.prefix in err.getvalue()
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "x", stdout=io.StringIO(), stderr=io.StringIO())


def test_director_makes_and_revokes_tokens_in_the_admin(client, officer):
    director = factories.director(username="dg")
    client.force_login(director)
    response = client.post(
        reverse("admin:api_apitoken_add"), {"user": officer.pk, "name": "دفتر استانداری"}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = re.search(r"prc_[A-Za-z0-9_-]{40,}", response.content.decode()).group(0)
    assert token.key_hash == hashlib.sha256(shown.encode()).hexdigest()
    # The secret is shown once: the token's own page does not have it.
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert shown not in page
    assert token.prefix in page
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert api_get(client, shown).status_code == 401


def test_only_the_director_general_manages_tokens(client, officer):
    token, _ = create_token(user=officer, name="dashboard")
    client.force_login(officer)
    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 302
    client.post(reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_write_is_a_405_even_with_a_token(client, officer, method):
    director = factories.director(username="dg")
    _, secret = create_token(user=director, name="writes")
    names = ["api:plans", "api:agencies", "api:milestones", "api:rounds", "api:schema", "api:docs"]
    for name in names:
        response = getattr(client, method)(reverse(name), HTTP_AUTHORIZATION=f"Token {secret}")
        assert response.status_code == 405, name
