"""The DPO's oversight of access (issue 19 part 5; ADR 0020): who read which restricted or DA case, and how; every
break-glass use with its reason and what was read while it lasted. Metadata only: a case is named by its reference,
type and sensitivity, never its summary, description or people (the audit trail's `object_label` for a case holds
the summary, so it is never read here).

Bounded reads over `core.AuditEvent`, which grows to millions of rows: every query is limited to a date range (at most
`MAX_DAYS`), found through the (verb, at) index (`core` migration 0006) or the (object_type, object_id, at) index, and
the facts about the cases on a page are read in one query per kind for the whole page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.cases.models import AccessGrant, Case, CaseType, Sensitivity
from saferhomes.cases.selectors.case import case_id_by_reference
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb, verb_label
from saferhomes.core.calendar import LONDON, local_dates_span
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.core.permissions import require
from saferhomes.referrals.models import CaseShare

VIEW_OVERSIGHT = "privacy.view_oversight"
CASE = "cases.case"
SHARE = "referrals.caseshare"
READ_VERBS = (AuditVerb.CASE_VIEWED, AuditVerb.SHARED_CASE_READ)
MAX_DAYS = 366
DEFAULT_DAYS = 30

TYPE_LABELS = {str(value): str(label) for value, label in CaseType.choices}
SENSITIVITY_LABELS: dict[str, str] = {
    Sensitivity.NORMAL: "Normal",
    Sensitivity.RESTRICTED: "Restricted",
    Sensitivity.DA: "Domestic abuse",
}


class How:
    """How a read came about, in words."""

    BREAK_GLASS = "Break glass"
    DPO_GRANT = "Access given to the DPO"
    ASSIGNED = "Assigned or named on the case"
    ROLE = "Normal access (role or team)"
    PARTNER = "Partner agency share"


@dataclass(frozen=True)
class OversightFilters:
    """What the DPO asked for: London dates, inclusive, at most MAX_DAYS apart; empty user or case means any."""

    date_from: date
    date_to: date
    user: str = ""
    case: str = ""

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise DomainError(field_errors={"date_to": "Date to must be the same as or after date from"})
        if (self.date_to - self.date_from).days >= MAX_DAYS:
            raise DomainError(field_errors={"date_to": f"Choose dates at most {MAX_DAYS} days apart"})

    @classmethod
    def recent(cls, today: date, *, user: str = "", case: str = "") -> OversightFilters:
        """The last DEFAULT_DAYS days up to today (the page's starting point)."""
        return cls(date_from=today - timedelta(days=DEFAULT_DAYS - 1), date_to=today, user=user, case=case)

    def span(self) -> tuple[datetime, datetime]:
        return local_dates_span(self.date_from, self.date_to)

    def as_dict(self) -> dict[str, str]:
        data = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}
        if self.user:
            data["user"] = self.user
        if self.case:
            data["case"] = self.case
        return data


@dataclass(frozen=True)
class CaseFacts:
    """What the DPO may know about a case: its reference, type and sensitivity (as they are now)."""

    id: int
    reference: str
    case_type: str
    sensitivity: str
    assigned_officer_id: int | None

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.case_type, self.case_type)

    @property
    def sensitivity_label(self) -> str:
        return SENSITIVITY_LABELS.get(self.sensitivity, self.sensitivity)


def case_facts(ids: Iterable[int]) -> dict[int, CaseFacts]:
    """The metadata of these cases by id (one query; never summary, description or parties)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = Case.objects.filter(pk__in=wanted).values_list(
        "pk", "reference", "case_type", "sensitivity", "assigned_officer_id"
    )
    return {row[0]: CaseFacts(*row) for row in rows}


def oversight_viewed(
    *, actor: User, section: str, filters: OversightFilters, request: HttpRequest | None = None
) -> None:
    """Needs privacy.view_oversight; records `oversight.viewed` (looking at who looked is itself accounted for)."""
    require(actor, VIEW_OVERSIGHT)
    audit(
        actor=actor,
        verb=AuditVerb.OVERSIGHT_VIEWED,
        object_type="core.auditevent",
        after={"section": section, "filters": filters.as_dict()},
        request=request,
    )


def oversight_exported(
    *, actor: User, section: str, filters: OversightFilters, export_format: str, request: HttpRequest | None = None
) -> None:
    """Needs privacy.view_oversight; records `oversight.exported`."""
    require(actor, VIEW_OVERSIGHT)
    audit(
        actor=actor,
        verb=AuditVerb.OVERSIGHT_EXPORTED,
        object_type="core.auditevent",
        object_label=f"Access oversight: {section} as {export_format.upper()}",
        after={"section": section, "filters": filters.as_dict(), "format": export_format},
        request=request,
    )


# Restricted reads -------------------------------------------------------------------------------------------------


def _case_q(reference: str) -> Q:
    """The events about the case with this reference: its own reads and partners' reads of its shares."""
    case_id = case_id_by_reference(reference=reference)
    if case_id is None:
        return Q(pk__in=[])
    shares = [str(pk) for pk in CaseShare.objects.filter(case_id=case_id).values_list("pk", flat=True)]
    return Q(object_type=CASE, object_id=str(case_id)) | Q(object_type=SHARE, object_id__in=shares)


