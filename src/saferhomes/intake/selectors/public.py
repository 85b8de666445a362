"""What the reporter's private status page may show (DESIGN.md §6): only things that are theirs to see.

The reference, the status in plain words, the response deadline, the assigned officer's first name, notes staff
marked shareable, once closed the outcome in the words staff wrote for the reporter, and the reporter's own diary
entries. Never anything about other parties on the case, internal notes, risk or referrals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from saferhomes.cases.models import Note, Status
from saferhomes.intake.models import DiaryEntry, Report, ReportStatus, StatusLink
from saferhomes.intake.services.reporter_contact import is_domestic_abuse

AWAITING_TRIAGE = "We have your report and will look at it soon"
CASE_OPENED = "We have opened a case"
INVESTIGATING = "We are looking into it"
CLOSED = "Closed"
NOT_PROCEEDED = "Closed: we are not taking this report further"


def status_in_words(report: Report) -> str:
    """Where the report has got to, as the reporter would put it."""
    case = report.case
    if report.status == ReportStatus.NOT_PROCEEDED:
        return NOT_PROCEEDED
    if case is None:
        return AWAITING_TRIAGE
    if case.status in (Status.NEW, Status.TRIAGED):
        return CASE_OPENED
    if case.status == Status.CLOSED:
        return CLOSED
    return INVESTIGATING


@dataclass(frozen=True)
class SharedNote:
    """An update staff chose to share with the reporter."""

    text: str
    created_at: dt.datetime


@dataclass(frozen=True)
class StatusPage:
    """Everything the status page shows."""

    reference: str
    status: str
    received_at: dt.datetime
    response_due_at: dt.datetime | None
    officer_first_name: str
    updates: list[SharedNote]
    diary: list[DiaryEntry]
    domestic_abuse: bool
    closed: bool
    anonymous: bool = False  # never contacted: the page says when we will look at it, not when we will contact them
    outcome: str = ""  # once closed: the outcome in the words staff marked for the reporter (never the summary)


def status_page_for_link(*, link: StatusLink) -> StatusPage:
    """The status page for a working link (the caller audits the read with `status_link_used`)."""
    report = link.report
    case = report.case
    officer = case.assigned_officer if case is not None else None
    closed = case is not None and case.status == Status.CLOSED
    updates: list[SharedNote] = []
    if case is not None:
        updates = [
            SharedNote(text=text, created_at=created_at)
            for text, created_at in Note.objects.filter(case_id=case.pk, shareable=True)
            .order_by("-created_at", "-id")
            .values_list("text", "created_at")[:50]
        ]
    return StatusPage(
        reference=report.reference,
        status=status_in_words(report),
        received_at=report.received_at,
        response_due_at=case.response_due_at if case is not None and case.response_due_at else report.response_due_at,
        officer_first_name=(officer.first_name.strip() if officer is not None else ""),
        updates=updates,
        diary=list(
            DiaryEntry.objects.filter(report_id=report.pk)
            .select_related("new_report")
            .order_by("-occurred_at", "-id")[:100]
        ),
        domestic_abuse=is_domestic_abuse(report),
        closed=closed,
        anonymous=report.anonymous,
        outcome=case.outcome_shareable.strip() if closed and case is not None else "",
    )
