"""Reads about shares with partner agencies, for staff: when a share is active, a case's shares and the updates its
partners sent, and the agencies and agreements a share may name.

A share is active while it is not withdrawn, has started, and today in Europe/London is on or before `ends_on`: the
partner loses it at midnight London time at the end of its last day (ADR 0010). A domestic abuse or restricted case
is never shown to an agency not entitled to DA information, whatever its shares say (a share made before the agency
lost the flag, or before the case became DA, stays on record but shows nothing).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from saferhomes.cases.models import Case, Sensitivity
from saferhomes.core.calendar import LONDON
from saferhomes.referrals.models import Agency, CaseShare, PartnerUpdate, SharePart, SharingAgreement

DA_SENSITIVITIES = (Sensitivity.DA, Sensitivity.RESTRICTED)
PART_WORDS: dict[str, str] = {
    SharePart.SUMMARY: "Summary",
    SharePart.INCIDENTS: "Incidents",
    SharePart.RISK: "Risk result",
    SharePart.DOCUMENTS: "Documents",
}


def london_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date on the landlord's clock (Europe/London)."""
    return (now or timezone.now()).astimezone(LONDON).date()


def active_shares_q(*, now: dt.datetime | None = None, prefix: str = "") -> Q:
    """The filter for shares active at `now` (see the module docstring); `prefix` reaches them through a relation."""
    moment = now or timezone.now()
    return Q(
        **{
            f"{prefix}withdrawn_at__isnull": True,
            f"{prefix}starts_at__lte": moment,
            f"{prefix}ends_on__gte": london_today(moment),
        }
    )


def entitled_q(*, prefix: str = "") -> Q:
    """Shares whose agency may see their case: any case for an agency entitled to DA information, else normal ones."""
    return Q(**{f"{prefix}agency__handles_da": True}) | ~Q(**{f"{prefix}case__sensitivity__in": DA_SENSITIVITIES})


def share_is_active(share: CaseShare, *, now: dt.datetime | None = None) -> bool:
    """Whether the partner may see this share now (the same rule as `active_shares_q`)."""
    moment = now or timezone.now()
    return share.withdrawn_at is None and share.starts_at <= moment and london_today(moment) <= share.ends_on


def share_state(share: CaseShare, *, now: dt.datetime | None = None) -> str:
    """'active', 'withdrawn', 'ended' or 'not_started', for the words staff read."""
    moment = now or timezone.now()
    if share.withdrawn_at is not None:
        return "withdrawn"
    if london_today(moment) > share.ends_on:
        return "ended"
    if share.starts_at > moment:
        return "not_started"
    return "active"


def parts_in_words(parts: list[str]) -> str:
    """'Summary, incidents and risk result' for a list of SharePart values, in the order SharePart lists them."""
    words = [PART_WORDS[part] for part in SharePart.values if part in parts]
    if not words:
        return ""
    text = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
    return text[0] + text[1:].lower()


def case_shares(*, case: Case) -> QuerySet[CaseShare]:
    """Every share of the case (active, ended and withdrawn), newest first, with what a row shows joined in."""
    return (
        CaseShare.objects.filter(case=case)
        .select_related("agency", "agreement", "created_by", "withdrawn_by")
        .order_by("-starts_at", "-id")
    )


def case_share_by_id(*, case: Case, share_id: int) -> CaseShare | None:
    """One share of this case, or None (a share of another case is no share of this one)."""
    return case_shares(case=case).filter(pk=share_id).first()


def active_share_with(*, case: Case, agency: Agency, now: dt.datetime | None = None) -> CaseShare | None:
    """The case's active share with this agency, if there is one (there is at most one: `case_share` refuses two)."""
    return CaseShare.objects.filter(active_shares_q(now=now), case=case, agency=agency).first()


def case_partner_updates(*, case: Case) -> QuerySet[PartnerUpdate]:
    """The updates partners sent about this case, newest first, with their agency and author."""
    return PartnerUpdate.objects.filter(case=case).select_related("agency", "created_by").order_by("-created_at", "-id")


def case_partner_update(*, case: Case, update_id: int) -> PartnerUpdate | None:
    """One partner update on this case, or None."""
    return case_partner_updates(case=case).filter(pk=update_id).first()


def share_agencies(*, case: Case) -> QuerySet[Agency]:
    """The agencies this case may be shared with: active ones, and for a DA or restricted case only those entitled to
    DA information."""
    agencies = Agency.objects.filter(active=True).order_by("name", "id")
    if case.sensitivity in DA_SENSITIVITIES:
        agencies = agencies.filter(handles_da=True)
    return agencies


def share_agency_by_code(*, code: str) -> Agency | None:
    """The agency with this code (typed in any case), active or not: the share service says why it may not be used."""
    return Agency.objects.filter(code__iexact=(code or "").strip()).first()


def share_agreements(*, today: dt.date | None = None) -> QuerySet[SharingAgreement]:
    """Agreements a share may be made under: those not yet ended, with their agencies."""
    day = today or london_today()
    return (
        SharingAgreement.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)
        .prefetch_related("agencies")
        .order_by("name", "id")
    )
