"""Records that expire on their own schedule (issue 19 part 1), with no approval step because nothing of a case is
touched: reports never made into a case (not taken forward, or a draft never completed) are deleted with their files
once past the `report_not_taken_forward` rule; reporters' and applicants' status links are revoked once past the
`status_link` rule (a revoked link opens nothing: the status page treats it as unknown)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from saferhomes.case_review.models import OPEN_STATUSES, Application
from saferhomes.case_review.models import StatusLink as ApplicationLink
from saferhomes.cases.models import Status
from saferhomes.cases.storage import evidence_storage
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import local_dates_span
from saferhomes.intake.models import InboundEmail, Report, ReportAttachment, ReportStatus, StatusLink
from saferhomes.privacy.models import RetentionRecord
from saferhomes.privacy.selectors.retention import first_start_not_due, record_rule

EXPIRED = "Expired under the retention schedule"
REPORT_BATCH = 500
DEFAULT_REPORT_MONTHS = 12
DEFAULT_LINK_MONTHS = 3


@dataclass
class Expired:
    reports_deleted: int = 0
    files_deleted: int = 0
    status_links_revoked: int = 0
    application_links_revoked: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _cutoff(record: RetentionRecord, default_months: int, today: dt.date) -> dt.datetime:
    """The moment before which the start event makes a record of this kind due today (London midnight)."""
    rule = record_rule(record)
    months, days = (rule.months, rule.days) if rule else (default_months, 0)
    first = first_start_not_due(today, months, days)
    return local_dates_span(first, first)[0]


def _delete_files(names: list[str]) -> None:
    storage = evidence_storage()
    for name in names:
        storage.delete(name)


def expired_reports(today: dt.date) -> Any:
    """Reports never made into a case, received before the report rule's cutoff."""
    cutoff = _cutoff(RetentionRecord.REPORT_NOT_TAKEN_FORWARD, DEFAULT_REPORT_MONTHS, today)
    return Report.objects.filter(
        status__in=[ReportStatus.NOT_PROCEEDED, ReportStatus.DRAFT], case__isnull=True, received_at__lt=cutoff
    )


def reports_expire(*, today: dt.date | None = None) -> Expired:
    """Delete expired reports, their diary, messages, links, inbound email and files (files after the commit, as
    `intake_leftovers_delete` does). One audit event per report: its reference, never its contents."""
    today = today or timezone.localdate()
    done = Expired()
    ids = list(expired_reports(today).order_by("pk").values_list("pk", flat=True)[:REPORT_BATCH])
    for pk in ids:
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=pk, case__isnull=True).first()
            if report is None:
                continue
            files = ReportAttachment.objects.filter(Q(report=report) | Q(diary_entry__report=report))
            names = [name for name in files.values_list("file", flat=True) if name]
            files.delete()
            InboundEmail.objects.filter(report=report).delete()  # the raw email is the same personal data
            reference = report.reference
            report.delete()
            audit(
                actor=None,
                verb=AuditVerb.REPORT_EXPIRED,
                object_type="intake.report",
                object_id=pk,
                object_label=reference,
                after={"files": len(names)},
                reason=EXPIRED,
            )
            transaction.on_commit(partial(_delete_files, names))
        done.reports_deleted += 1
        done.files_deleted += len(names)
    return done


def status_links_expire(*, today: dt.date | None = None, now: dt.datetime | None = None) -> Expired:
    """Revoke status links past the status-link rule: a report's link once its case has been closed that long (or,
    with no case, once the link is as old as the report rule allows); an applicant's link once the application has
    been decided (and any outcome sent) that long."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    done = Expired()
    link_cutoff = _cutoff(RetentionRecord.STATUS_LINK, DEFAULT_LINK_MONTHS, today)
    report_cutoff = _cutoff(RetentionRecord.REPORT_NOT_TAKEN_FORWARD, DEFAULT_REPORT_MONTHS, today)
    expired = StatusLink.objects.filter(revoked_at__isnull=True).filter(
        Q(report__case__status=Status.CLOSED, report__case__closed_at__lt=link_cutoff)
        | Q(report__case__isnull=True, created_at__lt=report_cutoff)
    )
    with transaction.atomic():
        done.status_links_revoked = expired.update(revoked_at=now, revoked_reason=EXPIRED)
    finished = (
        Application.objects.exclude(status__in=OPEN_STATUSES)
        .annotate(finished_at=Coalesce("outcome_sent_at", "applicant_told_at", "decided_at", "updated_at"))
        .filter(finished_at__lt=link_cutoff)
        .values("pk")
    )
    with transaction.atomic():
        done.application_links_revoked = ApplicationLink.objects.filter(
            revoked_at__isnull=True, application__in=finished
        ).update(revoked_at=now)
    if done.status_links_revoked or done.application_links_revoked:
        audit(
            actor=None,
            verb=AuditVerb.STATUS_LINKS_EXPIRED,
            object_type="intake.statuslink",
            object_label="Status links",
            after={"reports": done.status_links_revoked, "applications": done.application_links_revoked},
            reason=EXPIRED,
        )
    return done
