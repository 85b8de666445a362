"""Sharing named parts of a case with a partner agency, and withdrawing the share (issue 15 item 6).

Policy: "sharing information only with other organisations that can help with the problem whilst observing data
protection laws, GDPR and information sharing principles". A share names the parts (summary, incidents, risk result,
documents), an end date no more than `SHARE_MAX_MONTHS` ahead (12 unless configured), a lawful basis and a reason,
optionally the information-sharing agreement it is made under; a domestic abuse or restricted case is shared only with
an agency entitled to DA information. Every share is recorded as a disclosure (`disclosure_record`) in the same
transaction, and audited. What each part shows the partner is in `referrals.selectors.partner` and ADR 0010.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Sensitivity
from saferhomes.cases.rules import months_before
from saferhomes.cases.services.locking import case_locked_for, case_locked_workable
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Agency, CaseShare, DisclosureSource, LawfulBasis, SharePart, SharingAgreement
from saferhomes.referrals.selectors.shares import (
    DA_SENSITIVITIES,
    active_share_with,
    london_today,
    parts_in_words,
    share_state,
)
from saferhomes.referrals.services.disclosures import disclosure_record

SHARE_CASE = "referrals.share_case"
REASON_MAX = 5000
SHARE_AUDIT_FIELDS = ["case_id", "agency_id", "parts", "lawful_basis", "agreement_id", "reason", "starts_at", "ends_on"]


def share_max_months() -> int:
    """How far ahead a share may end, in calendar months (settings.SHARE_MAX_MONTHS, 12 unless configured)."""
    return int(getattr(settings, "SHARE_MAX_MONTHS", 12))


def share_latest_end(today: dt.date) -> dt.date:
    """The last end date a share made today may have: the same day `share_max_months()` later (clamped, so a share
    made on 29 February may run to 28 February)."""
    return months_before(today, -share_max_months())


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _share_problems(
    *,
    case: Case,
    agency: Agency | None,
    parts: Sequence[str],
    ends_on: dt.date | None,
    lawful_basis: str,
    reason: str,
    agreement: SharingAgreement | None,
    today: dt.date,
) -> dict[str, str]:
    """What is wrong with a share before anything is written (field name -> message)."""
    errors: dict[str, str] = {}
    if agency is None:
        errors["agency"] = "Select the agency to share the case with"
    elif not agency.active:
        errors["agency"] = f"{agency.name} is no longer active in the agency directory: choose another agency"
    elif case.sensitivity in DA_SENSITIVITIES and not agency.handles_da:
        kind = "domestic abuse" if case.sensitivity == Sensitivity.DA else "restricted"
        errors["agency"] = (
            f"This is a {kind} case: share it only with an agency entitled to domestic abuse information. "
            f"{agency.name} is not"
        )
    if not parts:
        errors["parts"] = "Select at least one part of the case to share"
    elif any(part not in SharePart.values for part in parts):
        errors["parts"] = f"Select parts of the case from: {', '.join(SharePart.values)}"
    latest = share_latest_end(today)
    if ends_on is None:
        errors["ends_on"] = "Enter the date the share ends"
    elif ends_on < today:
        errors["ends_on"] = "The date the share ends must be today or in the future"
    elif ends_on > latest:
        errors["ends_on"] = (
            f"The date the share ends must be no more than {share_max_months()} months from today "
            f"(on or before {_day(latest)})"
        )
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Select the lawful basis for sharing"
    if not reason:
        errors["reason"] = "Enter why you are sharing the case with this agency"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"Why you are sharing must be {REASON_MAX:,} characters or fewer"
    if agreement is not None:
        if agreement.ends_on is not None and agreement.ends_on < today:
            errors["agreement"] = f"{agreement.name} ended on {_day(agreement.ends_on)}: choose an agreement in force"
        elif agreement.starts_on > today:
            errors["agreement"] = f"{agreement.name} starts on {_day(agreement.starts_on)}: it is not in force yet"
        elif agency is not None and not agreement.agencies.filter(pk=agency.pk).exists():
            errors["agreement"] = f"{agreement.name} does not include {agency.name}: choose another agreement or none"
        elif agreement.ends_on is not None and ends_on is not None and ends_on > agreement.ends_on and not errors:
            errors["ends_on"] = (
                f"The share must end on or before the day the agreement ends ({_day(agreement.ends_on)})"
            )
    return errors


def case_share(
    *,
    actor: User,
    case: Case,
    agency: Agency | None,
    parts: Sequence[str],
    ends_on: dt.date | None,
    lawful_basis: str,
    reason: str,
    agreement: SharingAgreement | None = None,
    request: HttpRequest | None = None,
) -> CaseShare:
    """Share named parts of a case with an agency until the end of `ends_on` (Europe/London), recorded as a
    disclosure and audited. One active share per case and agency: withdraw it before sharing differently."""
    require(actor, SHARE_CASE)
    reason = (reason or "").strip()
    chosen = list(dict.fromkeys(parts))
    with transaction.atomic():
        locked = case_locked_workable(actor=actor, case=case)  # 404 for a case the actor cannot see
        today = london_today()
        errors = _share_problems(
            case=locked,
            agency=agency,
            parts=chosen,
            ends_on=ends_on,
            lawful_basis=lawful_basis,
            reason=reason,
            agreement=agreement,
            today=today,
        )
        if errors:
            raise DomainError(field_errors=errors)
        assert agency is not None  # refused above by _share_problems
        assert ends_on is not None  # refused above by _share_problems
        current = active_share_with(case=locked, agency=agency)
        if current is not None:
            raise DomainError(
                field_errors={
                    "agency": (
                        f"This case is already shared with {agency.name} until {_day(current.ends_on)}: "
                        "withdraw that share first to share it differently"
                    )
                }
            )
        ordered = [part for part in SharePart.values if part in chosen]
        share = CaseShare.objects.create(
            case=locked,
            agency=agency,
            parts=ordered,
            lawful_basis=lawful_basis,
            agreement=agreement,
            reason=reason,
            ends_on=ends_on,
            created_by=actor,
        )
        disclosure_record(
            actor=actor,
            agency=agency,
            source=DisclosureSource.SHARE,
            what=f"{parts_in_words(ordered)} of case {locked.reference}, shared until {_day(ends_on)}",
            reason=reason,
            lawful_basis=lawful_basis,
            case=locked,
            agreement=agreement,
            share=share,
            request=request,
        )
        audit(
            actor=actor,
            verb=AuditVerb.CASE_SHARED,
            obj=share,
            object_label=f"{locked.reference} shared with {agency.name}"[:200],
            after=snapshot(share, SHARE_AUDIT_FIELDS),
            reason=reason,
            request=request,
        )
    return share


def share_withdraw(*, actor: User, share: CaseShare, reason: str, request: HttpRequest | None = None) -> CaseShare:
    """Stop a partner seeing a share before its end date, saying why (also on a closed case); audited."""
    require(actor, SHARE_CASE)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(field_errors={"reason": "Enter why you are withdrawing the share"})
    if len(reason) > REASON_MAX:
        raise DomainError(
            field_errors={"reason": f"Why you are withdrawing must be {REASON_MAX:,} characters or fewer"}
        )
    with transaction.atomic():
        locked_case = case_locked_for(actor=actor, case=share.case)  # 404 for a case the actor cannot see
        locked = CaseShare.objects.select_for_update().select_related("agency").get(pk=share.pk)
        state = share_state(locked)
        if state == "withdrawn":
            raise DomainError("This share has already been withdrawn")
        if state == "ended":
            raise DomainError(f"This share ended on {_day(locked.ends_on)}: there is nothing to withdraw")
        before = snapshot(locked, ["withdrawn_at", "withdrawn_by_id", "withdrawn_reason"])
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.withdrawn_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        audit(
            actor=actor,
            verb=AuditVerb.SHARE_WITHDRAWN,
            obj=locked,
            object_label=f"{locked_case.reference} no longer shared with {locked.agency.name}"[:200],
            before=before,
            after=snapshot(locked, ["withdrawn_at", "withdrawn_by_id", "withdrawn_reason"]),
            reason=reason,
            request=request,
        )
    share.withdrawn_at, share.withdrawn_by, share.withdrawn_reason = locked.withdrawn_at, actor, reason
    return share
