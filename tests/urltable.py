"""The URL × role table: every URL of the site, walked as every role, with the status written down.

Each app's `tests/<app>/test_urls.py` holds a TABLE of its URL names (namespaced, as `reverse` takes
them) and runs it with `check_case`; `tests/prcouncil/test_url_coverage.py` fails when a URL of the
site has no entry in any table, or a table names a URL that no longer exists.

    TABLE = {
        "reporting:milestone": Url(
            args=lambda w: [w.milestone_a.pk],
            cases=[
                Case("GET", (302, 200, 404, 200, 200, 200)),
                Case("POST", (302, 405, 405, 405, 405, 405)),
            ],
        ),
    }

Expected statuses are given per role in ROLES order:
anonymous, own_officer (agency A's officer), other_officer (agency B's officer), evaluator, viewer, director.
Objects belong to agency A unless a case says otherwise, so "other_officer" is the other-agency rung.

What every case checks besides the status:
- anonymous is sent to a login page (or refused) and changes nothing;
- a refused request (4xx, or a redirect to a login page) changes nothing in the database;
- a case marked `changes=True` must change something when it succeeds (2xx/3xx).
"""

import datetime
import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("anonymous", "own_officer", "other_officer", "evaluator", "viewer", "director")
UNUSUAL_METHOD = "PROPFIND"
# The apps whose rows a refused request must leave alone (the project's own, plus auth).
# axes: the login protection records every failed login and every login/logout (its own audit trail).
OWN_APP_LABELS_EXCLUDED = {"admin", "contenttypes", "sessions", "staticfiles", "messages", "humanize", "axes"}


@dataclass(frozen=True)
class Case:
    method: str
    expected: tuple  # one status per role, in ROLES order
    query: dict = field(default_factory=dict)
    data: Any = None  # a dict, or a function of the world returning one (POST body)
    args: Any = None  # overrides the Url's args for this case (a function of the world)
    changes: bool = False  # a successful request must change something
    location: tuple | None = None  # the prefixes a 302 may lead to (default for anonymous: a login page)

    def __post_init__(self):
        if len(self.expected) != len(ROLES):
            raise ValueError(f"{self.method}: one expected status per role {ROLES}, got {self.expected}")

    def status_for(self, role):
        return dict(zip(ROLES, self.expected, strict=True))[role]


@dataclass(frozen=True)
class Url:
    cases: list
    args: Any = None  # a function of the world returning the reverse() args, or None


def cases_of(table, skip=lambda case: False):
    """(name, index) pairs for pytest.mark.parametrize, with readable ids; each test walks every role."""
    pairs = [(name, index) for name, url in table.items() for index, case in enumerate(url.cases) if not skip(case)]
    ids = [f"{name}-{index}-{table[name].cases[index].method}" for name, index in pairs]
    return {"argnames": ("name", "index"), "argvalues": pairs, "ids": ids}


# --- the site's URL names ---------------------------------------------------------------


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def table_modules():
    """Every tests/<app>/test_urls.py module, and the admin's table module."""
    import importlib
    import pkgutil

    import tests

    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        if module_info.name.rsplit(".", 1)[-1] in {"test_urls", "test_admin_urls"}:
            yield importlib.import_module(module_info.name)


def all_tables():
    """Every table of the site ({url name: Url}): each tests/<app>/test_urls.py's TABLE and the admin's."""
    merged = {}
    for module in table_modules():
        overlap = merged.keys() & module.TABLE.keys()
        assert not overlap, f"{module.__name__} repeats URLs of another table: {sorted(overlap)}"
        merged |= module.TABLE
    return merged


def url_of(name, world, table=None):
    """The URL `name` as its table opens it (its Url's args)."""
    entry = (table or all_tables())[name]
    return reverse(name, args=_resolve(entry.args, world) or [])


def site_url_names():
    """Every named URL of the site, namespaced as `reverse` takes it ("reporting:milestone", "admin:index")."""
    return set(_walk(get_resolver().url_patterns))


# --- the world every table walks -------------------------------------------------------


