"""docs/access-matrix.md, rendered from the access tables the matrix tests parametrise over (tests/access/surfaces.py).

`discover()` imports every test module that declares a table; `render()` turns what they registered into Markdown.
`make access-matrix` writes the file (scripts/access_matrix.py); tests/access/test_document.py fails when the
committed file differs from what the tables render.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from tests.access.surfaces import REGISTRY, CaseSurface, Grid, RoleSurface

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "access-matrix.md"
# A module declares a table when it builds one of these at module level.
_DECLARES = re.compile(r"\b(CaseSurface|RoleSurface|Grid)\(")


def declaring_modules(root: Path = ROOT) -> list[str]:
    """The dotted names of every tests module that declares an access table, in path order."""
    found = []
    for path in sorted((root / "tests").rglob("*.py")):
        if path.parent.name == "access" or not _DECLARES.search(path.read_text(encoding="utf-8")):
            continue
        found.append(".".join(path.relative_to(root).with_suffix("").parts))
    return found


# A test parametrised over staff roles (not a party's role on a case).
_ROLE_TEST = re.compile(r"parametrize\(\s*\(?\"role\"(?![^\n]*PartyRole)")


# A test module asserting the visibility table itself (tests/cases/matrix.py `visible`), rendered in *Who sees a case*.
_USES_VISIBILITY = re.compile(r"from tests\.cases\.matrix import [^\n]*\bvisible\b")


def untabulated_role_tests(root: Path = ROOT) -> dict[str, int]:
    """Test modules parametrised over roles that neither declare an access table nor assert the visibility table:
    module path -> how many such tests."""
    declaring = set(declaring_modules(root))
    found = {}
    for path in sorted((root / "tests").rglob("test_*.py")):
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        text = path.read_text(encoding="utf-8")
        count = len(_ROLE_TEST.findall(text))
        if count and module not in declaring and not _USES_VISIBILITY.search(text):
            found[str(path.relative_to(root))] = count
    return found


def discover() -> list[CaseSurface | RoleSurface | Grid]:
    """Import every declaring module and return the tables they registered, grouped by module in path order."""
    modules = declaring_modules()
    for name in modules:
        importlib.import_module(name)
    order = {name: n for n, name in enumerate(modules)}
    return sorted((t for t in REGISTRY if t.module in order), key=lambda table: order[table.module])


def _roles() -> list[str]:
    from saferhomes.accounts.roles import Role

    return [str(role) for role in Role]


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _codes(values: Iterable[int]) -> str:
    return " / ".join(str(code) for code in sorted(set(values)))


def _where(module: str) -> str:
    return f"`{module.replace('.', '/')}.py`"


def _permissions_section(tables: Sequence[CaseSurface | RoleSurface | Grid]) -> list[str]:
    from saferhomes.accounts.roles import ROLE_PERMISSIONS

    perms = sorted(
        {t.perm for t in tables if isinstance(t, CaseSurface) and t.perm}
        | {t.allowed for t in tables if isinstance(t, RoleSurface) and isinstance(t.allowed, str)}
    )
    rows = [[f"`{perm}`", *("✓" if perm in ROLE_PERMISSIONS[role] else "—" for role in _roles())] for perm in perms]
    return [
        "## Roles and the permissions the tables name",
        "",
        "From `saferhomes.accounts.roles.ROLE_PERMISSIONS`, which the tests read too.",
        "",
        *_table(["Permission", *_roles()], rows),
    ]


def _visibility_section() -> list[str]:
    from tests.cases.matrix import RELATIONS, SENSITIVITIES, VISIBLE

    rows = [
        [role, *(", ".join(r for r in RELATIONS if r in VISIBLE[role][s]) or "—" for s in SENSITIVITIES)]
        for role in _roles()
    ]
    return [
        "## Who sees a case",
        "",
        "`tests/cases/matrix.py` `VISIBLE` (asserted whole by `tests/cases/test_selectors.py`): for each role and",
        "sensitivity, the standings to the case under which the case is visible. Standings: `assigned` (the case's",
        "officer), `same_team` (in the case's team), `other_team`, `named` (named on a restricted case while in",
        "another team), `grant` (an unexpired access grant while in another team).",
        "",
        *_table(["Role", *SENSITIVITIES], rows),
        "A page or endpoint of a case answers **404** when the case is invisible (never a hint that it exists), its",
        "*denied* status (403 unless stated) when the case is visible but the role lacks the permission, and its *ok*",
        "status otherwise. A data protection officer reads a case opened to them by a grant (`cases.view_case`), but",
        "does not work on it.",
        "",
    ]


def _case_rows(surfaces: Sequence[CaseSurface]) -> list[list[object]]:
    from tests.cases.matrix import SENSITIVITIES

    rows: list[list[object]] = []
    for s in surfaces:
        cells = [
            _codes(s.expected(role, sens, rel) for sens, rel in itertools.product(SENSITIVITIES, s.relations))
            for role in _roles()
        ]
        rows.append(
            [s.name, f"`{s.method} {s.path}`", f"`{s.perm}`" if s.perm else "—", *cells, ", ".join(s.relations)]
        )
    return rows


def _role_rows(surfaces: Sequence[RoleSurface]) -> list[list[object]]:
    rows: list[list[object]] = []
    for s in surfaces:
        if s.allowed is None:
            allowed = "every role"
        elif isinstance(s.allowed, str):
            allowed = f"`{s.allowed}`"
        else:
            allowed = ", ".join(sorted(s.allowed))
        tried = s.roles()
        cells = (s.expected(role) if role in tried else "not tried" for role in _roles())
        rows.append([s.name, f"`{s.method} {s.path}`", allowed, *cells])
    return rows


def _area_section(area: str, tables: Sequence[CaseSurface | RoleSurface | Grid]) -> list[str]:
    lines = [f"## {area}", ""]
    modules = sorted({t.module for t in tables})
    lines += ["Tested in " + ", ".join(_where(m) for m in modules) + ".", ""]
    cases = [t for t in tables if isinstance(t, CaseSurface)]
    if cases:
        header = ["Surface", "Request", "Needs", *_roles(), "Standings tried"]
        lines += [
            "Case pages and endpoints: each cell is every status the role gets over normal, restricted and DA cases",
            "under the standings tried (404 where the case is invisible to it; see *Who sees a case*).",
            "",
            *_table(header, _case_rows(cases)),
        ]
    roles = [t for t in tables if isinstance(t, RoleSurface)]
    if roles:
        lines += [*_table(["Surface", "Request", "Allowed", *_roles()], _role_rows(roles))]
    for grid in (t for t in tables if isinstance(t, Grid)):
        lines += [f"### {grid.name}", ""]
        if grid.note:
            lines += [grid.note, ""]
        rows = [[row, *(grid.cell(row, column) for column in grid.columns)] for row in grid.rows]
        lines += _table(["", *grid.columns], rows)
    return lines


def _full_grids_section(tables: Sequence[CaseSurface | RoleSurface | Grid]) -> list[str]:
    from tests.cases.matrix import SENSITIVITIES

    rules: dict[tuple[str | None, int, int, tuple[str, ...]], list[CaseSurface]] = {}
    for s in tables:
        if isinstance(s, CaseSurface):
            rules.setdefault((s.perm, s.ok, s.denied, s.relations), []).append(s)
    if not rules:
        return []
    lines = [
        "## Every status asserted on a case surface",
        "",
        "The case surfaces above grouped by rule (permission, ok and denied status, standings tried): each grid is",
        "every role x sensitivity x standing the tests build, with the status they assert.",
        "",
    ]
    for (perm, ok, denied, relations), members in rules.items():
        needs = f"`{perm}`" if perm else "seeing the case"
        lines += [f"### {needs} → {ok}, denied {denied}; standings {', '.join(relations)}", ""]
        lines += ["Surfaces: " + "; ".join(f"{s.area}: {s.name}" for s in members) + ".", ""]
        columns = list(itertools.product(SENSITIVITIES, relations))
        first = members[0]
        rows = [[role, *(first.expected(role, sens, rel) for sens, rel in columns)] for role in _roles()]
        lines += _table(["Role", *(f"{sens} / {rel}" for sens, rel in columns)], rows)
    return lines


def _untabulated_section() -> list[str]:
    modules = untabulated_role_tests()
    if not modules:
        return []
    return [
        "## Role tests not yet in this document",
        "",
        "These modules parametrise tests over roles without declaring their table in `tests/access/surfaces.py` form,",
        "so what they assert is not shown above (many test a service refusing with PermissionDenied rather than a page",
        "or endpoint). Moving a table into that form adds it here automatically.",
        "",
        *_table(["Test module", "Role-parametrised tests"], [[f"`{m}`", n] for m, n in modules.items()]),
    ]


def render(tables: Sequence[CaseSurface | RoleSurface | Grid] | None = None) -> str:
    """The whole document for `tables` (by default: every table the matrix tests declare)."""
    tables = discover() if tables is None else tables
    areas: dict[str, list[CaseSurface | RoleSurface | Grid]] = {}
    for table in tables:
        areas.setdefault(table.area, []).append(table)
    lines = [
        "# Access matrix",
        "",
        "<!-- Generated by `make access-matrix` from the tables the access-matrix tests parametrise over",
        "(tests/access/surfaces.py). Do not edit by hand: tests/access/test_document.py fails when this file differs",
        "from what those tables generate. -->",
        "",
        "Who may open which staff page and API endpoint, as the tests assert it: every row below is a row of a test's",
        "own table, and every status is the one that test expects. Roles: "
        + ", ".join(f"`{role}`" for role in _roles())
        + ".",
        "",
        *_permissions_section(tables),
        *_visibility_section(),
    ]
    for area, members in areas.items():
        lines += _area_section(area, members)
    lines += _full_grids_section(tables)
    lines += _untabulated_section()
    return "\n".join(lines).rstrip("\n") + "\n"


def write(path: Path = DOCUMENT) -> bool:
    """Write the document; True when it changed."""
    text = render()
    changed = not path.exists() or path.read_text(encoding="utf-8") != text
    if changed:
        path.write_text(text, encoding="utf-8")
    return changed
