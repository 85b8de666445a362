"""An imported case's first report, received through `Channel.IMPORT` (issue 20 part 8).

Every case opened here started as a report (what one person told us once, through one channel); a case brought in
from the landlord's old case log by `saferhomes import cases` gets one too, so the case looks like any other (its
report, its channel in the monthly report's "Reports received by channel") and says honestly how it reached us: the
report is `case_opened` on that case, with the case's received time, deadline, type and place and the reporter party's
name and contact details. Intake sits above cases, so it is told through `cases.importers.on_cases_imported`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.importers import on_cases_imported
from saferhomes.cases.models import Case, Party, PartyRole
from saferhomes.cases.references import reference_next
from saferhomes.intake.models import REPORT_PREFIX, Channel, Report, ReportStatus

BATCH_SIZE = 500


def reports_for_imported_cases(*, cases: Sequence[Case], actor: User | None, source: str) -> None:
    """One `case_opened` report through `Channel.IMPORT` for each imported case (in the importing transaction)."""
    reporters: dict[int, Party] = {}
    for party in Party.objects.filter(case__in=[c.pk for c in cases], role=PartyRole.REPORTER).order_by("id"):
        reporters.setdefault(party.case_id, party)
    origin = f" from {source}" if source else ""
    now = timezone.now()
    reports = []
    for case in cases:
        reporter = reporters.get(case.pk)
        reports.append(
            Report(
                reference=reference_next(prefix=REPORT_PREFIX, received_at=case.received_at),
                channel=Channel.IMPORT,
                status=ReportStatus.CASE_OPENED,
                received_at=case.received_at,
                response_due_at=case.response_due_at,
                case_type=case.case_type,
                category=case.category,
                sub_types=case.sub_types,
                hate_strands=case.hate_strands,
                description=case.description or case.summary,
                location_text=case.location_text,
                urgent=case.urgent,
                anonymous=reporter is None,
                first_name=reporter.first_name if reporter else "",
                last_name=reporter.last_name if reporter else "",
                phone=reporter.phone if reporter else "",
                email=reporter.email if reporter else "",
                case=case,
                triaged_by=actor,
                triaged_at=case.triaged_at or now,
                triage_note=f"Imported{origin}: original reference {case.legacy_reference}",
                created_by=actor,
            )
        )
    Report.objects.bulk_create(reports, batch_size=BATCH_SIZE)


def register() -> None:
    """Record imported cases' reports (called once from IntakeConfig.ready)."""
    on_cases_imported(reports_for_imported_cases)
