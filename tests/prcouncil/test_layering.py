"""Apps depend one way: persian → fileformats → agencies → plans → feature apps → prcouncil.

Every import in every app's Python files (ast; imports inside functions and classes included) is
checked against the table below. An app may import its own layer's code only where that is itself
(feature apps are one layer: a feature app importing another fails unless the edge is declared in
ALLOWED_FEATURE_EDGES), and any lower layer. A new app is one line in LAYERS.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# app → layer; lower numbers sit lower. Add a new app here (feature apps: FEATURE).
FOUNDATION, LEAF, AGENCIES, PLANS, FEATURE, SITE = range(6)
LAYERS = {
    "persian": FOUNDATION,  # value parsing, Jalali calendar: imports no app
    "fileformats": LEAF,  # writer, upload checker, import-export base: imports persian only, no app's models
    "agencies": AGENCIES,
    "plans": PLANS,
    "reporting": FEATURE,
    "spreadsheets": FEATURE,
    "evaluations": FEATURE,
    "monitoring": FEATURE,
    "notifications": FEATURE,  # reminders, escalation, notifications (issue 12)
    "api": FEATURE,  # the read-only JSON API (issue 14)
    "publishing": FEATURE,  # the quarterly bulletin, its feed and open data (issue 14)
    "prcouncil": SITE,
}
# Feature → feature imports that are allowed, each with its reason: (importer, imported).
ALLOWED_FEATURE_EDGES: dict[tuple[str, str], str] = {
    (
        "monitoring",
        "evaluations",
    ): "registers its website measures in evaluations.measures (evaluations never imports monitoring)",
    ("api", "evaluations"): "serves the rounds and their results through evaluations' querysets, results and rules",
    ("api", "publishing"): "serves the published bulletins (Bulletin.objects.published(), their frozen figures "
    "through publishing.opendata and the public cache); publishing never imports api",
    (
        "publishing",
        "evaluations",
    ): "a bulletin belongs to a locked round and shows its frozen results, ranking and tiers "
    "(evaluations never imports publishing)",
}


def imports_of(path):
    """(line, imported top-level app) for every import statement in the file, wherever it stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(ROOT).parts[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside the file's own app
                yield node.lineno, package
            elif node.module:
                yield node.lineno, node.module.split(".")[0]


def app_files():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def violations():
    found = []
    for app, path in app_files():
        for line, target in imports_of(path):
            if target not in LAYERS or target == app:
                continue
            mine, theirs = LAYERS[app], LAYERS[target]
            upward = theirs > mine
            sideways = theirs == mine and (app, target) not in ALLOWED_FEATURE_EDGES
            if upward or sideways:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {target} ({app} may not)")
    return found


def test_every_app_is_in_the_layer_table():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(LAYERS), f"add these apps to LAYERS: {sorted(apps - set(LAYERS))}"


def test_apps_import_only_downwards():
    assert violations() == []


def test_declared_feature_edges_are_acyclic():
    graph = {}
    for importer, imported in ALLOWED_FEATURE_EDGES:
        graph.setdefault(importer, set()).add(imported)

    def reaches(start, goal, seen=()):
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, (*seen, nxt))) for nxt in graph.get(start, ())
        )

    assert not [app for app in graph if reaches(app, app)]


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("agencies", "def f():\n    from plans.models import Milestone\n", True),  # inside a function
        ("reporting", "import spreadsheets.roundtrip\n", True),  # feature → feature, undeclared
        ("persian", "from fileformats import writer\n", True),  # leaf → above
        ("plans", "from agencies.rules import is_director\n", False),
        ("prcouncil", "from evaluations import demo\n", False),
        ("spreadsheets", "from .roundtrip import confirm\n", False),
    ],
)
def test_the_check_catches_what_it_should(tmp_path, monkeypatch, app, source, expected):
    """The checker itself: an upward import, even inside a function, is found; a downward one is not."""
    fake_root = tmp_path
    (fake_root / app).mkdir()
    (fake_root / app / "module.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", fake_root)
    assert bool(violations()) is expected
