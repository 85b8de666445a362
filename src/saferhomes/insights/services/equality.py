"""Recording equality monitoring answers (issue 18 part 5): optional, each question with "prefer not to say"."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Party
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.insights.models import EqualityMonitoring
from saferhomes.insights.selectors.equality import MONITORED_ROLES, QUESTIONS, VIEW_EQUALITY


def equality_record(*, actor: User, party: Party, answers: dict[str, str]) -> EqualityMonitoring:
    """Keep a reporter's, victim's or alleged perpetrator's answers (blank: not asked or not answered). The audit
    records which questions changed, not the answers."""
    require(actor, VIEW_EQUALITY)
    if party.role not in MONITORED_ROLES:
        raise DomainError("Equality questions are asked of reporters, victims and alleged perpetrators only")
    problems = {
        field: f"Choose an answer to “{QUESTIONS[field][0]}” from the list"
        for field, value in answers.items()
        if field not in QUESTIONS or (value and value not in QUESTIONS[field][1].values)
    }
    if problems:
        raise DomainError(field_errors=problems)
    with transaction.atomic():
        monitoring, created = EqualityMonitoring.objects.select_for_update(of=("self",)).get_or_create(
            party=party, defaults={"recorded_by": actor}
        )
        before = snapshot(monitoring, QUESTIONS)
        for field, value in answers.items():
            setattr(monitoring, field, value)
        monitoring.recorded_by = actor
        monitoring.recorded_at = timezone.now()
        monitoring.save()
        after = snapshot(monitoring, QUESTIONS)
        audit(
            actor=actor,
            verb=AuditVerb.EQUALITY_RECORDED,
            obj=monitoring,
            object_label=f"{party.case.reference}: {party.get_role_display().lower()}",
            after={"questions_changed": sorted(f for f in QUESTIONS if before.get(f) != after.get(f) or created)},
        )
    return monitoring
