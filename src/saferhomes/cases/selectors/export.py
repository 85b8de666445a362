"""The case list as a download (CSV or XLSX): the filtered cases the actor may see, at most core.exports.MAX_ROWS,
audited — one event for the export (its filters and row count) and a read of each restricted or DA case in it."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Sensitivity
from saferhomes.cases.permissions import VIEW_CASE
from saferhomes.cases.selectors.case import LIST_FIELDS
from saferhomes.core.audit import audit, audit_read
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar_config import calendar_config_current, case_response_status
from saferhomes.core.errors import DomainError
from saferhomes.core.exports import MAX_ROWS, Column, ExportFormat
from saferhomes.core.permissions import require

EXPORT_FIELDS = (*LIST_FIELDS, "category", "triaged_at", "closed_at", "outcome")
CHUNK = 2_000


def case_export_columns() -> list[Column]:
    """What a row of the download holds: the list's columns and a few more, never a party's details."""
    config = calendar_config_current()

    def response_status(case: Case) -> str:
        if case.response_due_at is None:
            return ""
        return str(case_response_status(due_at=case.response_due_at, responded_at=case.responded_at, config=config))

    return [
        Column("Reference", lambda c: c.reference),
        Column("Type", lambda c: c.get_case_type_display()),
        Column("Category", lambda c: c.get_category_display() if c.category else ""),
        Column("Summary", lambda c: c.summary),
        Column("Status", lambda c: c.get_status_display()),
        Column("Priority", lambda c: c.get_priority_display()),
        Column("Sensitivity", lambda c: c.get_sensitivity_display()),
        Column("Urgent", lambda c: c.urgent),
        Column("Officer", lambda c: c.assigned_officer.get_full_name() if c.assigned_officer else ""),
        Column("Team", lambda c: c.team.name if c.team else ""),
        Column("Estate", lambda c: c.estate.name if c.estate else ""),
        Column("Received", lambda c: c.received_at),
        Column("Response due", lambda c: c.response_due_at),
        Column("Response", response_status),
        Column("Responded", lambda c: c.responded_at),
        Column("Triaged", lambda c: c.triaged_at),
        Column("Closed", lambda c: c.closed_at),
        Column("Outcome", lambda c: c.get_outcome_display() if c.outcome else ""),
    ]


def cases_export(
    *,
    actor: User,
    cases: QuerySet[Case],
    export_format: ExportFormat,
    described_as: str = "",
    request: HttpRequest | None = None,
) -> Iterator[Case]:
    """The cases to write, read in chunks; DomainError if there are more than MAX_ROWS (narrow the filters).

    `cases` must come from `cases_visible_to` (the list's filters applied); `described_as` is the query string,
    kept with the audit event so the DPO can see what was downloaded."""
    require(actor, VIEW_CASE)
    cases = cases.only(*EXPORT_FIELDS).order_by("-received_at", "-id")
    count = cases.count()
    if count > MAX_ROWS:
        raise DomainError(
            f"There are {count:,} cases in this list. Downloads hold up to {MAX_ROWS:,}: narrow the filters first."
        )
    audit(
        actor=actor,
        verb=AuditVerb.CASE_LIST_EXPORTED,
        object_type="cases.case",
        object_label=f"{count:,} cases as {export_format.upper()}",
        after={"rows": count, "format": str(export_format), "filters": described_as[:500]},
        request=request,
    )
    restricted = cases.exclude(sensitivity=Sensitivity.NORMAL).select_related(None).only("pk", "reference", "summary")
    for case in restricted:
        audit_read(
            actor=actor, obj=case, reason=f"In a {export_format.upper()} download of the case list", request=request
        )
    return cases.iterator(chunk_size=CHUNK)
