"""Every user-visible string has a Persian translation, and one translation only.

Django looks in LOCALE_PATHS (the templates' catalogue) before the apps' catalogues, so
a msgid translated differently in both would silently show the root's text everywhere.
"""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("locale/fa/LC_MESSAGES/django.po")) + sorted(
    path for path in ROOT.glob("*/locale/fa/LC_MESSAGES/django.po") if ".venv" not in path.parts
)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalogue_is_fully_translated_and_compiled(path):
    catalogue = polib.pofile(str(path))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    compiled = path.with_suffix(".mo")
    assert compiled.exists()
    assert {(entry.msgctxt, entry.msgid) for entry in polib.mofile(str(compiled))} >= {
        (entry.msgctxt, entry.msgid) for entry in catalogue.translated_entries()
    }, "run manage.py compilemessages"


def test_no_msgid_has_two_persian_translations():
    seen, clashes = {}, []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            key = (entry.msgctxt, entry.msgid)
            text = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            if key in seen and seen[key][1] != text:
                clashes.append((entry.msgid, seen[key][0], str(path.relative_to(ROOT))))
            seen.setdefault(key, (str(path.relative_to(ROOT)), text))
    assert clashes == []