def restricted_reads(*, actor: User, filters: OversightFilters) -> QuerySet[AuditEvent]:
    """Reads of restricted and DA cases (and of any case under a grant), and partners' reads of shared cases, in the
    period, newest first. `case.viewed` is only ever written for such reads (`cases.selectors.case`)."""
    require(actor, VIEW_OVERSIGHT)
    start, end = filters.span()
    events = AuditEvent.objects.filter(verb__in=READ_VERBS, at__gte=start, at__lt=end).filter(
        Q(verb=AuditVerb.CASE_VIEWED, object_type=CASE) | Q(verb=AuditVerb.SHARED_CASE_READ, object_type=SHARE)
    )
    events = events.exclude(object_id="")  # a partner's list of shared cases names no one case
    if filters.user:
        events = events.filter(actor_label__iexact=filters.user)
    if filters.case:
        events = events.filter(_case_q(filters.case))
    fields = ("id", "at", "actor_id", "actor_label", "verb", "object_type", "object_id", "reason", "after")
    return events.only(*fields).order_by("-at", "-id")


@dataclass(frozen=True)
class ReadRow:
    """One read as the DPO sees it."""

    at: datetime
    username: str
    case: CaseFacts | None
    how: str
    detail: str  # who gave the access, or which agency
    page: str  # the page or download read (a path: references only)


@dataclass
class _GrantIndex:
    """Grants by (user, case), to tell whether a read happened under one."""

    by_pair: dict[tuple[int, int], list[Any]] = field(default_factory=dict)

    def covering(self, user_id: int | None, case_id: int, at: datetime) -> Any:
        for grant in self.by_pair.get((user_id or 0, case_id), []):
            if grant["granted_at"] <= at < grant["expires_at"]:
                return grant
        return None


def _grant_index(case_ids: set[int], user_ids: set[int]) -> _GrantIndex:
    index = _GrantIndex()
    if not case_ids or not user_ids:
        return index
    rows = AccessGrant.objects.filter(case_id__in=case_ids, user_id__in=user_ids).values(
        "case_id", "user_id", "granted_at", "expires_at", "dpo_grant__granted_by__username"
    )
    for row in rows:
        index.by_pair.setdefault((row["user_id"], row["case_id"]), []).append(row)
    return index


def read_rows(events: Iterable[AuditEvent]) -> list[ReadRow]:
    """The events in words, with the case's metadata and how the read came about (a few queries for the lot)."""
    events = list(events)
    share_ids = {int(e.object_id) for e in events if e.object_type == SHARE and e.object_id.isdigit()}
    shares = {
        pk: (case_id, agency)
        for pk, case_id, agency in CaseShare.objects.filter(pk__in=share_ids).values_list(
            "pk", "case_id", "agency__name"
        )
    }
    case_of_event: dict[int, int | None] = {}
    for event in events:
        if event.object_type == CASE:
            case_of_event[event.pk] = int(event.object_id) if event.object_id.isdigit() else None
        else:
            share = shares.get(int(event.object_id)) if event.object_id.isdigit() else None
            case_of_event[event.pk] = share[0] if share else None
    case_ids = {pk for pk in case_of_event.values() if pk is not None}
    facts = case_facts(case_ids)
    named = set(
        Case.restricted_to.through.objects.filter(case_id__in=case_ids).values_list("case_id", "user_id")
        if case_ids
        else []
    )
    grants = _grant_index(case_ids, {e.actor_id for e in events if e.actor_id is not None})
    rows = []
    for event in events:
        case_id = case_of_event[event.pk]
        case = facts.get(case_id) if case_id is not None else None
        how, detail = How.ROLE, ""
        if event.object_type == SHARE:
            share = shares.get(int(event.object_id)) if event.object_id.isdigit() else None
            how, detail = How.PARTNER, share[1] if share else ""
        elif case is not None:
            grant = grants.covering(event.actor_id, case.id, event.at)
            if grant is not None and grant["dpo_grant__granted_by__username"]:
                how, detail = How.DPO_GRANT, f"Given by {grant['dpo_grant__granted_by__username']}"
            elif grant is not None:
                how = How.BREAK_GLASS
            elif case.assigned_officer_id == event.actor_id or (case.id, event.actor_id) in named:
                how = How.ASSIGNED
        rows.append(
            ReadRow(at=event.at, username=event.actor_label, case=case, how=how, detail=detail, page=event.reason[:200])
        )
    return rows


