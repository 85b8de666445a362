"""The case access matrix, shared by every test of a case page or endpoint (selectors, views, API, other tabs).

One table says who may see which case: every role x sensitivity x relation to the case. Tests build the case
with `case_for(user, sensitivity=..., relation=...)` and compare what they get with `expected_status(...)`.

    @pytest.mark.parametrize(("role", "sensitivity", "relation"), page_matrix())
    def test_contacts_tab_access(role, sensitivity, relation, make_staff):
        user = make_staff(role)
        case = case_for(user, sensitivity=sensitivity, relation=relation)
        response = client_verified_as(user).get(f"/staff/cases/{case.reference}/contacts/")
        assert response.status_code == expected_status(role, sensitivity, relation, perm="cases.view_case")
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from saferhomes.accounts.models import Team, User
from saferhomes.accounts.roles import ROLE_PERMISSIONS, Role
from saferhomes.cases.models import AccessGrant, Case, CaseType, Sensitivity
from tests.cases.factories import CaseFactory
from tests.factories import TeamFactory, UserFactory

ROLES = [str(role) for role in Role]
SENSITIVITIES = [str(s) for s in Sensitivity]
# How the user stands to the case: assigned to it; in its team; in another team; named on it (restricted_to) while
# in another team; holding an unexpired break-glass grant while in another team.
RELATIONS = ["assigned", "same_team", "other_team", "named", "grant"]

_ALL = set(RELATIONS)
_MINE = {"assigned", "same_team", "grant"}
_NAMED = {"assigned", "named", "grant"}
# role -> sensitivity -> relations under which the case is visible (DESIGN.md §1 and §6; selectors.py docstring).
VISIBLE: dict[str, dict[str, set[str]]] = {
    Role.OFFICER: {"normal": _MINE, "restricted": _NAMED, "da": {"grant"}},
    Role.COORDINATOR: {"normal": _ALL, "restricted": _NAMED, "da": {"grant"}},
    Role.DA_SPECIALIST: {"normal": _MINE, "restricted": _NAMED, "da": {"assigned", "same_team", "named", "grant"}},
    Role.MANAGER: {"normal": _ALL, "restricted": _NAMED, "da": _ALL},
    # Partners see no case through the staff pages; what is shared with their agency: tests/referrals/partner_matrix.py
    Role.PARTNER: {"normal": set(), "restricted": set(), "da": set()},
    # The DPO sees no case "unless granted" (issue 19 part 5, ADR 0020): access a manager gave them opens that case.
    Role.DPO: {"normal": {"grant"}, "restricted": {"grant"}, "da": {"grant"}},
    Role.ADMIN: {"normal": set(), "restricted": set(), "da": set()},
}


def visible(role: str, sensitivity: str, relation: str) -> bool:
    """Whether a user in `role` standing in `relation` to a case of `sensitivity` may see it."""
    return relation in VISIBLE[role][sensitivity]


def has_perm(role: str, perm: str) -> bool:
    """Whether `role` holds the named permission (from accounts.roles)."""
    return perm in ROLE_PERMISSIONS[role]


def expected_status(
    role: str, sensitivity: str, relation: str, *, perm: str | None = None, ok: int = 200, denied: int = 403
) -> int:
    """404 when the case is invisible (never revealed), `denied` when visible but `perm` is missing, else `ok`."""
    if not visible(role, sensitivity, relation):
        return 404
    # A DPO sees a case only through access given to them, and then may read it (ADR 0020), though not work on it.
    reads_by_grant = role == Role.DPO and perm == "cases.view_case"
    if perm is not None and not has_perm(role, perm) and not reads_by_grant:
        return denied
    return ok


def full_matrix() -> list[Any]:
    """Every role x sensitivity x relation, as pytest params with readable ids."""
    return [
        pytest.param(role, sensitivity, relation, id=f"{role}-{sensitivity}-{relation}")
        for role, sensitivity, relation in itertools.product(ROLES, SENSITIVITIES, RELATIONS)
    ]


def page_matrix(relations: tuple[str, ...] = ("assigned", "other_team")) -> list[Any]:
    """Every role x sensitivity for a page, under the relations that decide most (assigned; a stranger)."""
    return [
        pytest.param(role, sensitivity, relation, id=f"{role}-{sensitivity}-{relation}")
        for role, sensitivity, relation in itertools.product(ROLES, SENSITIVITIES, relations)
    ]


def _other_team() -> Team:
    return TeamFactory.create(name="Another neighbourhood team")


def _other_officer(team: Team) -> User:
    officer: User = UserFactory.create(username=f"other_officer_{team.pk}", role=Role.DA_SPECIALIST, team=team)
    return officer


def case_for(user: User, *, sensitivity: str, relation: str, **fields: Any) -> Case:
    """A case of `sensitivity` standing in `relation` to `user` (see RELATIONS); `fields` go to the factory."""
    if user.team is None:
        user.team = TeamFactory.create()
        user.save(update_fields=["team"])
    other_team = _other_team()
    case_team = user.team if relation == "same_team" else other_team
    officer = user if relation == "assigned" else _other_officer(case_team)
    fields.setdefault("case_type", CaseType.DA if sensitivity == Sensitivity.DA else CaseType.ASB)
    case: Case = CaseFactory.create(sensitivity=sensitivity, team=case_team, assigned_officer=officer, **fields)
    if relation == "named":
        case.restricted_to.add(user)
    if relation == "grant":
        AccessGrant.objects.create(
            case=case, user=user, reason="Matrix test grant", expires_at=timezone.now() + dt.timedelta(hours=1)
        )
    return case
