"""When a case may be anonymised: its retention date under the schedule, and which cases are due.

Foundation version (issue 19): every closed case is kept `DEFAULT_CASE_MONTHS` after closure unless a
`RetentionRule` for cases of its type says otherwise; the schedule's full rules (outcome groups, the end of the last
court order, reports and status links) replace the body of these functions without changing their signatures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from saferhomes.cases.models import Case, CaseType, Status
from saferhomes.core.calendar import LONDON, add_months, local_dates_span
from saferhomes.privacy.models import LegalHold, RetentionRecord, RetentionRule

DEFAULT_CASE_MONTHS = 72


@dataclass(frozen=True)
class RetentionDate:
    """A case's retention date and the rule behind it, in words for the case page."""

    keep_until: date | None
    rule: RetentionRule | None
    explanation: str


def _months_for(case_type: str) -> tuple[int, RetentionRule | None]:
    rule = (
        RetentionRule.objects.filter(record=RetentionRecord.CASE, case_type__in=[case_type, ""])
        .order_by("-case_type")
        .first()
    )
    return (rule.months if rule else DEFAULT_CASE_MONTHS), rule


def case_retention(case: Case) -> RetentionDate:
    """The day after which `case` may be anonymised (None while it is open), and why."""
    months, rule = _months_for(case.case_type)
    if case.status != Status.CLOSED or case.closed_at is None:
        return RetentionDate(None, rule, f"Kept while open, then {months} months after it is closed.")
    closed_on = timezone.localtime(case.closed_at, LONDON).date()
    return RetentionDate(add_months(closed_on, months), rule, f"{months} months after it was closed.")


def held_cases() -> QuerySet[LegalHold]:
    """Active legal holds."""
    return LegalHold.objects.filter(lifted_at__isnull=True)


def due_cases(as_of: date) -> QuerySet[Case]:
    """Closed cases, not anonymised and not on legal hold, whose retention date is before `as_of` (one query)."""
    active_hold = held_cases().filter(case=OuterRef("pk"))
    due = Q(pk__in=[])
    for case_type in CaseType.values:
        months, _rule = _months_for(case_type)
        # keep_until = add_months(closed_on, months) < as_of  <=>  closed_on < the first day that is not yet due.
        first_not_due = _first_closing_day_not_due(as_of, months)
        due |= Q(case_type=case_type, closed_at__lt=local_dates_span(first_not_due, first_not_due)[0])
    return (
        Case.objects.filter(due, status=Status.CLOSED, anonymised_at__isnull=True)
        .exclude(Exists(active_hold))
        .order_by("closed_at", "pk")
    )


def _first_closing_day_not_due(as_of: date, months: int) -> date:
    """The earliest closing day whose retention date (closing day + months, clamped) is on or after `as_of`."""
    day = add_months(as_of, -months) - timedelta(days=3)
    while add_months(day, months) < as_of:
        day += timedelta(days=1)
    return day
