"""Every page of every app, asked with odd methods, and what signed-in responses tell caches.

- A read-only page answers GET and HEAD only: PUT, DELETE, PROPFIND or FOO get 405 (and a form
  page GET and POST only). Walks every URL of the site except the admin, so a new view without a
  method declaration fails here.
- A response to a signed-in person (pages, the xlsx/csv exports, evidence downloads) carries
  Cache-Control: private, no-store; the public progress page and the login page for an anonymous
  visitor do not.
"""

import pytest
from django.urls import reverse

from tests import urltable

pytestmark = pytest.mark.django_db

ODD_METHODS = ("PUT", "DELETE", "PROPFIND", "FOO")
SKIPPED_NAMESPACES = {"admin"}  # Django's admin: its own views, covered by the admin's tests


def site_url_names():
    """Every named URL of the site outside the admin."""
    return sorted(name for name in urltable.site_url_names() if name.split(":")[0] not in SKIPPED_NAMESPACES)


@pytest.fixture
def world(url_world_db):
    return url_world_db


def url_of(name, world):
    """Each URL opened with the arguments its URL × role table gives it (tests/urltable.py)."""
    return urltable.url_of(name, world, TABLES)


TABLES = urltable.all_tables()


# Pages that only read: GET and HEAD. (The others are forms, answering GET and POST, or actions, POST only.)
READ_ONLY = {
    "home",
    "start",
    "favicon",
    "plans:goal",
    "plans:agency",
    "plans:heatmap",
    "plans:overdue",
    "plans:public",
    "reporting:my_agency",
    "reporting:milestone",
    "reporting:review_queue",
    "reporting:evidence",
    "spreadsheets:export",
    "spreadsheets:export_job",
    "spreadsheets:export_job_download",
    "spreadsheets:agency_sheet_download",
    "spreadsheets:agency_sheet_preview",
    "evaluations:my_scorecards",
    "evaluations:round",
    "evaluations:sheet",
    "evaluations:results",
    "evaluations:report",
    "evaluations:export",
    "evaluations:scorecard",
    "monitoring:websites",
    "monitoring:agency",
}


def test_the_walk_finds_every_app():
    names = site_url_names()
    assert {"home", "login", "plans:public", "reporting:report", "spreadsheets:export", "evaluations:export"} <= set(
        names
    )
    assert not any(name.startswith("admin:") for name in names)
    assert set(names) >= READ_ONLY, "READ_ONLY names a URL that no longer exists"


# Pages open without logging in (the login page sends a signed-in person on, whatever the method).
OPEN_PAGES = {"login", "logout", "set_language", "favicon", "plans:public"}


@pytest.mark.parametrize("method", ODD_METHODS)
def test_every_page_refuses_odd_methods_with_405(client, world, method):
    anonymous = {name: client.generic(method, url_of(name, world)).status_code for name in sorted(OPEN_PAGES)}
    client.force_login(world.users["director"])
    signed_in = {
        name: client.generic(method, url_of(name, world)).status_code
        for name in site_url_names()
        if name not in OPEN_PAGES
    }
    answers = anonymous | signed_in
    assert answers == dict.fromkeys(answers, 405)
    assert len(answers) == len(site_url_names())


@pytest.mark.parametrize("method", ["POST", *ODD_METHODS])
def test_read_only_pages_refuse_everything_but_get_and_head(client, world, method):
    client.force_login(world.users["director"])
    answers = {name: client.generic(method, url_of(name, world)).status_code for name in sorted(READ_ONLY)}
    assert answers == dict.fromkeys(answers, 405)


def test_read_only_pages_answer_head(client, world):
    client.force_login(world.users["director"])
    for name in sorted(READ_ONLY):
        assert client.head(url_of(name, world)).status_code in {200, 301, 302, 403, 404}, name


def test_every_response_to_a_signed_in_person_is_private_and_not_stored(client, world):
    client.force_login(world.users["director"])
    seen = {}
    for name in site_url_names():
        if name == "logout":
            continue  # logging out would end the session this test walks with
        response = client.get(url_of(name, world))
        seen[name] = response.status_code
        cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= cache_control, f"{name}: {response.get('Cache-Control')}"
    # The walk really opened the pages and the files, not only refusals.
    opened = {name for name, status in seen.items() if status == 200}
    assert {"home", "plans:goal", "reporting:evidence", "spreadsheets:export", "evaluations:export"} <= opened


@pytest.mark.parametrize(
    ("name", "query", "content_type"),
    [
        ("spreadsheets:export", {}, "spreadsheetml"),
        ("spreadsheets:export", {"format": "csv"}, "text/csv"),
        ("spreadsheets:agency_sheet_download", {}, "spreadsheetml"),
        ("evaluations:export", {}, "spreadsheetml"),
        ("reporting:evidence", {}, "application/pdf"),
    ],
)
def test_exports_and_downloads_are_not_stored(client, world, name, query, content_type):
    client.force_login(world.users["director"])
    if name == "spreadsheets:agency_sheet_download":
        query = {"agency": world.agency_a.code}
    response = client.get(url_of(name, world), query)
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_stay_cacheable_for_anonymous_visitors(client, world):
    for url in (reverse("plans:public", args=[world.plan.pk]), reverse("login")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "") or url == reverse("login")
        assert "private" not in response.get("Cache-Control", "") or url == reverse("login")
    public = client.get(reverse("plans:public", args=[world.plan.pk]))
    assert "Cache-Control" not in public


def test_the_public_page_is_private_when_a_signed_in_person_reads_it(client, world):
    client.force_login(world.users["viewer"])
    response = client.get(reverse("plans:public", args=[world.plan.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
