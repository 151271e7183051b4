"""A person's own API tokens page: make one (the secret shown once), list them, revoke one's own only."""

import hashlib
import re

import pytest
from django.urls import reverse

from api.models import ApiToken
from api.services import create_token
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"prc_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def officer(db):
    return factories.officer(factories.AgencyFactory(code="education"), username="officer-education")


def test_make_a_token_and_see_its_secret_once(client, officer):
    client.force_login(officer)
    response = client.post(reverse("api_tokens:list"), {"name": "داشبورد ملي"})  # an Arabic ي, normalised
    assert response.status_code == 200
    secret = SECRET.search(response.content.decode()).group(0)
    token = ApiToken.objects.get()
    assert token.user == officer
    assert token.name == "داشبورد ملی"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    # Listed afterwards by its name and first characters, never its secret.
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert secret not in page
    assert token.prefix in page
    assert "داشبورد ملی" in page
    # The secret works.
    client.logout()
    assert client.get(reverse("api:agencies"), HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200


def test_a_token_needs_a_name(client, officer):
    client.force_login(officer)
    response = client.post(reverse("api_tokens:list"), {"name": ""})
    assert response.status_code == 200
    assert "این مقدار لازم است" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_ones_own_token_only(client, officer):
    mine, secret = create_token(user=officer, name="mine")
    theirs, _ = create_token(user=factories.viewer(username="viewer"), name="theirs")
    client.force_login(officer)
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "mine" in page
    assert "theirs" not in page
    assert client.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    response = client.post(reverse("api_tokens:revoke", args=[mine.pk]), follow=True)
    assert "mine" in response.content.decode()
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    client.logout()
    assert client.get(reverse("api:agencies"), HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401
    # Revoking twice: nothing left to revoke.
    client.force_login(officer)
    assert client.post(reverse("api_tokens:revoke", args=[mine.pk])).status_code == 404


def test_the_navbar_name_leads_to_the_tokens_page(client, officer):
    client.force_login(officer)
    html = client.get(reverse("reporting:my_agency")).content.decode()
    assert f'href="{reverse("api_tokens:list")}"' in html
