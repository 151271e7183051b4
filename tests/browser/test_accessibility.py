"""axe-core on every page of the site, as every role, on a desktop (1366 px) and a phone (390×844).

The walk is the URL × role tables' world (tests/urltable.py): every GET a role may open (status 200
in its table) that answers an HTML page, outside the Django admin. axe-core comes from npm
(devDependency, package-lock.json) and is read from node_modules — served to the page by the test
only, never by the site. Any serious or critical violation fails, with the page, role, width, rule
and the first offending nodes. docs/accessibility.md records the walk's result.
"""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from tests import urltable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
RESULTS = Path(settings.BASE_DIR) / "test-results"
SERIOUS = {"serious", "critical"}
# Django's own admin pages (its stylesheet, not ours); the API's JSON, browsable pages and Swagger UI
# (REST framework's and Swagger's own pages for programmers; our token page, api_tokens, is walked).
SKIPPED_NAMESPACES = {"admin", "api"}
# URLs that answer files, redirects or htmx fragments rather than a page to read.
NOT_PAGES = {
    "favicon",
    "logout",
    "set_language",
    "start",
    "reporting:evidence",
    "spreadsheets:export",
    "spreadsheets:agency_sheet_download",
    "spreadsheets:export_job_download",
    "evaluations:export",
    "publishing:feed",
    "publishing:data_csv",
    "publishing:data_json",
}
ROLES = list(urltable.ROLES)


def pages_for(role, world, tables):
    """(name, url) of every page `role` may open, as its table opens it."""
    pages = []
    for name, entry in sorted(tables.items()):
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in NOT_PAGES:
            continue
        for case in entry.cases:
            downloads = case.query and case.query.get("format") in {"xlsx", "csv"}
            if case.method == "GET" and case.status_for(role) == 200 and not downloads:
                args = urltable._resolve(case.args or entry.args, world) or []
                url = reverse(name, args=args)
                if case.query:
                    url += "?" + urlencode(case.query)
                pages.append((name, url))
    return list(dict.fromkeys(pages))


def run_axe(page):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, count: v.nodes.length,
                nodes: v.nodes.slice(0, 3).map(
                    n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')
                )
            }));
        }"""
    )


@pytest.fixture
def walk_context(browser, live_server):
    contexts = []

    def make(cookie=None):
        # The site's CSP refuses inline and foreign scripts; the test's own axe-core is let in.
        context = browser.new_context(locale="fa-IR", base_url=live_server.url, bypass_csp=True)
        if cookie:
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_serious_accessibility_violation(role, walk_context):
    assert AXE.exists(), "axe-core is missing: npm ci installs it (devDependencies)"
    world = urltable.log_in_every_role(urltable.build_world())
    tables = urltable.all_tables()
    pages = pages_for(role, world, tables)
    assert pages, f"no page to walk for {role}"
    context = walk_context(world.sessions.get(role))
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems, counts = [], {}
    for width_name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        for name, url in pages:
            response = page.goto(url)
            assert response is not None
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            page.wait_for_load_state("load")
            violations = [v for v in run_axe(page) if v["impact"] in SERIOUS]
            counts[(name, width_name)] = sum(v["count"] for v in violations)
            for violation in violations:
                problems.append(
                    f"{role} {width_name} {url}: {violation['impact']} {violation['id']} ×{violation['count']}: "
                    + " | ".join(violation["nodes"])
                )
    # The per-page counts, for docs/accessibility.md and the closing note.
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}\t{width}\t{count}" for (name, width), count in sorted(counts.items())]
    (RESULTS / f"axe-{role}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not problems, "\n".join(problems)
