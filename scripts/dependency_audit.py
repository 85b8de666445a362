"""Audit the locked dependencies for known vulnerabilities: pip-audit over uv.lock, `npm audit --omit=dev`.

Usage (from `make check`): uv run python scripts/dependency_audit.py

- A known vulnerability fails the run, unless its id is in IGNORED below with the reason it does not apply
  (docs/security.md repeats the list). An ignore without a reason is refused.
- When the advisory database cannot be reached (no network, or a registry mirror without the vulnerability API),
  nothing was checked: that is said plainly and fails the run only with SAFERHOMES_AUDIT_STRICT=1, so a machine
  without the internet can still run `make check`. Set it wherever the internet is reachable (CI with network).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Vulnerability id (PYSEC-, GHSA-, CVE- or an npm advisory's GHSA) -> why it does not apply here. Keep it short.
IGNORED: dict[str, str] = {}


@dataclass
class AuditResult:
    """What one audit found: vulnerabilities (package, version, id), ignored ones, or why it could not run."""

    tool: str
    found: list[tuple[str, str, str]] = field(default_factory=list)
    ignored: list[tuple[str, str, str]] = field(default_factory=list)
    unavailable: str = ""
    checked: int = 0


def _split(tool: str, rows: list[tuple[str, str, str]], checked: int) -> AuditResult:
    result = AuditResult(tool=tool, checked=checked)
    for row in rows:
        (result.ignored if row[2] in IGNORED else result.found).append(row)
    return result


def pip_audit_parse(report: dict[str, object]) -> AuditResult:
    """Read `pip-audit -f json`: every dependency skipped (none found) means the service could not be reached."""
    dependencies = report.get("dependencies")
    if not isinstance(dependencies, list) or not dependencies:
        return AuditResult(tool="pip-audit", unavailable="pip-audit returned no dependencies")
    audited = [dep for dep in dependencies if isinstance(dep, dict) and "skip_reason" not in dep]
    if not audited:
        first = dependencies[0].get("skip_reason", "") if isinstance(dependencies[0], dict) else ""
        return AuditResult(tool="pip-audit", unavailable=f"no package could be looked up ({first})")
    rows = []
    for dep in audited:
        for vuln in dep.get("vulns") or []:
            ids = [str(vuln.get("id", "")), *(str(alias) for alias in vuln.get("aliases") or [])]
            chosen = next((i for i in ids if i in IGNORED), ids[0])
            rows.append((str(dep.get("name")), str(dep.get("version")), chosen))
    return _split("pip-audit", rows, checked=len(audited))


def npm_audit_parse(report: dict[str, object]) -> AuditResult:
    """Read `npm audit --json`: an `error` object means the registry's audit endpoint did not answer."""
    if "error" in report or "vulnerabilities" not in report:
        message = str(report.get("message") or "npm audit gave no report")
        return AuditResult(tool="npm audit", unavailable=message)
    vulnerabilities = report.get("vulnerabilities")
    rows = []
    for name, entry in (vulnerabilities if isinstance(vulnerabilities, dict) else {}).items():
        for via in entry.get("via") or []:
            if isinstance(via, dict):  # a string is a dependency through which another advisory arrives
                advisory = str(via.get("url", "")).rstrip("/").rpartition("/")[2] or str(via.get("source", ""))
                rows.append((str(name), str(entry.get("range", "")), advisory))
    metadata = report.get("metadata")
    dependencies = metadata.get("dependencies", {}) if isinstance(metadata, dict) else {}
    checked = int(dependencies.get("total", 0)) if isinstance(dependencies, dict) else 0
    return _split("npm audit", rows, checked=checked)


def run_pip_audit() -> AuditResult:
    """pip-audit over exactly what uv.lock installs (every group), without touching the environment."""
    uv = shutil.which("uv") or "uv"
    exported = subprocess.run(  # noqa: S603 - fixed arguments
        [uv, "export", "--frozen", "--format", "requirements-txt", "--no-emit-project", "--all-groups"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(exported)
    try:
        completed = subprocess.run(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "pip_audit",
                "-f",
                "json",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "-r",
                handle.name,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        return AuditResult(tool="pip-audit", unavailable="timed out after 300 s")
    finally:
        os.unlink(handle.name)
    try:
        return pip_audit_parse(json.loads(completed.stdout or "{}"))
    except json.JSONDecodeError:
        return AuditResult(tool="pip-audit", unavailable=(completed.stderr.strip().splitlines() or ["no output"])[-1])


def run_npm_audit() -> AuditResult:
    """`npm audit --omit=dev` over package-lock.json: the vendored run-time packages (sass and axe-core are tools)."""
    npm = shutil.which("npm")
    if npm is None:
        return AuditResult(tool="npm audit", unavailable="npm is not installed")
    try:
        completed = subprocess.run(  # noqa: S603 - fixed arguments
            [npm, "audit", "--omit=dev", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
    except subprocess.TimeoutExpired:
        return AuditResult(tool="npm audit", unavailable="timed out after 120 s")
    try:
        return npm_audit_parse(json.loads(completed.stdout or "{}"))
    except json.JSONDecodeError:
        return AuditResult(tool="npm audit", unavailable=(completed.stderr.strip().splitlines() or ["no output"])[-1])


def verdict(results: list[AuditResult], *, strict: bool) -> tuple[int, list[str]]:
    """(exit code, lines to print): 1 for a vulnerability not ignored, or (strict) an audit that could not run."""
    lines: list[str] = []
    code = 0
    unjustified = [key for key, why in IGNORED.items() if not why.strip()]
    if unjustified:
        lines.append(f"IGNORED entries need a reason: {', '.join(unjustified)}")
        code = 1
    for result in results:
        if result.unavailable:
            lines.append(
                f"{result.tool}: NOT CHECKED - the advisory database could not be reached: {result.unavailable}"
            )
            if strict:
                code = 1
            continue
        for package, version, vuln in result.found:
            lines.append(f"{result.tool}: {package} {version} has {vuln}")
            code = 1
        for package, version, vuln in result.ignored:
            lines.append(f"{result.tool}: {package} {version} has {vuln} (ignored: {IGNORED[vuln]})")
        if not result.found:
            lines.append(f"{result.tool}: {result.checked} packages, no known vulnerability")
    if code == 0 and any(result.unavailable for result in results):
        lines.append("Set SAFERHOMES_AUDIT_STRICT=1 to fail when an audit cannot run.")
    return code, lines


def main() -> int:
    strict = os.environ.get("SAFERHOMES_AUDIT_STRICT", "") not in ("", "0")
    code, lines = verdict([run_pip_audit(), run_npm_audit()], strict=strict)
    for line in lines:
        print(line, file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
