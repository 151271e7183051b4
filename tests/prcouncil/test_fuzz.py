"""Every page's parameters and form fields, sent odd values: never a 500 (issue 10).

Walks every URL of the URL × role tables (tests/urltable.py, with each table's arguments), as the
director-general and as an officer. Each page is opened once; the names to fuzz are read from what
it shows: the <input>/<select>/<textarea> names of its GET forms and the query keys of its own
links ("?status=…", the admin's filters and date drill-down) become query parameters, together with
the query keys its table uses; the fields of its POST forms are posted to the form's action. Then
each odd value below is sent in every one of those names at once (a request per value, so every
(name, value) pair is tried), and once more with every key repeated.

Expected: never a 500; a request that was refused (4xx, or sent to a login page) changed nothing in
the database. Each request runs in a savepoint that is rolled back, so a write that was accepted
does not change what the next request sees. The admin's many change pages are represented by its
changelists (filters, search, date drill-down) and the plan models' add forms.
"""

import html.parser
import urllib.parse

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, resolve

from tests import urltable

pytestmark = pytest.mark.django_db

ODD_VALUES = {
    "NUL": "a\x00b",
    "5,000 digits": "9" * 5000,
    "negative": "-1",
    "negative big": "-9223372036854775809",
    "negative decimal": "-5.5",
    "2^63": str(2**63),
    "2^63 Persian digits": "۹۲۲۳۳۷۲۰۳۶۸۵۴۷۷۵۸۰۸",
    "2^63 Arabic-Indic digits": "٩٢٢٣٣٧٢٠٣٦٨٥٤٧٧٥٨٠٨",
    "Jalali year 1": "0001/01/01",
    "Jalali year 1299": "1299/12/29",
    "Jalali year 1501": "۱۵۰۱/۰۱/۰۱",
    "Jalali year 9999": "٩٩٩٩/١٢/٣١",
    "Gregorian year 1": "0001-01-01",
    "Gregorian year 1299": "1299-06-15",
    "Gregorian year 1501": "1501-01-01",
    "Gregorian year 9999": "9999-12-31",
    "10,000 characters": "گ" * 10_000,
}
REPEATED = ("1", "9" * 5000)
ROLES = ("director", "own_officer")
# Pages whose forms are not the page's own business to fuzz here, and why.
SKIPPED = {
    "logout": "ends the session the walk uses",
    "login": "tested by the login protection's tests (every failure is recorded by axes)",
    "admin:login": "as login",
    "admin:logout": "as logout",
    "set_language": "answers a redirect for any value (the language is checked against LANGUAGES)",
}
ADMIN_FUZZED_KINDS = ("changelist",)
ADMIN_FUZZED_NAMES = {"admin:plans_milestone_add", "admin:plans_goal_add", "admin:plans_strategicplan_add"}
NOT_FUZZED = {"csrfmiddlewaretoken", "version"}  # the token; a report's version is fuzzed by the report tests
# An inline formset's form count: Django reads it as a bounded number itself (2^63 forms become its cap of
# 2,000 empty inline forms, which only makes the page slow to draw again).
NOT_FUZZED_SUFFIXES = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")

TABLES = urltable.all_tables()


def fuzzed_pages():
    names = []
    for name in sorted(TABLES):
        if name in SKIPPED:
            continue
        if name.startswith("admin:") and not (name.endswith(ADMIN_FUZZED_KINDS) or name in ADMIN_FUZZED_NAMES):
            continue
        names.append(name)
    return names


class FormNames(html.parser.HTMLParser):
    """The names a page's GET forms, POST forms (by action) and own links send."""

    def __init__(self, page_path):
        super().__init__()
        self.page_path = page_path
        self.query = set()
        self.posts = {}  # action path → set of names
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = urllib.parse.urlsplit(attrs.get("action") or self.page_path).path or self.page_path
            self._form = ("post", action) if method == "post" else ("get", None)
            if method == "post":
                self.posts.setdefault(action, set())
        elif tag in {"input", "select", "textarea", "button"} and attrs.get("name"):
            name = attrs["name"]
            if name in NOT_FUZZED or name.endswith(NOT_FUZZED_SUFFIXES) or tag == "button":
                return
            if attrs.get("type") in {"submit", "file"}:
                return
            if self._form is None or self._form[0] == "get":
                self.query.add(name)
            else:
                self.posts[self._form[1]].add(name)
        elif tag == "a" and attrs.get("href", "").startswith("?"):
            self.query.update(urllib.parse.parse_qs(attrs["href"][1:], keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def names_of(response, path):
    parser = FormNames(path)
    if "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode(errors="replace"))
    return parser


def _own(path):
    """A form's action on this site (not /static/, not another host)."""
    try:
        resolve(path)
    except Exception:  # noqa: BLE001 — any path the site does not route
        return False
    return True


def attempt(client, method, path, data, problems, counter):
    where = f"{method} {path} {sorted(data)[:8]}"
    savepoint = transaction.savepoint_create()
    try:
        before = urltable.database_state() if method == "POST" else None
        counter["cases"] += 1
        try:
            response = client.get(path, data) if method == "GET" else client.post(path, data)
        except Exception as exc:  # noqa: BLE001 — a crash is what this test looks for; report them all
            problems.append(f"{where}: {type(exc).__name__}: {str(exc)[:200]}")
            return
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
        refused = response.status_code >= 400 or (
            response.status_code == 302 and response.get("Location", "").startswith(urltable.LOGIN_PATHS)
        )
        if before is not None and refused and urltable.database_state() != before:
            problems.append(f"{where}: refused with {response.status_code} but the database changed")
    finally:
        transaction.savepoint_rollback(savepoint)


def odd_requests(names):
    for value in ODD_VALUES.values():
        yield dict.fromkeys(names, value)
    yield {name: list(REPEATED) for name in names}


COUNTER = {"cases": 0, "pages": 0}


@pytest.mark.parametrize("name", fuzzed_pages())
def test_odd_values_in_every_parameter_and_field_never_give_a_500(client, url_world_db, name):
    world = url_world_db
    entry = TABLES[name]
    try:
        path = urltable.url_of(name, world, TABLES)
    except NoReverseMatch:
        pytest.fail(f"{name}: its table's arguments no longer reverse")
    table_queries = {key for case in entry.cases for key in case.query}
    problems = []
    for role in ROLES:
        urltable._as(client, world, role)
        page = client.get(path)
        found = names_of(page, path) if page.status_code == 200 else FormNames(path)
        query = found.query | table_queries
        if query:  # a page without parameters reads none
            for data in odd_requests(sorted(query)):
                attempt(client, "GET", path, data, problems, COUNTER)
        for action, fields in sorted(found.posts.items()):
            if fields and _own(action):
                for data in odd_requests(sorted(fields)):
                    attempt(client, "POST", action, data, problems, COUNTER)
    COUNTER["pages"] += 1
    assert not problems, "\n".join(problems)


def test_zz_report_the_count_of_cases():
    """Printed for docs/security.md (run with -s); the walk really sent odd values (not only logins)."""
    print(f"\nfuzz: {COUNTER['cases']} requests over {COUNTER['pages']} pages × {len(ROLES)} roles")  # noqa: T201
    if COUNTER["pages"]:
        assert COUNTER["cases"] >= COUNTER["pages"] * len(ODD_VALUES)
