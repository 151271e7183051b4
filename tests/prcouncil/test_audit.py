"""The dependency audit step (tools/audit.py) fails on a real finding, accepts only what docs/security.md
explains, and says plainly when a service could not be reached. Fed with the tools' own JSON shapes,
so it runs without the network."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit", ROOT / "tools" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

PIP_CLEAN = json.dumps({"dependencies": [{"name": "django", "version": "6.1.3", "vulns": []}], "fixes": []})
PIP_VULNERABLE = json.dumps(
    {
        "dependencies": [
            {"name": "django", "version": "6.1.3", "vulns": []},
            {
                "name": "openpyxl",
                "version": "3.1.5",
                "vulns": [{"id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001"], "fix_versions": ["3.1.6"]}],
            },
        ]
    }
)
PIP_UNREACHABLE = json.dumps(
    {
        "dependencies": [
            {
                "name": "django",
                "skip_reason": "Dependency not found on PyPI and could not be audited: django (6.1.3)",
            }
        ]
    }
)
NPM_CLEAN = json.dumps({"vulnerabilities": {}, "metadata": {"vulnerabilities": {"total": 0}}})
NPM_VULNERABLE = json.dumps(
    {
        "vulnerabilities": {
            "bootstrap": {
                "via": [{"source": 1, "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc", "range": "<5.3.9"}]
            }
        }
    }
)
NPM_UNREACHABLE = json.dumps({"message": "405 Method Not Allowed - POST https://registry.example/advisories/bulk"})


def test_a_clean_audit_passes(capsys):
    reports = [audit.read_pip_audit(PIP_CLEAN, set()), audit.read_npm_audit(NPM_CLEAN, set(), ["bootstrap"])]
    assert audit.summarise(reports, strict=True) == 0
    assert "dependency audit: passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "reports",
    [
        lambda: [audit.read_pip_audit(PIP_VULNERABLE, set())],
        lambda: [audit.read_npm_audit(NPM_VULNERABLE, set(), ["bootstrap"])],
    ],
)
def test_a_known_vulnerability_fails_the_run(reports, capsys):
    assert audit.summarise(reports(), strict=False) == 1
    out = capsys.readouterr().out
    assert "VULNERABLE" in out
    assert "FAILED" in out


def test_an_advisory_explained_in_the_docs_is_accepted_by_any_of_its_ids(capsys):
    report = audit.read_pip_audit(PIP_VULNERABLE, {"CVE-2099-0001"})
    assert report.findings == []
    assert audit.summarise([report], strict=False) == 0
    assert "accepted   openpyxl" in capsys.readouterr().out


def test_an_unreachable_service_is_said_plainly_and_fails_only_when_strict(capsys):
    reports = [
        audit.read_pip_audit(PIP_UNREACHABLE, set()),
        audit.read_npm_audit(NPM_UNREACHABLE, set(), ["bootstrap", "chart.js"]),
    ]
    assert audit.summarise(reports, strict=False) == 0
    out = capsys.readouterr().out
    assert "NOT AUDITED (1): Dependency not found on PyPI and could not be audited\n    django" in out
    assert "NOT AUDITED (2): 405 Method Not Allowed" in out
    assert "WARNING: the audit service could not be reached" in out
    assert audit.summarise(reports, strict=True) == 1


def test_accepted_advisories_come_from_the_security_doc_table(tmp_path):
    doc = tmp_path / "security.md"
    doc.write_text(
        "# Security\n\n### Accepted advisories\n\n| advisory | package | why it does not apply |\n| --- | --- | --- |\n"
        "| GHSA-aaaa-bbbb-cccc | bootstrap | we do not use the carousel |\n\n## Next\n| PYSEC-1-1 | x | y |\n",
        encoding="utf-8",
    )
    assert audit.accepted_advisories(doc) == {"GHSA-aaaa-bbbb-cccc"}


def test_every_python_requirement_is_pinned_exactly():
    pins = audit.pinned_requirements()
    assert all("==" in pin for pin in pins)
    assert any(pin.startswith("pip-audit==") for pin in pins)
    assert any(pin.startswith("django-axes==") for pin in pins)
