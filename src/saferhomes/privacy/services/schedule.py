"""The DPO changes the retention schedule: a rule's period (months and days), always with a reason, audited with the
period before and after. The next planned run (and every case page) uses the new period at once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.privacy.models import RetentionRule
from saferhomes.privacy.selectors.retention import period_in_words, rule_label

MANAGE_RETENTION = "privacy.manage_retention"
REASON_MIN = 10
MAX_MONTHS = 1200  # 100 years: anything longer is a typing slip, not a schedule
MAX_DAYS = 366


def rule_problems(*, months: int, days: int) -> dict[str, str]:
    """What is wrong with a period, by field (empty when it is sensible)."""
    problems: dict[str, str] = {}
    if months < 0:
        problems["months"] = "Months must be 0 or more"
    elif months > MAX_MONTHS:
        problems["months"] = "Months must be 1200 (100 years) or fewer"
    if days < 0:
        problems["days"] = "Days must be 0 or more"
    elif days > MAX_DAYS:
        problems["days"] = f"Days must be {MAX_DAYS} or fewer: use months for longer periods"
    if not problems and months == 0 and days == 0:
        problems["months"] = "Enter a period longer than 0 months and 0 days"
    return problems


def _snapshot(rule: RetentionRule) -> dict[str, object]:
    return {"months": rule.months, "days": rule.days, "period": period_in_words(rule.months, rule.days)}


def retention_rule_change(*, actor: User, rule: RetentionRule, months: int, days: int, reason: str) -> RetentionRule:
    """Change one rule's period, with a reason (10 characters or more); audited with before and after."""
    require(actor, MANAGE_RETENTION)
    reason = (reason or "").strip()
    problems = rule_problems(months=months, days=days)
    if len(reason) < REASON_MIN:
        problems["reason"] = f"Enter why the period is changing ({REASON_MIN} characters or more)"
    if problems:
        raise DomainError(field_errors=problems)
    with transaction.atomic():
        rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
        if (rule.months, rule.days) == (months, days):
            raise DomainError(field_errors={"months": "The period is the same as now: change the months or days"})
        before = _snapshot(rule)
        rule.months, rule.days = months, days
        rule.changed_by, rule.changed_at, rule.change_reason = actor, timezone.now(), reason
        rule.save(update_fields=["months", "days", "changed_by", "changed_at", "change_reason"])
        audit(
            actor=actor,
            verb=AuditVerb.RETENTION_RULE_CHANGED,
            obj=rule,
            object_label=rule_label(rule),
            before=before,
            after=_snapshot(rule),
            reason=reason,
        )
    return rule
