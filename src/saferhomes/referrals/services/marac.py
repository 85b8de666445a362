"""Producing the MARAC referral form (issue 15 item 3): when a DA checklist's MARAC decision says a referral is
required, the officer checks the form pre-filled from the case (`referrals.selectors.marac.marac_facts`), adds why,
what the victim wants and the immediate safety actions, chooses the MARAC coordinator and the lawful basis, and
produces it.

`marac_form_produce` draws the PDF first (`core.pdf.render_pdf`), so a failure there records nothing; then, in one
transaction: the Referral (kind marac) to the coordinator, the PDF kept in private storage (`MaracForm`), the
disclosure (`disclosure_record`, source marac_form), the decision's `referral_made_on` through the risk service
(`marac_referral_made`, which clears the closure blocker) and the audit events. Any failure after the file was stored
removes it again. Only staff in the DA permission set may do it (anyone else gets a 404: they never learn of it).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.cases.rules import case_workable
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.cases.storage import evidence_storage
from saferhomes.core import pdf
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.models import (
    Agency,
    Consent,
    DisclosureSource,
    LawfulBasis,
    MaracForm,
    Referral,
    ReferralKind,
    SharingAgreement,
)
from saferhomes.referrals.selectors.marac import (
    ASSESS_RISK,
    REFER_CASE,
    MaracFacts,
    agreements_in_force,
    marac_agencies,
    marac_facts,
    may_see_marac,
)
from saferhomes.referrals.services.disclosures import disclosure_record
from saferhomes.risk.models import MaracConsent, MaracDecision
from saferhomes.risk.services.assessments import marac_referral_made

TEXT_MAX = 5_000
TEMPLATE = "referrals/pdf/marac_form.html"
WHAT_IS_SHARED = (
    "MARAC referral form: the victim's name, date of birth, address, contact details and safe-contact instructions "
    "(including ways never to use), language and vulnerabilities; the alleged perpetrator; children in the household; "
    "the risk assessment result and grounds; police call-outs; the consent position; previous MARAC referrals; the "
    "referring officer's reason, what the victim wants and the immediate safety actions."
)
CONSENT_FROM_MARAC = {
    MaracConsent.GIVEN: Consent.GIVEN,
    MaracConsent.REFUSED: Consent.REFUSED,
    MaracConsent.NOT_ASKED: Consent.NOT_SOUGHT,
}


def _checked_words(errors: dict[str, str], name: str, value: str, *, required: str = "") -> str:
    value = value.strip()
    if required and not value:
        errors[name] = required
    elif len(value) > TEXT_MAX:
        errors[name] = f"This must be {TEXT_MAX:,} characters or fewer"
    return value


def _validated(
    *,
    decision: MaracDecision,
    agency: Agency | None,
    reason: str,
    victim_wants: str,
    safety_actions: str,
    lawful_basis: str,
    consent_note: str,
    agreement: SharingAgreement | None,
) -> tuple[str, str, str, str]:
    """The officer's words, stripped; DomainError naming each field that is wrong."""
    errors: dict[str, str] = {}
    if agency is None or not marac_agencies().filter(pk=agency.pk).exists():
        errors["agency"] = "Choose the MARAC coordinator: an agency entitled to domestic abuse information"
    reason = _checked_words(errors, "reason", reason, required="Enter why the case is referred to MARAC")
    victim_wants = _checked_words(errors, "victim_wants", victim_wants)
    safety_actions = _checked_words(
        errors, "safety_actions", safety_actions, required="Enter the immediate safety actions taken or planned"
    )
    consented = decision.consent == MaracConsent.GIVEN
    consent_note = _checked_words(
        errors,
        "consent_note",
        consent_note,
        required="" if consented else "Enter why the referral is made without the victim's consent",
    )
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Select the lawful basis for sharing"
    elif lawful_basis == LawfulBasis.CONSENT and not consented:
        errors["lawful_basis"] = "The victim has not consented to sharing with MARAC: choose another lawful basis"
    if agreement is not None:
        in_force = agreements_in_force().filter(pk=agreement.pk, agencies=agency).exists() if agency else False
        if not in_force:
            errors["agreement"] = "Choose an information-sharing agreement in force that covers this MARAC"
    if errors:
        raise DomainError(field_errors=errors)
    return reason, victim_wants, safety_actions, consent_note


def marac_form_render(*, facts: MaracFacts, details: dict[str, object]) -> bytes:
    """The form as PDF bytes (also used by the demo data and the screenshot)."""
    return pdf.render_pdf(
        TEMPLATE,
        {"facts": facts, "details": details},
        title=f"MARAC referral form: {facts.case.reference}",
        marking="OFFICIAL-SENSITIVE",
    )


