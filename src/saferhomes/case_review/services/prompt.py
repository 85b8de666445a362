"""The case page's ASB Case Review prompt (issue 17 part 6): the one-click record that the officer told the reporter
about the Case Review. Audited, on the case timeline; the prompt then says when and who told them."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.case_review.models import CaseReviewTold
from saferhomes.cases.models import Case
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.case import case_review_prompt_for
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require


def case_review_told_record(*, actor: User, case: Case, request: HttpRequest | None = None) -> CaseReviewTold:
    """Record that the actor told the case's reporter about the ASB Case Review (once the case prompts it)."""
    require(actor, WORK_CASE)
    prompt = case_review_prompt_for(case=case)
    if prompt is None:
        raise DomainError("This case does not meet the conditions for telling the reporter about the Case Review")
    with transaction.atomic():
        told = CaseReviewTold.objects.create(case=case, told_by=actor, prompt=prompt.message[:250])
        audit(actor=actor, verb=AuditVerb.CASE_REVIEW_TOLD, obj=case, object_label=case.reference, request=request)
    return told


def case_review_told_last(*, case: Case) -> CaseReviewTold | None:
    return CaseReviewTold.objects.select_related("told_by").filter(case=case).first()
