"""A DA case closes only after the DA checklist, or when a manager records why it was never done (issue 14 item 8;
the closure check is `risk.extensions.da_checklist_closure_blockers`)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, CaseType
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.risk.models import ChecklistWaiver
from saferhomes.risk.selectors.assessments import da_checklist_missing
from saferhomes.risk.services.assessments import REASON_MAX, _visible_open

WAIVE_DA_CHECKLIST = "risk.waive_da_checklist"
WAIVER_FIELDS = ["case_id", "reason", "recorded_by_id", "recorded_at"]


def da_checklist_waive(*, actor: User, case: Case, reason: str, request: HttpRequest | None = None) -> ChecklistWaiver:
    """A manager records why a DA case closes without the DA checklist ever done (unblocks closure); audited."""
    require(actor, WAIVE_DA_CHECKLIST)
    reason = reason.strip()
    with transaction.atomic():
        found = _visible_open(actor=actor, case=case, doing="recording why the DA checklist was not done")
        Case.objects.select_for_update().filter(pk=found.pk).first()
        if found.case_type != CaseType.DA:
            raise DomainError("Only a domestic abuse case needs the DA checklist before it closes")
        if not da_checklist_missing(case=found):
            raise DomainError("The DA checklist has been done, or a manager has already recorded why not")
        if not reason:
            raise DomainError(field_errors={"reason": "Enter why the DA checklist was not done"})
        if len(reason) > REASON_MAX:
            raise DomainError(field_errors={"reason": f"The reason must be {REASON_MAX:,} characters or fewer"})
        waiver = ChecklistWaiver.objects.create(case=found, reason=reason, recorded_by=actor)
        audit(
            actor=actor,
            verb=AuditVerb.RISK_DA_CHECKLIST_WAIVED,
            obj=found,
            after=snapshot(waiver, WAIVER_FIELDS),
            reason=reason,
            request=request,
        )
    return waiver
