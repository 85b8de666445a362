"""docs/access-matrix.md says exactly what the access-matrix tests assert: it is rendered from their own tables."""

from __future__ import annotations

import re

from tests.access.document import DOCUMENT, ROOT, declaring_modules, discover, render
from tests.access.surfaces import CaseSurface, RoleSurface


def test_the_committed_access_matrix_is_what_the_tests_tables_generate() -> None:
    committed = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
    assert committed == render(), "docs/access-matrix.md differs from the matrix tests' tables: run make access-matrix"


def test_every_declaring_module_contributes_its_tables() -> None:
    tables = discover()
    assert {table.module for table in tables} == set(declaring_modules())
    assert len(tables) == len({(t.module, t.area, t.name) for t in tables}), "two rows share a name in one area"


def test_a_changed_row_changes_the_document() -> None:
    row = CaseSurface("Probe", "Close a case", "POST", "/staff/cases/{ref}/closure/", "cases.close_case", ok=302)
    text = render([row])
    assert "| Close a case | `POST /staff/cases/{ref}/closure/` | `cases.close_case` | 302 / 404 |" in text
    refused = RoleSurface("Probe", "Calendar", "GET", "/staff/calendar/", frozenset({"admin"}))
    assert "| Calendar | `GET /staff/calendar/` | admin | 403 | 403 | 403 | 403 | 403 | 403 | 200 |" in render(
        [refused]
    )


def test_case_matrix_tests_take_their_expected_status_from_a_declared_surface() -> None:
    # A direct call of expected_status() would assert something the document does not show.
    direct = re.compile(r"\bexpected_status\(")
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.parent.name != "access" and path != ROOT / "tests/cases/matrix.py" and direct.search(path.read_text())
    ]
    assert offenders == []
