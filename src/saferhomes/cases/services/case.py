"""Case services: create, triage, assign, move status, parties, links, break glass; and the optimistic lock."""

from __future__ import annotations

from django.utils import timezone

from saferhomes.cases.models import Case
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent

VERSION_FIELD = "version"


def _last_change(case: Case) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk))
        .exclude(verb__endswith=".viewed")
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


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


def check_version(case: Case, version: int | None) -> None:
    """Raise DomainError if the form's `version` is older than the case's (someone saved in between)."""
    if version is None:
        return
    if int(version) != case.version:
        raise DomainError(stale_version_message(case))
