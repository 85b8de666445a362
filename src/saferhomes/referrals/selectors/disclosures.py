"""Disclosures: those of one case (its Partnership tab) and the DPO's disclosure log (issue 15 item 5: "every
disclosure recorded (what, to whom, when, why, under which agreement or lawful basis, by whom), listed on the case
and in a DPO disclosure log with filters and CSV").

A MARAC form's disclosure is listed on a case only to staff in the DA permission set (others never learn a MARAC
referral exists); the log is for holders of `referrals.view_disclosure_log` (managers, the DPO), who see every
disclosure and the case's reference, never the case itself. Each row's agency, agreement, case and discloser are
joined in, so a page costs the same few queries however long the log grows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Agency, Disclosure, DisclosureSource

VIEW_DA = "cases.view_da_cases"
VIEW_LOG = "referrals.view_disclosure_log"


def disclosures_for_case(*, case: Case, actor: User) -> QuerySet[Disclosure]:
    """Every disclosure of this case (the actor has opened it), newest first; MARAC forms only to the DA set."""
    disclosures = (
        Disclosure.objects.filter(case=case)
        .select_related("agency", "agreement", "disclosed_by")
        .order_by("-disclosed_at", "-id")
    )
    if not actor.has_perm(VIEW_DA):
        disclosures = disclosures.exclude(source=DisclosureSource.MARAC_FORM)
    return disclosures


@dataclass(frozen=True)
class DisclosureFilters:
    """What the DPO asked for; empty values mean "any". Dates are local (Europe/London) and inclusive."""

    agency: Agency | None = None
    case_reference: str = ""
    source: str = ""
    lawful_basis: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    disclosed_by: str = ""

    def as_dict(self) -> dict[str, str]:
        """The filters that were set, JSON-safe, for the audit record of an export."""
        values = {**asdict(self), "agency": self.agency.code if self.agency else ""}
        return {
            name: (value.isoformat() if isinstance(value, dt.date) else str(value))
            for name, value in values.items()
            if value
        }


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def disclosure_log(*, actor: User, filters: DisclosureFilters) -> QuerySet[Disclosure]:
    """Every disclosure matching `filters`, newest first, for holders of referrals.view_disclosure_log."""
    require(actor, VIEW_LOG)
    rows = Disclosure.objects.select_related("agency", "agreement", "disclosed_by", "case").only(*DISCLOSURE_LOG_FIELDS)
    if filters.agency is not None:
        rows = rows.filter(agency=filters.agency)
    if filters.case_reference:
        rows = rows.filter(case__reference=filters.case_reference.strip().upper())
    if filters.source:
        rows = rows.filter(source=filters.source)
    if filters.lawful_basis:
        rows = rows.filter(lawful_basis=filters.lawful_basis)
    if filters.date_from:
        rows = rows.filter(disclosed_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        rows = rows.filter(disclosed_at__lt=_local_midnight(filters.date_to + dt.timedelta(days=1)))
    if filters.disclosed_by:
        rows = rows.filter(disclosed_by__username__iexact=filters.disclosed_by.strip())
    return rows.order_by("-disclosed_at", "-id")


# What a row of the log reads: loading only these keeps the case's own contents out of the DPO's query.
DISCLOSURE_LOG_FIELDS = (
    "id",
    "source",
    "what",
    "reason",
    "lawful_basis",
    "disclosed_at",
    "agency__id",
    "agency__code",
    "agency__name",
    "agreement__id",
    "agreement__name",
    "disclosed_by__id",
    "disclosed_by__username",
    "disclosed_by__first_name",
    "disclosed_by__last_name",
    "case__id",
    "case__reference",
)


def disclosure_agencies() -> QuerySet[Agency]:
    """Agencies anything was ever disclosed to, by name (choices for the log's filter)."""
    return Agency.objects.filter(disclosures__isnull=False).distinct().order_by("name", "pk")


def disclosure_log_for_export(
    *, actor: User, filters: DisclosureFilters, export_format: str, request: HttpRequest | None = None
) -> QuerySet[Disclosure]:
    """The log as `disclosure_log` gives it, for a download; the download is recorded (disclosure.log_exported) with
    the filters, the format and how many rows went."""
    rows = disclosure_log(actor=actor, filters=filters)
    audit(
        actor=actor,
        verb=AuditVerb.DISCLOSURE_LOG_EXPORTED,
        object_type="referrals.disclosure",
        after={"filters": filters.as_dict(), "format": export_format, "rows": rows.count()},
        request=request,
    )
    return rows