def marac_form_produce(
    *,
    actor: User,
    case: Case,
    decision: MaracDecision,
    agency: Agency | None,
    reason: str,
    safety_actions: str,
    lawful_basis: str,
    victim_wants: str = "",
    consent_note: str = "",
    agreement: SharingAgreement | None = None,
    request: HttpRequest | None = None,
) -> MaracForm:
    """Produce the MARAC referral form for a required, outstanding decision: PDF, referral, disclosure, the decision's
    referral date, atomically (see the module docstring)."""
    if not may_see_marac(actor):
        raise Http404("No such case.")
    require(actor, REFER_CASE)
    require(actor, ASSESS_RISK)
    visible = cases_visible_to(actor=actor).filter(pk=case.pk).first()
    if visible is None or decision.case_id != visible.pk:
        raise Http404("No such case.")
    case = visible
    if not case_workable(case):
        raise DomainError("This case is closed. Reopen it before referring it to MARAC.")
    if not decision.outstanding:
        raise DomainError("This MARAC decision has no referral outstanding: it is made, declined or not required")
    reason, victim_wants, safety_actions, consent_note = _validated(
        decision=decision,
        agency=agency,
        reason=reason,
        victim_wants=victim_wants,
        safety_actions=safety_actions,
        lawful_basis=lawful_basis,
        consent_note=consent_note,
        agreement=agreement,
    )
    assert agency is not None
    now = timezone.now()
    facts = marac_facts(case=case, decision=decision, actor=actor, today=timezone.localdate(now))
    details = {
        "agency": agency,
        "reason": reason,
        "victim_wants": victim_wants,
        "safety_actions": safety_actions,
        "lawful_basis": LawfulBasis(lawful_basis).label,
        "consent_note": consent_note,
        "agreement": agreement,
        "produced_at": now,
    }
    document = marac_form_render(facts=facts, details=details)  # before any write: a failure here records nothing
    stored = ""
    try:
        with transaction.atomic():
            form = _record(
                actor=actor,
                case=case,
                decision=decision,
                agency=agency,
                document=document,
                words=(reason, victim_wants, safety_actions, consent_note),
                lawful_basis=lawful_basis,
                agreement=agreement,
                now=now,
                request=request,
            )
            stored = form.file.name or ""
    except BaseException:
        if stored:
            evidence_storage().delete(stored)
        raise
    return form


def _record(
    *,
    actor: User,
    case: Case,
    decision: MaracDecision,
    agency: Agency,
    document: bytes,
    words: tuple[str, str, str, str],
    lawful_basis: str,
    agreement: SharingAgreement | None,
    now: dt.datetime,
    request: HttpRequest | None,
) -> MaracForm:
    reason, victim_wants, safety_actions, consent_note = words
    locked = MaracDecision.objects.select_for_update().get(pk=decision.pk)
    if not locked.outstanding:
        raise DomainError("The MARAC referral was recorded by someone else a moment ago: nothing was produced")
    consent = CONSENT_FROM_MARAC[MaracConsent(locked.consent)]
    referral = Referral.objects.create(
        case=case,
        agency=agency,
        kind=ReferralKind.MARAC,
        reason=reason,
        information_shared=WHAT_IS_SHARED,
        lawful_basis=lawful_basis,
        consent=consent,
        consent_note=consent_note or "Consent recorded with the DA checklist",
        clock_started_at=min(locked.decided_at, now),
        sent_at=now,
        created_by=actor,
        created_at=now,
    )
    form = MaracForm(
        referral=referral,
        decision=locked,
        sha256=hashlib.sha256(document).hexdigest(),
        size=len(document),
        reason=reason,
        victim_wants=victim_wants,
        safety_actions=safety_actions,
        produced_by=actor,
        produced_at=now,
    )
    form.file.save(f"marac-{case.reference}.pdf", ContentFile(document), save=False)
    try:
        form.save()
        disclosure_record(
            actor=actor,
            agency=agency,
            source=DisclosureSource.MARAC_FORM,
            what=WHAT_IS_SHARED,
            reason=reason,
            lawful_basis=lawful_basis,
            case=case,
            agreement=agreement,
            referral=referral,
            request=request,
        )
        marac_referral_made(actor=actor, decision=locked, made_on=timezone.localdate(now), request=request)
        summary = {"case": case.reference, "agency": agency.code, "kind": ReferralKind.MARAC, "consent": consent}
        audit(actor=actor, verb=AuditVerb.REFERRAL_MADE, obj=referral, after=summary, reason=reason, request=request)
        audit(
            actor=actor,
            verb=AuditVerb.MARAC_FORM_PRODUCED,
            obj=form,
            object_label=f"{case.reference} to {agency.name}",
            after={**summary, "decision": locked.pk, "sha256": form.sha256, "size": form.size},
            reason=reason,
            request=request,
        )
    except BaseException:
        evidence_storage().delete(form.file.name or "")
        raise
    return form
