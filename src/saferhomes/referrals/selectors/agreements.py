"""Reads of the information-sharing agreements register (issue 15 item 5): for the staff who keep it
(`referrals.manage_agreements`, the DPO) and the staff who share (`referrals.share_case`), who read it to know what an
agreement covers. An agreement is "overdue" for review once its review date has passed, "review due" within
`settings.AGREEMENT_REVIEW_NOTICE_DAYS` (14) days of it, "ended" after its end date and "not started" before its start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.referrals.models import Agency, SharingAgreement

MANAGE = "referrals.manage_agreements"
SHARE = "referrals.share_case"


def may_read_agreements(actor: User) -> bool:
    """Whether the actor may read the register: those who keep it and those who share."""
    return bool(actor.has_perm(MANAGE) or actor.has_perm(SHARE))


def may_manage_agreements(actor: User) -> bool:
    return bool(actor.has_perm(MANAGE))


def _require_reader(actor: User) -> None:
    if not getattr(actor, "is_authenticated", False) or not may_read_agreements(actor):
        raise PermissionDenied("You do not have permission to read the information-sharing agreements.")


def review_notice_days() -> int:
    """How many days before its review date an agreement is due for review (and the DPO is reminded)."""
    return max(0, int(getattr(settings, "AGREEMENT_REVIEW_NOTICE_DAYS", 14)))


@dataclass(frozen=True)
class ReviewState:
    """Where an agreement stands on a day: a tag for the register ('' when in force and not due)."""

    key: str  # overdue, due, ended, not_started, ""
    label: str
    tag_class: str


def review_state(agreement: SharingAgreement, *, today: dt.date) -> ReviewState:
    """The register's tag for an agreement on `today` (see the module docstring)."""
    if agreement.ends_on is not None and agreement.ends_on < today:
        return ReviewState("ended", "Ended", "govuk-tag--grey")
    if agreement.review_on < today:
        return ReviewState("overdue", "Review overdue", "govuk-tag--red")
    if agreement.review_on <= today + dt.timedelta(days=review_notice_days()):
        return ReviewState("due", "Review due", "govuk-tag--yellow")
    if agreement.starts_on > today:
        return ReviewState("not_started", "Not started", "govuk-tag--blue")
    return ReviewState("", "", "")


@dataclass(frozen=True)
class AgreementRow:
    agreement: SharingAgreement
    state: ReviewState


def agreements_register(*, actor: User, today: dt.date | None = None) -> list[AgreementRow]:
    """Every agreement, soonest review first, with its agencies (two queries however many there are)."""
    _require_reader(actor)
    today = today or timezone.localdate()
    agreements = SharingAgreement.objects.prefetch_related("agencies").order_by("review_on", "name", "pk")
    return [AgreementRow(agreement, review_state(agreement, today=today)) for agreement in agreements]


def agreement_for_actor(*, actor: User, pk: int) -> SharingAgreement:
    """One agreement with its agencies and who recorded it; Http404 if there is none."""
    _require_reader(actor)
    agreement = SharingAgreement.objects.select_related("created_by").prefetch_related("agencies").filter(pk=pk).first()
    if agreement is None:
        raise Http404("No such agreement.")
    return agreement


def agreement_agencies() -> QuerySet[Agency]:
    """The agencies an agreement may name: every active one, by name."""
    return Agency.objects.filter(active=True).order_by("name", "pk")