# Break glass ------------------------------------------------------------------------------------------------------


def break_glass_uses(*, actor: User, filters: OversightFilters) -> QuerySet[AccessGrant]:
    """Every time-limited access to a case given in the period (a manager breaking glass, or access given to the DPO),
    newest first."""
    require(actor, VIEW_OVERSIGHT)
    start, end = filters.span()
    grants = AccessGrant.objects.filter(granted_at__gte=start, granted_at__lt=end)
    if filters.user:
        grants = grants.filter(user__username__iexact=filters.user)
    if filters.case:
        grants = grants.filter(case__reference=filters.case.strip().upper())
    # The grant's own columns and who was involved; nothing of the case but its id (its facts come from case_facts).
    return grants.select_related("user", "dpo_grant__granted_by", "dpo_grant__ended_by").order_by("-granted_at", "-id")


@dataclass(frozen=True)
class GrantRow:
    """One break-glass use (or access given to the DPO) with what was read and done while it lasted."""

    grant: AccessGrant
    kind: str
    username: str
    given_by: str  # the manager who gave it; for break glass, the same person
    case: CaseFacts | None
    reads: list[tuple[datetime, str]]  # (when, page)
    actions: list[tuple[datetime, str]]  # (when, what happened, in words)

    @property
    def reason(self) -> str:
        return self.grant.reason


def grant_rows(grants: Iterable[AccessGrant]) -> list[GrantRow]:
    """The grants with their case's metadata, and the reads and other actions of the holder on that case while each
    lasted (one query for the lot, through the (object_type, object_id, at) index)."""
    grants = list(grants)
    facts = case_facts(g.case_id for g in grants)
    activity: dict[tuple[int, str], list[tuple[datetime, str, str]]] = defaultdict(list)
    if grants:
        rows = (
            AuditEvent.objects.filter(
                object_type=CASE,
                object_id__in=[str(g.case_id) for g in grants],
                actor_id__in={g.user_id for g in grants},
                at__gte=min(g.granted_at for g in grants),
                at__lt=max(g.expires_at for g in grants),
            )
            .order_by("at", "id")
            .values_list("actor_id", "object_id", "at", "verb", "reason")
        )
        for actor_id, object_id, at, verb, reason in rows:
            activity[(actor_id, object_id)].append((at, verb, reason))
    result = []
    for grant in grants:
        reads: list[tuple[datetime, str]] = []
        actions: list[tuple[datetime, str]] = []
        for at, verb, reason in activity.get((grant.user_id, str(grant.case_id)), []):
            if not grant.granted_at <= at < grant.expires_at:
                continue
            if verb == AuditVerb.CASE_VIEWED:
                reads.append((at, reason[:200]))
            elif verb not in (AuditVerb.CASE_BREAK_GLASS, AuditVerb.OVERSIGHT_ACCESS_GRANTED):
                actions.append((at, verb_label(verb)))
        dpo_grant = getattr(grant, "dpo_grant", None)
        result.append(
            GrantRow(
                grant=grant,
                kind=How.DPO_GRANT if dpo_grant is not None else How.BREAK_GLASS,
                username=grant.user.username,
                given_by=dpo_grant.granted_by.username if dpo_grant is not None else grant.user.username,
                case=facts.get(grant.case_id),
                reads=reads,
                actions=actions,
            )
        )
    return result


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)
