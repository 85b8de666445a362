"""Who may do what to a case: the permission codenames, and what a case page may offer this actor.

`case_permissions` joins the permission an actor holds with `rules.case_workable`, so views, templates and the API
ask one place whether a case can be worked on, and never re-derive it from `status`.
"""

from __future__ import annotations

from dataclasses import dataclass

from saferhomes.accounts.models import User
from saferhomes.cases import rules

VIEW_CASE = "cases.view_case"
ADD_CASE = "cases.add_case"
TRIAGE_CASE = "cases.triage_case"
WORK_CASE = "cases.work_case"
ASSIGN_CASE = "cases.assign_case"
VIEW_DA = "cases.view_da_cases"
BREAK_GLASS = "cases.break_glass"


@dataclass(frozen=True)
class CasePermissions:
    """What a page may offer on one case for one actor."""

    workable: bool  # the case takes new work (rules.case_workable)
    works_cases: bool  # the actor holds cases.work_case, whatever state the case is in
    can_work: bool  # both: record on it, add people, move it along
    can_assign: bool
    can_triage: bool


def case_permissions(*, actor: User, case: rules.HasStatus) -> CasePermissions:
    """The actor's permissions on this case, each already combined with whether the case may be worked on."""
    workable = rules.case_workable(case)
    works_cases = actor.has_perm(WORK_CASE)
    return CasePermissions(
        workable=workable,
        works_cases=works_cases,
        can_work=works_cases and workable,
        can_assign=actor.has_perm(ASSIGN_CASE) and workable,
        can_triage=actor.has_perm(TRIAGE_CASE) and case.status == rules.NEW,
    )