@dataclass
class World:
    """Agency A and agency B, a person in every role, and objects of A (and some of B) to open."""

    users: dict
    objects: dict

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_world():
    """The objects the tables open.

    A table module that needs more objects defines `extend_world(world)`, which adds them to
    `world.objects`; every module's hook runs here, so every table (and every walk over all of
    them, such as tests/prcouncil/test_http.py) sees the same world.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evaluations import services as evaluation_services
    from persian.jalali import Quarter
    from plans.models import StrategicPlan
    from plans.services import EvidenceFile, report_progress
    from tests import factories

    agency_a = factories.AgencyFactory(code="education", name="آموزش و پرورش")
    agency_b = factories.AgencyFactory(code="gas", name="شرکت گاز")
    users = {
        "anonymous": None,
        "own_officer": factories.officer(agency_a, username="officer-education"),
        "other_officer": factories.officer(agency_b, username="officer-gas"),
        "evaluator": factories.evaluator(username="evaluator"),
        "viewer": factories.viewer(username="viewer"),
        "director": factories.director(username="director"),
    }
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, is_public=True, year=1405)
    goal = factories.GoalFactory(plan=plan, number=1)
    milestone_a = factories.MilestoneFactory(goal=goal, agency=agency_a)
    milestone_b = factories.MilestoneFactory(goal=goal, agency=agency_b)
    pdf = SimpleUploadedFile("مستند.pdf", factories.tiny_pdf())
    update_a = report_progress(
        milestone=milestone_a,
        author=users["own_officer"],
        status="in_progress",
        progress=50,
        note="گزارش",
        expected_version=milestone_a.version,
        files=[EvidenceFile(file=pdf, original_name="مستند.pdf", content_type="application/pdf", size=pdf.size)],
    )
    update_b = report_progress(
        milestone=milestone_b,
        author=users["other_officer"],
        status="in_progress",
        progress=30,
        note="گزارش گاز",
        expected_version=milestone_b.version,
    )
    milestone_a.refresh_from_db()
    milestone_b.refresh_from_db()

    scored = factories.SubCriterionFactory()
    # A sub-criterion the app measures (website news items), beside the one evaluators score.
    factories.SubCriterionFactory(
        criterion=scored.criterion, measure="website_news_items", measure_zero=0, measure_full=12
    )
    round_ = evaluation_services.open_round(
        quarter=Quarter(1405, 3), deadline=datetime.date(2026, 12, 30), opened_by=users["director"]
    )
    sub_criteria = round_.criteria.get().sub_criteria.filter(measure="")
    sheet = evaluation_services.save_sheet(
        round=round_, evaluator=users["evaluator"], agency=agency_a, values={sub.pk: 4 for sub in sub_criteria}
    )
    # A locked round (summer 1405) with agency A's result, for scorecards and corrections.
    locked = evaluation_services.open_round(
        quarter=Quarter(1405, 2), deadline=datetime.date(2026, 9, 30), opened_by=users["director"]
    )
    evaluation_services.save_sheet(
        round=locked,
        evaluator=users["evaluator"],
        agency=agency_a,
        values={sub.pk: 3 for sub in locked.criteria.get().sub_criteria.filter(measure="")},
        private_note="یادداشت خصوصی",
        public_comment="نظر عمومی",
    )
    evaluation_services.close_round(round=locked, by=users["director"])
    locked.refresh_from_db()
    evaluation_services.lock_round(round=locked, by=users["director"])
    locked.refresh_from_db()
    objects = {
        "round_locked": locked,
        "agency_a": agency_a,
        "agency_b": agency_b,
        "plan": plan,
        "goal": goal,
        "milestone_a": milestone_a,
        "milestone_b": milestone_b,
        "update_a": update_a,
        "update_b": update_b,
        "evidence_a": update_a.evidence.get(),
        "round": round_,
        "measured_sub": round_.criteria.get().sub_criteria.exclude(measure="").get(),
        "sheet": sheet,
    }
    world = World(users=users, objects=objects)
    for module in table_modules():
        if hasattr(module, "extend_world"):
            module.extend_world(world)
    return world


# --- running one case --------------------------------------------------------------------


@functools.cache
def _watched_tables():
    tables = []
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.app_label in OWN_APP_LABELS_EXCLUDED or not model._meta.managed or model._meta.proxy:
            continue
        if model._meta.label == "auth.User":
            # Logging in moves last_login; what a request must not change is who may do what.
            columns = "id, username, password, is_active, is_staff, is_superuser"
        else:
            columns = "*"
        table = connection.ops.quote_name(model._meta.db_table)  # our own table names, not input
        tables.append(f"SELECT {columns} FROM {table} ORDER BY 1")  # noqa: S608
    return tables


def database_state():
    """A fingerprint of every row of the project's tables (and auth's): refused requests must not move it."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for query in _watched_tables():
            cursor.execute(query)
            digest.update(query.encode())
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


def _resolve(value, world):
    return value(world) if callable(value) else value


def request(client, method, url, query=None, data=None):
    if method == "GET":
        return client.get(url, query or {})
    if method == "POST":
        return client.post(url, data or {})
    return client.generic(method, url)


LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def log_in_every_role(world):
    """A session per role, made once for the module's world (logging in per request is the slow part)."""
    from django.conf import settings
    from django.test import Client

    world.sessions = {}
    for role, user in world.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return world


def _as(client, world, role):
    from django.conf import settings

    client.cookies.clear()
    if world.users[role] is not None:
        sessions = getattr(world, "sessions", None) or log_in_every_role(world).sessions
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]


def check_case(client, world, table, name, index):
    """Run TABLE[name].cases[index] as every role and check the status and the database.

    Each role's request runs in a savepoint that is rolled back, so one role's write does not
    change what the next one sees. Every mismatch is reported at once.
    """
    from django.db import transaction

    url_entry = table[name]
    case = url_entry.cases[index]
    args = _resolve(case.args or url_entry.args, world) or []
    url = reverse(name, args=args)
    data = _resolve(case.data, world)
    problems = []
    for role in ROLES:
        expected = case.status_for(role)
        if expected is None:
            continue
        where = f"{case.method} {url} {case.query or ''} as {role}"
        savepoint = transaction.savepoint_create()
        try:
            _as(client, world, role)
            before = database_state()
            response = request(client, case.method, url, case.query, data)
            location = response.get("Location", "")
            if response.status_code != expected:
                problems.append(f"{where}: {response.status_code}, expected {expected}")
                continue
            refused = expected >= 400 or (expected == 302 and location.startswith(LOGIN_PATHS))
            allowed = tuple(case.location) if case.location is not None else None
            if expected == 302 and allowed is not None and not location.startswith(allowed):
                problems.append(f"{where}: sent to {location}, expected {case.location}")
            elif allowed is None and role == "anonymous" and expected == 302 and not location.startswith(LOGIN_PATHS):
                problems.append(f"{where}: anonymous sent to {location}, not to a login page")
            if refused or role == "anonymous":
                if database_state() != before:
                    problems.append(f"{where}: a refused request changed the database")
            elif case.changes and database_state() == before:
                problems.append(f"{where}: the request should have changed something")
        finally:
            transaction.savepoint_rollback(savepoint)
    assert not problems, "\n".join(problems)
