"""`make check`'s dependency audit (scripts/dependency_audit.py; ASVS 15.2.1): how it reads pip-audit and npm audit,
and when it fails. The audits themselves need the internet; these tests feed it the tools' real report shapes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dependency_audit", ROOT / "scripts/dependency_audit.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


SKIPPED = "Dependency not found on PyPI and could not be audited"
PIP_CLEAN = {"dependencies": [{"name": "django", "version": "5.2.9", "vulns": []}], "fixes": []}
PIP_VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "aliases": ["CVE-2025-1"]}]},
        {"name": "pyyaml", "version": "6.0.2", "vulns": []},
    ]
}
PIP_OFFLINE = {
    "dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"}]
}
NPM_CLEAN = {"vulnerabilities": {}, "metadata": {"dependencies": {"total": 2}}}
NPM_VULNERABLE = {
    "vulnerabilities": {
        "htmx.org": {
            "range": "<2.0.5",
            "via": [{"source": 1100, "url": "https://github.com/advisories/GHSA-xxxx-yyyy-zzzz"}],
        },
        "wrapper": {"range": "*", "via": ["htmx.org"]},  # reached through another package: not counted twice
    },
    "metadata": {"dependencies": {"total": 2}},
}
NPM_OFFLINE = {"message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"}


def test_clean_reports_pass(audit: ModuleType) -> None:
    results = [audit.pip_audit_parse(PIP_CLEAN), audit.npm_audit_parse(NPM_CLEAN)]
    code, lines = audit.verdict(results, strict=True)
    assert code == 0
    assert lines == ["pip-audit: 1 packages, no known vulnerability", "npm audit: 2 packages, no known vulnerability"]


def test_a_known_vulnerability_fails_and_is_named(audit: ModuleType) -> None:
    code, lines = audit.verdict(
        [audit.pip_audit_parse(PIP_VULNERABLE), audit.npm_audit_parse(NPM_VULNERABLE)], strict=False
    )
    assert code == 1
    assert "pip-audit: django 5.2.0 has PYSEC-2025-1" in lines
    assert "npm audit: htmx.org <2.0.5 has GHSA-xxxx-yyyy-zzzz" in lines
    assert not any("wrapper" in line for line in lines)


def test_an_ignored_vulnerability_passes_only_with_its_reason(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "IGNORED", {"CVE-2025-1": "Only affects the Oracle backend, which we do not use"})
    code, lines = audit.verdict([audit.pip_audit_parse(PIP_VULNERABLE)], strict=True)
    assert code == 0
    assert "(ignored: Only affects the Oracle backend, which we do not use)" in lines[0]
    monkeypatch.setattr(audit, "IGNORED", {"CVE-2025-1": " "})
    code, lines = audit.verdict([audit.pip_audit_parse(PIP_VULNERABLE)], strict=True)
    assert code == 1
    assert lines[0] == "IGNORED entries need a reason: CVE-2025-1"


def test_an_unreachable_advisory_database_is_said_and_fails_only_when_strict(audit: ModuleType) -> None:
    results = [audit.pip_audit_parse(PIP_OFFLINE), audit.npm_audit_parse(NPM_OFFLINE)]
    code, lines = audit.verdict(results, strict=False)
    assert code == 0
    assert sum("NOT CHECKED" in line for line in lines) == 2
    assert lines[-1] == "Set SAFERHOMES_AUDIT_STRICT=1 to fail when an audit cannot run."
    assert audit.verdict(results, strict=True)[0] == 1


def test_the_shipped_ignore_list_gives_a_reason_for_each_entry(audit: ModuleType) -> None:
    assert all(reason.strip() for reason in audit.IGNORED.values())
