"""Locking shared by every service that changes a case: the row lock, and optimistic locking by `version`.

Optimistic locking: a form sends the version it was drawn from, and `check_version` refuses the save if someone else
saved in between, naming their change from the audit trail, so two officers never overwrite each other silently.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases import rules
from saferhomes.cases.models import Case
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.core.permissions import require

CASE_CLOSED = "This case is closed. Reopen it before recording anything new on it."


def _last_change(case: Case) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk))
        .exclude(verb__endswith=".viewed")
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def _describe_change(change: AuditEvent) -> str:
    before, after = change.before or {}, change.after or {}
    changed = [
        key
        for key in sorted(set(before) | set(after))
        if key not in {"version", "updated_at"} and before.get(key) != after.get(key)
    ]
    verb = change.verb.split(".", 1)[-1].replace("_", " ")
    if not changed:
        return f"{verb}."
    return f"{verb} ({', '.join(name.removesuffix('_id').replace('_', ' ') for name in changed)})."


def stale_version_message(case: Case) -> str:
    """'This case was changed by X at HH:MM while you were editing…', naming the last change from the audit trail."""
    change = _last_change(case)
    if change is None:
        who, when, what = "someone else", "", ""
    else:
        who = (change.actor.get_full_name() if change.actor else "") or change.actor_label
        when = f" at {timezone.localtime(change.at):%H:%M}"
        what = _describe_change(change)
    message = f"This case was changed by {who}{when} while you were editing. Your changes were not saved"
    return f"{message}; here is what changed: {what}" if what else f"{message}. Check the case and try again."


def check_version(case: Case, version: int | None) -> None:
    """Raise DomainError if the form's `version` is not the case's (someone saved in between); None skips."""
    if version is None:
        return
    if int(version) != case.version:
        raise DomainError(stale_version_message(case))


def case_locked_for(*, actor: User, case: Case) -> Case:
    """The case re-read under a row lock if `actor` may see it; Http404 otherwise."""
    if not cases_visible_to(actor=actor).filter(pk=case.pk).exists():
        raise Http404("No such case.")
    return Case.objects.select_for_update().get(pk=case.pk)


def case_version_bump(case: Case) -> None:
    """Bump the version of a case whose own row did not change (a party or link was added)."""
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_at=timezone.now())
    case.refresh_from_db(fields=["version", "updated_at"])


def case_locked_workable(*, actor: User, case: Case) -> Case:
    """The case, locked for this transaction, if `actor` may work on it; Http404 if they cannot see it."""
    require(actor, WORK_CASE)
    locked = case_locked_for(actor=actor, case=case)
    if not rules.case_workable(locked):
        raise DomainError(CASE_CLOSED)
    return locked


def case_touch(*, locked: Case, case: Case, **changes: Any) -> None:
    """Save `changes` to the case and bump its version; the caller's instance sees the new values."""
    changes["updated_at"] = timezone.now()
    Case.objects.filter(pk=locked.pk).update(version=F("version") + 1, **changes)
    locked.refresh_from_db(fields=["version", "updated_at", *changes])
    for name in ["version", *changes]:
        setattr(case, name, getattr(locked, name))
