"""Reads for referrals: a case's referrals with their state in words, the agencies a case may be referred to, what
blocks closure, and the police time-to-refer figures for the monthly report.

The case itself always comes from `cases.http.case_of` / `case_get_for_actor` (404 for a case the actor cannot
see); the report figures count only cases the actor may see (`cases_visible_to`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, CaseType
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.calendar import WorkingCalendar, local_dates_span
from saferhomes.core.calendar_config import calendar_current
from saferhomes.referrals.models import Agency, Referral, ReferralKind
from saferhomes.referrals.referral_rules import (
    TimeToRefer,
    da_agency_needed,
    median,
    percentile,
    time_to_refer,
    time_to_refer_in_words,
)

VIEW_DA = "cases.view_da_cases"


def _visible_kinds(actor: User) -> Q:
    """MARAC referrals only to the DA permission set (issue 15 item 3): to anyone else, as if never made."""
    return Q() if actor.has_perm(VIEW_DA) else ~Q(kind=ReferralKind.MARAC)


def case_referrals(*, case: Case, actor: User) -> QuerySet[Referral]:
    """The case's referrals this actor may see, newest sent first, with their agency, who made them and how often they
    were chased."""
    return (
        Referral.objects.filter(_visible_kinds(actor), case=case)
        .select_related("agency", "created_by")
        .annotate(chase_count=Count("chases"))
        .order_by("-sent_at", "-id")
    )


def referral_for_case(*, case: Case, pk: int, actor: User) -> Referral:
    """One referral of this case (the case already checked visible); Http404 if it is not one of the case's, or a
    MARAC referral and the actor is outside the DA permission set."""
    referral = Referral.objects.select_related("agency", "case").filter(_visible_kinds(actor), case=case, pk=pk).first()
    if referral is None:
        raise Http404("No such referral on this case.")
    return referral


def outstanding_referrals(*, case: Case) -> list[Referral]:
    """Referrals with neither an outcome nor withdrawn: the case waits on them (and cannot close)."""
    return list(
        Referral.objects.filter(case=case, outcome_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("agency")
        .order_by("sent_at", "id")
    )


def agencies_active() -> QuerySet[Agency]:
    """Every active agency in the directory, by name (who may provide support)."""
    return Agency.objects.filter(active=True).order_by("name", "id")


def agencies_for_referral(*, case: Case) -> QuerySet[Agency]:
    """The active agencies this case may be referred to: for a DA or restricted case, only those entitled to domestic
    abuse information."""
    agencies = agencies_active()
    if da_agency_needed(case_type=case.case_type, sensitivity=case.sensitivity):
        agencies = agencies.filter(handles_da=True)
    return agencies


def agency_by_code(code: str) -> Agency | None:
    """The agency with this code (typed in any case), active or not; None if there is none."""
    return Agency.objects.filter(code__iexact=(code or "").strip()).first() if code else None


# A referral in words ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str  # a GOV.UK tag modifier: "blue", "green", "grey", "yellow", "red"


def _day(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "j F Y")


def referral_tags(referral: Referral, chases: int) -> list[Tag]:
    """Where the referral stands: sent, acknowledged, outcome recorded or withdrawn, and how often it was chased."""
    tags: list[Tag] = []
    if referral.withdrawn_at is not None:
        tags.append(Tag("Withdrawn", "grey"))
    elif referral.outcome_at is not None:
        tags.append(Tag("Outcome recorded", "green"))
    elif referral.acknowledged_at is not None:
        tags.append(Tag("Acknowledged", "blue"))
    else:
        tags.append(Tag("Sent", "yellow"))
    if chases:
        tags.append(Tag(f"Chased {chases} time" + ("" if chases == 1 else "s"), "red"))
    return tags


def referral_timing_words(referral: Referral, case: Case, calendar: WorkingCalendar) -> str:
    """'Referred to the police 3 working hours (5 calendar hours) after the prompt at triage' (police only)."""
    if referral.kind != ReferralKind.POLICE:
        return ""
    from_prompt = referral.clock_started_at != case.received_at
    timing = time_to_refer(referral.clock_started_at, referral.sent_at, calendar)
    return time_to_refer_in_words(timing, from_prompt=from_prompt)


@dataclass(frozen=True)
class ReferralRow:
    """One referral as the Partnership tab shows it."""

    referral: Referral
    tags: list[Tag]
    timing: str
    chases: int

    @property
    def outstanding(self) -> bool:
        return self.referral.outstanding


def referral_rows(*, case: Case, actor: User, calendar: WorkingCalendar | None = None) -> list[ReferralRow]:
    """The case's referrals with their tags and, for police referrals, the time to refer (two queries: the calendar's
    revision and the referrals)."""
    calendar = calendar or calendar_current()
    rows = []
    for referral in case_referrals(case=case, actor=actor):
        chases = getattr(referral, "chase_count", 0)
        rows.append(
            ReferralRow(
                referral=referral,
                tags=referral_tags(referral, chases),
                timing=referral_timing_words(referral, case, calendar),
                chases=chases,
            )
        )
    return rows


def referral_in_words(referral: Referral) -> str:
    """'the police referral to Example Police sent on 2 April 2026' (for messages and closure blockers)."""
    return f"the {referral.get_kind_display().split(' (')[0].lower()} referral to {referral.agency.name} sent on " + (
        _day(referral.sent_at)
    )


# The monthly report -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeFigures:
    """Count, median and 90th percentile (nearest rank) of the time to refer, in working and calendar hours."""

    key: str  # a case type, or "all"
    label: str
    count: int
    median_working_hours: float | None
    p90_working_hours: float | None
    median_calendar_hours: float | None
    p90_calendar_hours: float | None


def _figures(key: str, label: str, timings: list[TimeToRefer]) -> TimeFigures:
    working = [timing.working_hours for timing in timings]
    elapsed = [timing.calendar_hours for timing in timings]
    return TimeFigures(
        key=key,
        label=label,
        count=len(timings),
        median_working_hours=median(working),
        p90_working_hours=percentile(working, 0.9),
        median_calendar_hours=median(elapsed),
        p90_calendar_hours=percentile(elapsed, 0.9),
    )


@dataclass(frozen=True)
class PoliceReferralTimes:
    """The police time-to-refer figures for a period: all case types together, then per case type."""

    start: dt.date
    end: dt.date
    overall: TimeFigures
    by_case_type: list[TimeFigures]


def police_referral_times(*, actor: User, start: dt.date, end: dt.date) -> PoliceReferralTimes:
    """Police referrals sent from `start` to `end` (both days included, London time) on cases the actor may see,
    withdrawn ones left out: how many, and the median and 90th percentile of the time to refer, in working hours
    (under the calendar in force) and calendar hours, overall and per case type (each type listed, even with none)."""
    return _police_referral_times(start=start, end=end, cases=cases_visible_to(actor=actor))


def police_referral_times_all(*, start: dt.date, end: dt.date) -> PoliceReferralTimes:
    """The same figures over every case: the landlord's published performance (insights checks its permission)."""
    return _police_referral_times(start=start, end=end, cases=None)


def _police_referral_times(*, start: dt.date, end: dt.date, cases: QuerySet[Case] | None) -> PoliceReferralTimes:
    first, after = local_dates_span(start, end)
    referrals = Referral.objects.filter(
        kind=ReferralKind.POLICE, withdrawn_at__isnull=True, sent_at__gte=first, sent_at__lt=after
    )
    if cases is not None:
        referrals = referrals.filter(case__in=cases)
    rows: Iterable[tuple[dt.datetime, dt.datetime, str]] = referrals.order_by().values_list(
        "clock_started_at", "sent_at", "case__case_type"
    )
    calendar = calendar_current()
    by_type: dict[str, list[TimeToRefer]] = defaultdict(list)
    everything: list[TimeToRefer] = []
    for started, sent, case_type in rows:
        timing = time_to_refer(started, sent, calendar)
        by_type[case_type].append(timing)
        everything.append(timing)
    return PoliceReferralTimes(
        start=start,
        end=end,
        overall=_figures("all", "All cases", everything),
        by_case_type=[_figures(value, str(label), by_type.get(value, [])) for value, label in CaseType.choices],
    )
