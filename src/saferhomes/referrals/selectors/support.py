"""Reads for support offers: a case's offers, those due to be offered again, and the counts for the monthly report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.calendar import local_dates_span
from saferhomes.referrals.models import SupportKind, SupportOffer, SupportStatus


def case_support_offers(*, case: Case) -> list[SupportOffer]:
    """Every offer of support on the case, newest first, with the person, their register record and the agency."""
    return list(
        SupportOffer.objects.filter(case=case).select_related("party__person", "agency").order_by("-offered_at", "-id")
    )


def support_offer_for_case(*, case: Case, pk: int) -> SupportOffer:
    """One offer on this case (the case already checked visible); Http404 if it is not one of the case's."""
    offer = SupportOffer.objects.select_related("party__person", "agency", "case").filter(case=case, pk=pk).first()
    if offer is None:
        raise Http404("No such offer of support on this case.")
    return offer


def support_due_again(offers: Sequence[SupportOffer], *, today: dt.date) -> list[SupportOffer]:
    """Declined offers whose date to offer again has come, unless the same support was offered to the same person
    since (from a case's offers, in memory: no query)."""
    due = []
    for offer in offers:
        if offer.status != SupportStatus.DECLINED or offer.offer_again_on is None or offer.offer_again_on > today:
            continue
        offered_since = any(
            other.party_id == offer.party_id
            and other.kind == offer.kind
            and (other.offered_at, other.pk) > (offer.offered_at, offer.pk)
            for other in offers
        )
        if not offered_since:
            due.append(offer)
    return sorted(due, key=lambda offer: (offer.offer_again_on or today, offer.pk))


@dataclass(frozen=True)
class SupportCounts:
    """Offers of one kind of support made in a period, and where each stands now."""

    kind: str
    label: str
    offered: int
    accepted: int
    declined: int
    waiting: int


@dataclass(frozen=True)
class SupportOfferCounts:
    """The support offered in a period, per kind (every kind listed, even with none) and in total."""

    start: dt.date
    end: dt.date
    by_kind: list[SupportCounts]
    total: SupportCounts


def support_offer_counts(*, actor: User, start: dt.date, end: dt.date) -> SupportOfferCounts:
    """Support offered from `start` to `end` (both days included, London time) on cases the actor may see: how many
    offers of each kind, and how many of those were accepted, declined or are still waiting for an answer."""
    return _support_offer_counts(start=start, end=end, cases=cases_visible_to(actor=actor))


def support_offer_counts_all(*, start: dt.date, end: dt.date) -> SupportOfferCounts:
    """The same counts over every case: the landlord's published performance (insights checks its permission)."""
    return _support_offer_counts(start=start, end=end, cases=None)


def _support_offer_counts(*, start: dt.date, end: dt.date, cases: QuerySet[Case] | None) -> SupportOfferCounts:
    first, after = local_dates_span(start, end)
    offers = SupportOffer.objects.filter(offered_at__gte=first, offered_at__lt=after)
    if cases is not None:
        offers = offers.filter(case__in=cases)
    grouped: QuerySet[SupportOffer, dict[str, object]] = (
        offers.order_by().values("kind", "status").annotate(n=Count("id"))
    )
    counts: dict[tuple[str, str], int] = {}
    for row in grouped:
        counts[(str(row["kind"]), str(row["status"]))] = int(row["n"])  # type: ignore[call-overload]

    def of(kind: str, label: str, kinds: list[str]) -> SupportCounts:
        by_status = {status: sum(counts.get((each, status), 0) for each in kinds) for status in SupportStatus.values}
        return SupportCounts(
            kind=kind,
            label=label,
            offered=sum(by_status.values()),
            accepted=by_status[SupportStatus.ACCEPTED],
            declined=by_status[SupportStatus.DECLINED],
            waiting=by_status[SupportStatus.OFFERED],
        )

    return SupportOfferCounts(
        start=start,
        end=end,
        by_kind=[of(value, str(label), [value]) for value, label in SupportKind.choices],
        total=of("all", "All support", list(SupportKind.values)),
    )
