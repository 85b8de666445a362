"""Every disclosure of personal data outside the landlord is recorded here, once, by the service that discloses
(a referral, the MARAC form, a share with a partner, a partner's read): what, to whom, when, why, under which
agreement or lawful basis, by whom (policy: "sharing information only with other organisations that can help ...
whilst observing data protection laws"). Callers run inside their own transaction, so the disclosure and the act
are kept together or not at all."""

from __future__ import annotations

from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.referrals.models import (
    Agency,
    CaseShare,
    Disclosure,
    DisclosureSource,
    LawfulBasis,
    Referral,
    SharingAgreement,
)


def disclosure_record(
    *,
    actor: User,
    agency: Agency,
    source: str,
    what: str,
    reason: str,
    lawful_basis: str,
    case: Case | None = None,
    agreement: SharingAgreement | None = None,
    referral: Referral | None = None,
    share: CaseShare | None = None,
    request: HttpRequest | None = None,
) -> Disclosure:
    """Record a disclosure and audit it. The caller has checked the actor may disclose; this checks the record is
    whole (a basis, words for what and why) so the log never holds a disclosure nobody can account for."""
    what, reason = what.strip(), reason.strip()
    errors = {}
    if source not in DisclosureSource.values:
        errors["source"] = "Say how the information was disclosed"
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Select the lawful basis for sharing"
    if not what:
        errors["what"] = "Say what was disclosed"
    if not reason:
        errors["reason"] = "Say why it was disclosed"
    if errors:
        raise DomainError(field_errors=errors)
    disclosure = Disclosure.objects.create(
        case=case,
        agency=agency,
        source=source,
        what=what,
        reason=reason,
        lawful_basis=lawful_basis,
        agreement=agreement,
        referral=referral,
        share=share,
        disclosed_by=actor,
    )
    audit(
        actor=actor,
        verb=AuditVerb.DISCLOSURE_RECORDED,
        obj=disclosure,
        object_label=f"{case.reference if case else 'No case'} to {agency.name}",
        after={"source": source, "agency": agency.code, "lawful_basis": lawful_basis},
        reason=reason,
        request=request,
    )
    return disclosure
