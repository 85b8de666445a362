"""Closures waiting for a manager's approval (DESIGN.md §3: high-risk and DA closures need one; issue 14 item 11):
the managers' queue, its dashboard count, and who is told when one is put forward."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Status
from saferhomes.cases.rules import APPROVAL_CASE_TYPES, APPROVAL_PRIORITIES, APPROVAL_SENSITIVITIES
from saferhomes.cases.selectors.case import LIST_FIELDS, LIST_RELATED, cases_visible_to
from saferhomes.core.permissions import require

APPROVE_CLOSURE = "cases.approve_closure"
QUEUE_FIELDS = (*LIST_FIELDS, "closure_requested_at", "closure_requested_by_id")


def needs_approval_q() -> Q:
    """The database form of `rules.needs_manager_approval`."""
    return (
        Q(priority__in=APPROVAL_PRIORITIES)
        | Q(case_type__in=APPROVAL_CASE_TYPES)
        | Q(sensitivity__in=APPROVAL_SENSITIVITIES)
    )


def closures_awaiting_approval(*, actor: User) -> QuerySet[Case]:
    """Cases the actor may see, put forward for closure, needing a manager's approval and not yet approved; the
    longest waiting first. (A manager cannot approve a closure they put forward: the page says so.)"""
    require(actor, APPROVE_CLOSURE)
    return (
        cases_visible_to(actor=actor)
        .filter(needs_approval_q(), status=Status.CLOSING, closure_approved_at__isnull=True)
        .select_related(*LIST_RELATED)
        .only(*QUEUE_FIELDS)
        .order_by("closure_requested_at", "id")
    )


def approvers_of(*, case: Case, permission: str, requested_by: User | None) -> list[User]:
    """Who to tell that something on `case` waits for `permission`'s approval: active staff with an email holding it
    through their role, who may see the case, except whoever put it forward (they may not approve their own)."""
    candidates = User.objects.with_perm(
        permission, is_active=True, include_superusers=False, backend="django.contrib.auth.backends.ModelBackend"
    )
    approvers = []
    for user in candidates.exclude(email="").order_by("username"):
        if requested_by is not None and user.pk == requested_by.pk:
            continue
        if cases_visible_to(actor=user).filter(pk=case.pk).exists():
            approvers.append(user)
    return approvers


def closure_approvers(*, case: Case, requested_by: User | None) -> list[User]:
    """Who to tell that `case`'s closure waits for approval (see `approvers_of`)."""
    return approvers_of(case=case, permission=APPROVE_CLOSURE, requested_by=requested_by)
