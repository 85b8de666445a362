"""The threshold engine's search: the complaints the applicant and the victim made to us (issue 17 part 2).

Reports (intake.Report) and cases are matched to the application by register person, email, phone, address with
postcode, or home, then widened to the cases linked to those found. A case's complaints are its reports; a case with
no report (taken straight onto a case by staff) is one complaint itself. Counting is not showing: the engine looks at
every case whatever its sensitivity, as the case page's Case Review prompt does, and the application page lists only
references and dates. Complaints older than `LOOK_BACK_MONTHS` before the application are not listed at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from saferhomes.case_review.models import Application
from saferhomes.cases.models import Case, CaseLink, Party, PartyRole
from saferhomes.cases.rules import months_before
from saferhomes.core.calendar import LONDON
from saferhomes.intake.models import Report, ReportStatus

LOOK_BACK_MONTHS = 12
COMPLAINANT_ROLES = (PartyRole.REPORTER, PartyRole.VICTIM)


@dataclass(frozen=True)
class FoundComplaint:
    """A complaint found for an application, as the engine stores it (`ThresholdComplaint`)."""

    source: str
    report: Report | None
    case: Case | None
    received_on: dt.date
    occurred_on: dt.date | None
    problem: str
    complainant: str
    location: str
    group: str
    summary: str


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def _people(application: Application) -> list[dict[str, Any]]:
    """The applicant and (on someone's behalf) the victim, as what identifies them."""
    people = [
        {
            "person": application.person_id,
            "email": application.email,
            "phone": application.phone,
            "address": application.address,
            "postcode": application.postcode,
        }
    ]
    if application.on_behalf:
        people.append(
            {
                "person": application.victim_person_id,
                "email": application.victim_email,
                "phone": application.victim_phone,
                "address": application.victim_address,
                "postcode": application.victim_postcode,
            }
        )
    return people


def _report_match(application: Application) -> Q:
    match = Q(pk__in=[])
    for who in _people(application):
        if who["person"]:
            match |= Q(person_id=who["person"])
        if who["email"]:
            match |= Q(email__iexact=who["email"])
        if who["phone"]:
            match |= Q(phone=who["phone"]) | Q(phone=_digits(str(who["phone"])))
        if who["address"] and who["postcode"]:
            match |= Q(address__iexact=who["address"], postcode__iexact=who["postcode"])
    if application.home_id:
        match |= Q(home_id=application.home_id)
    return match


def _party_match(application: Application) -> Q:
    match = Q(pk__in=[])
    for who in _people(application):
        if who["person"]:
            match |= Q(person_id=who["person"])
        if who["email"]:
            match |= Q(email__iexact=who["email"]) | Q(person__email__iexact=who["email"])
        if who["phone"]:
            match |= Q(phone=who["phone"]) | Q(person__phone=who["phone"]) | Q(person__mobile=who["phone"])
    return match & Q(role__in=COMPLAINANT_ROLES)


def _clusters(case_ids: set[int]) -> tuple[set[int], dict[int, int]]:
    """The cases found and every case linked to them (any depth), and each case's cluster (its lowest id)."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    frontier, seen = set(case_ids), set(case_ids)
    for case_id in case_ids:
        root(case_id)
    while frontier:
        links = list(
            CaseLink.objects.filter(Q(from_case_id__in=frontier) | Q(to_case_id__in=frontier)).values_list(
                "from_case_id", "to_case_id"
            )
        )
        frontier = set()
        for a, b in links:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
            for node in (a, b):
                if node not in seen:
                    seen.add(node)
                    frontier.add(node)
    return seen, {case_id: root(case_id) for case_id in seen}


def _complainant(report: Report) -> str:
    if report.person_id:
        return f"person:{report.person_id}"
    return (report.email or _digits(report.phone) or f"{report.first_name} {report.last_name}".strip()).lower()


def complaints_found(*, application: Application) -> list[FoundComplaint]:
    """Every complaint to us that the applicant or the victim made, or that is about their home, with linked cases."""
    since = dt.datetime.combine(
        months_before(timezone.localdate(application.received_at), LOOK_BACK_MONTHS), dt.time(0), LONDON
    )
    reports = list(
        Report.objects.filter(
            _report_match(application), received_at__gte=since, received_at__lte=application.received_at
        )
        .exclude(status=ReportStatus.DRAFT)
        .values_list("case_id", flat=True)
    )
    case_ids = {case_id for case_id in reports if case_id}
    case_ids |= set(Party.objects.filter(_party_match(application)).values_list("case_id", flat=True))
    if application.home_id:
        case_ids |= set(Case.objects.filter(properties=application.home_id).values_list("pk", flat=True))
    all_cases, cluster = _clusters(case_ids)
    window = Q(received_at__gte=since, received_at__lte=application.received_at)
    found_reports = (
        Report.objects.filter(window & (_report_match(application) | Q(case_id__in=all_cases)))
        .exclude(status=ReportStatus.DRAFT)
        .select_related("case", "home")
        .order_by("received_at", "pk")
    )
    found: list[FoundComplaint] = []
    with_reports: set[int] = set()
    for report in found_reports:
        if report.case_id:
            with_reports.add(report.case_id)
        found.append(
            FoundComplaint(
                source="report",
                report=report,
                case=report.case,
                received_on=timezone.localdate(report.received_at),
                occurred_on=timezone.localdate(report.occurred_at) if report.occurred_at else None,
                problem=report.case.case_type if report.case else report.case_type,
                complainant=_complainant(report),
                location=report.home.reference if report.home else (report.location_text or report.postcode).lower(),
                group=f"cases:{cluster[report.case_id]}" if report.case_id in cluster else "",
                summary=report.description[:250],
            )
        )
    bare = (
        Case.objects.filter(window, pk__in=all_cases - with_reports)
        .prefetch_related("properties", "parties", "incidents")
        .order_by("received_at", "pk")
    )
    for case in bare:
        incidents = sorted(case.incidents.all(), key=lambda incident: incident.occurred_at)
        reporters = [p for p in case.parties.all() if p.role in COMPLAINANT_ROLES]
        who = reporters[0] if reporters else None
        homes = list(case.properties.all())
        found.append(
            FoundComplaint(
                source="case",
                report=None,
                case=case,
                received_on=timezone.localdate(case.received_at),
                occurred_on=timezone.localdate(incidents[0].occurred_at) if incidents else None,
                problem=case.case_type,
                complainant=(f"person:{who.person_id}" if who.person_id else (who.email or who.last_name).lower())
                if who
                else "",
                location=homes[0].reference if homes else case.location_text.lower(),
                group=f"cases:{cluster[case.pk]}",
                summary=case.summary[:250],
            )
        )
    return found
