"""Dependency audit (CI step): pip-audit over the pinned Python requirements, npm audit over the npm packages we ship.

    .venv/bin/python tools/audit.py [--strict]

- Python: every exact pin in pyproject.toml (the dependencies and every optional group) is checked
  with pip-audit (`--no-deps --disable-pip`: the pins themselves, nothing resolved anew).
- npm: `npm audit --omit=dev` over package-lock.json.

Exit status 1 when a known vulnerability is found that docs/security.md does not explain (its
"Accepted advisories" table: one row per advisory id, with why it does not apply). When an audit
service cannot be reached, or answers without the data (a PyPI mirror that does not serve the
per-release JSON, an npm registry without the audit endpoint), the packages it could not check are
printed as NOT AUDITED with the reason. That alone does not fail the run, since CI machines may sit
behind such a mirror; --strict (or PRCOUNCIL_AUDIT_STRICT=1) makes it fail too, for a machine that
reaches the real services. docs/security.md records the last full audit.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECURITY_DOC = ROOT / "docs" / "security.md"
ADVISORY_ROW = re.compile(r"^\|\s*`?((?:PYSEC|GHSA|CVE|OSV)-[A-Za-z0-9-]+)`?\s*\|", re.MULTILINE)


@dataclass
class Report:
    ecosystem: str
    audited: list = field(default_factory=list)  # package names checked
    findings: list = field(default_factory=list)  # (package, version, advisory id, fix versions)
    accepted: list = field(default_factory=list)  # findings explained in docs/security.md
    not_audited: list = field(default_factory=list)  # (package, reason)


def accepted_advisories(path=SECURITY_DOC):
    """Advisory ids explained in docs/security.md's "Accepted advisories" table."""
    if not path.exists():
        return set()
    text = path.read_text(encoding="utf-8")
    start = text.find("### Accepted advisories")
    if start == -1:
        return set()
    end = text.find("\n#", start + 1)
    return set(ADVISORY_ROW.findall(text[start : end if end != -1 else len(text)]))


def pinned_requirements(pyproject=ROOT / "pyproject.toml"):
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        pins += group
    loose = [pin for pin in pins if "==" not in pin]
    if loose:
        raise SystemExit(f"not pinned exactly (==): {', '.join(loose)}")
    return pins


def read_pip_audit(output, accepted):
    """A Report from pip-audit's JSON (--format json)."""
    report = Report("Python (pip-audit)")
    data = json.loads(output)
    for dependency in data.get("dependencies", []):
        name, version = dependency.get("name"), dependency.get("version")
        if "skip_reason" in dependency:
            # "Dependency not found on PyPI and could not be audited: django (6.1.3)": one reason for many.
            reason = re.sub(r":\s*\S+ \([^)]*\)$", "", dependency["skip_reason"])
            report.not_audited.append((f"{name} {version or ''}".strip(), reason))
            continue
        report.audited.append(name)
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            finding = (name, version, vuln["id"], ", ".join(vuln.get("fix_versions", [])) or "none")
            (report.accepted if ids & accepted else report.findings).append(finding)
    return report


def read_npm_audit(output, accepted, package_names=()):
    """A Report from `npm audit --json`: its vulnerabilities, or why it could not audit."""
    report = Report("npm (npm audit --omit=dev)")
    try:
        data = json.loads(output) if output.strip() else {}
    except json.JSONDecodeError:
        data = {"message": output.strip()[:300] or "no answer"}
    if "vulnerabilities" not in data:
        reason = data.get("message") or (data.get("error") or {}).get("summary") or "the audit endpoint gave no data"
        report.not_audited = [(name, reason) for name in package_names] or [("all packages", reason)]
        return report
    report.audited = list(package_names)
    for name, entry in sorted(data["vulnerabilities"].items()):
        for source in entry.get("via", []):
            if not isinstance(source, dict):
                continue  # "via" a vulnerable dependency, listed under its own name
            advisory = source.get("url", "").rstrip("/").rsplit("/", 1)[-1] or str(source.get("source"))
            finding = (name, source.get("range", ""), advisory, source.get("title", ""))
            (report.accepted if advisory in accepted else report.findings).append(finding)
    return report


def run_pip_audit(accepted):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(pinned_requirements()) + "\n")
        requirements = handle.name
    try:
        result = subprocess.run(  # noqa: S603
            [
                sys.executable, "-m", "pip_audit", "--requirement", requirements, "--no-deps", "--disable-pip",
                "--format", "json", "--progress-spinner", "off",
            ],
            capture_output=True, text=True, check=False, timeout=600,
        )  # fmt: skip
    finally:
        os.unlink(requirements)
    try:
        return read_pip_audit(result.stdout, accepted)
    except json.JSONDecodeError:
        report = Report("Python (pip-audit)")
        reason = (result.stderr.strip().splitlines() or ["pip-audit gave no answer"])[-1][:300]
        report.not_audited = [(pin, reason) for pin in pinned_requirements()]
        return report


def run_npm_audit(accepted):
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    names = sorted(package.get("dependencies", {}))
    try:
        result = subprocess.run(
            ["npm", "audit", "--omit=dev", "--json"],  # noqa: S607
            cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
        )  # fmt: skip
    except FileNotFoundError:
        report = Report("npm (npm audit --omit=dev)")
        report.not_audited = [(name, "npm is not installed") for name in names]
        return report
    return read_npm_audit(result.stdout, accepted, names)


def summarise(reports, strict):
    """Print what was found; return the exit status."""
    failed = False
    for report in reports:
        counts = (
            f"{len(report.audited)} audited, {len(report.findings)} vulnerabilities, "
            f"{len(report.accepted)} accepted in docs/security.md, {len(report.not_audited)} NOT AUDITED"
        )
        print(f"{report.ecosystem}: {counts}")
        for package, version, advisory, fix in report.findings:
            print(f"  VULNERABLE {package} {version}: {advisory} (fixed in: {fix})")
        for package, version, advisory, _fix in report.accepted:
            print(f"  accepted   {package} {version}: {advisory} (explained in docs/security.md)")
        reasons = {}
        for package, reason in report.not_audited:
            reasons.setdefault(reason, []).append(package)
        for reason, packages in reasons.items():
            print(f"  NOT AUDITED ({len(packages)}): {reason}")
            print(f"    {', '.join(packages)}")
        failed = failed or bool(report.findings) or (strict and bool(report.not_audited))
    if any(report.not_audited for report in reports):
        print(
            "WARNING: the audit service could not be reached for some packages (see NOT AUDITED above), so they "
            "were not checked. " + ("--strict: failing." if strict else "Run with --strict where it can be reached.")
        )
    print("dependency audit: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", default=os.environ.get("PRCOUNCIL_AUDIT_STRICT") == "1")
    options = parser.parse_args(argv)
    accepted = accepted_advisories()
    return summarise([run_pip_audit(accepted), run_npm_audit(accepted)], options.strict)


if __name__ == "__main__":
    sys.exit(main())
