"""The access tables the matrix tests parametrise over, and the registry docs/access-matrix.md is generated from.

A matrix test declares its surfaces (pages, forms, endpoints) at module level as `CaseSurface` or `RoleSurface` rows,
or its whole grid as a `Grid`, and takes both its parameters and its expected answers from them. Declaring a row
registers it; `tests/access/document.py` imports every module that declares one and renders what they register, so
the document cannot say anything the tests do not assert.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# Every table declared so far, in declaration order (filled as the declaring modules are imported).
REGISTRY: list[CaseSurface | RoleSurface | Grid] = []


def _declaring_module() -> str:
    """The module a table row is written in: the first frame outside this module and the dataclass machinery."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__") in (__name__, None):
        frame = frame.f_back
    return str(frame.f_globals.get("__name__", "?"))


@dataclass(frozen=True)
class _Registered:
    """Rows register themselves once built, remembering the module that declares them."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "module", _declaring_module())
        REGISTRY.append(self)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RoleSurface(_Registered):
    """A page or endpoint whose answer depends on the role alone: `ok` for the allowed roles, `denied` for the others.

    `allowed` is a set of roles, a permission name (the roles holding it in accounts.roles), or None (every role).
    """

    area: str
    name: str
    method: str
    path: str
    allowed: frozenset[str] | str | None
    ok: int = 200
    denied: int = 403
    tried: frozenset[str] | None = None  # the roles the test tries (None: every role)
    module: str = field(default="", compare=False)

    def roles(self) -> list[str]:
        """The roles the test tries, in the order of accounts.roles.Role."""
        from saferhomes.accounts.roles import Role

        return [str(role) for role in Role if self.tried is None or role in self.tried]

    def allows(self, role: str) -> bool:
        """Whether `role` is let in."""
        from saferhomes.accounts.roles import ROLE_PERMISSIONS

        if self.allowed is None:
            return True
        if isinstance(self.allowed, str):
            return self.allowed in ROLE_PERMISSIONS[role]
        return role in self.allowed

    def expected(self, role: str) -> int:
        """The status `role` must get."""
        return self.ok if self.allows(role) else self.denied

    def url(self, **parts: object) -> str:
        """The path with its {placeholders} filled in."""
        return self.path.format(**parts)


@dataclass(frozen=True)
class CaseSurface(_Registered):
    """A page or endpoint of one case, answered by the case access matrix (tests/cases/matrix.py `expected_status`):
    404 when the case is invisible, `denied` when visible without `perm`, else `ok`. `relations` are the standings to
    the case the test tries (see tests/cases/matrix.py RELATIONS)."""

    area: str
    name: str
    method: str
    path: str
    perm: str | None
    ok: int = 200
    denied: int = 403
    relations: tuple[str, ...] = ("assigned", "other_team")
    module: str = field(default="", compare=False)

    def expected(self, role: str, sensitivity: str, relation: str) -> int:
        """The status `role` standing in `relation` to a case of `sensitivity` must get."""
        from tests.cases.matrix import expected_status

        return expected_status(role, sensitivity, relation, perm=self.perm, ok=self.ok, denied=self.denied)

    def params(self) -> list[object]:
        """Every role x sensitivity x one of `relations`, as pytest params."""
        from tests.cases.matrix import page_matrix

        return page_matrix(self.relations)

    def url(self, **parts: object) -> str:
        """The path with its {placeholders} filled in."""
        return self.path.format(**parts)


@dataclass(frozen=True)
class Grid(_Registered):
    """A whole matrix in one table: every row x column, each cell the answer a test asserts (`cell(row, column)`)."""

    area: str
    name: str
    rows: Sequence[str]
    columns: Sequence[str]
    cell: Callable[[str, str], object]
    note: str = ""
    module: str = field(default="", compare=False)
