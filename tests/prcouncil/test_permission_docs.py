"""docs/security.md's permission table is generated from the URL × role tables, so it cannot drift.

The section between the GENERATED PERMISSION TABLE markers is written from every table module
(tests/<app>/test_urls.py and the admin's); this test fails when the file differs. After changing a
table, write the section again with:

    PRCOUNCIL_WRITE_DOCS=1 .venv/bin/python -m pytest -q tests/prcouncil/test_permission_docs.py
"""

import os
import re
from collections import defaultdict
from pathlib import Path

from tests import urltable

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
START = "<!-- GENERATED PERMISSION TABLE"
END = "<!-- END GENERATED PERMISSION TABLE -->"
HEADINGS = ("anonymous", "officer, own agency", "officer, other agency", "evaluator", "viewer", "director-general")


def _cell(status):
    return "—" if status is None else str(status)


def _query(case):
    return " ".join(f"`?{key}={value}`" for key, value in case.query.items())


def permission_section():
    tables = urltable.all_tables()
    lines = [
        f"{START}: written by tests/prcouncil/test_permission_docs.py from the URL × role tables",
        "(tests/*/test_urls.py, tests/prcouncil/test_admin_urls.py). Do not edit by hand. -->",
        "",
        "Statuses each role gets, as the tests check them (objects are agency A's; the other-agency officer is",
        "agency B's). 200 answered, 302 sent on (anonymous: to a login page), 400 refused input, 403 not allowed,",
        "404 not found (another agency's object, another person's job), 405 method not allowed, — not asked.",
        f"Unusual method: {urltable.UNUSUAL_METHOD}.",
        "",
        f"| URL name | method | query | {' | '.join(HEADINGS)} |",
        "| --- | --- | --- |" + " --- |" * len(HEADINGS),
    ]
    admin = defaultdict(list)
    for name in sorted(tables):
        for case in tables[name].cases:
            if name.startswith("admin:"):
                admin[(case.method, case.expected)].append(name)
                continue
            cells = " | ".join(_cell(status) for status in case.expected)
            lines.append(f"| `{name}` | {case.method} | {_query(case)} | {cells} |")
    admin_count = len([name for name in tables if name.startswith("admin:")])
    lines += [
        "",
        f"The admin ({admin_count} URLs, generated from the admin's own URL list; what the director-general may not",
        "do there is listed by name):",
        "",
        f"| URLs | method | {' | '.join(HEADINGS)} |",
        "| --- | --- |" + " --- |" * len(HEADINGS),
    ]
    for (method, expected), names in sorted(admin.items(), key=lambda item: (-len(item[1]), item[0][0])):
        shown = ", ".join(f"`{name}`" for name in names) if len(names) <= 40 else f"{len(names)} URLs: {_kinds(names)}"
        cells = " | ".join(_cell(status) for status in expected)
        lines.append(f"| {shown} | {method} | {cells} |")
    lines.append("")
    return "\n".join(lines) + END


def _kinds(names):
    kinds = sorted({re.sub(r"^admin:([a-z_]+?_)?", "", name).rsplit("_", 1)[-1] for name in names})
    return "every model's " + ", ".join(kinds) + " pages"


def test_the_permission_table_in_docs_is_generated_from_the_url_tables(db):
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    expected = text[:start] + permission_section() + text[end:]
    if os.environ.get("PRCOUNCIL_WRITE_DOCS"):
        DOC.write_text(expected, encoding="utf-8")
    assert text == expected, (
        "docs/security.md's permission table is out of date; write it again with "
        "PRCOUNCIL_WRITE_DOCS=1 .venv/bin/python -m pytest -q tests/prcouncil/test_permission_docs.py"
    )
