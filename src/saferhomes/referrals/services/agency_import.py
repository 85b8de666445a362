"""`agencies_import`: load the agency directory from a .csv or .xlsx file (`saferhomes agencies import FILE`).

The housing importer's machinery (`housing.importers`: reading the file, typed cell reads, the plan), with the
directory's own columns and rules: every row is checked first (by `AgencyDetails.problems`, the same rules as the
pages and the API) and any problem is reported by row and column; then every row is written in one transaction, or
none is. Rows are matched to agencies by code, ignoring case, so importing the same file again changes nothing. A
column left out of the file leaves that field as it is. One audit event records what the import did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.permissions import require
from saferhomes.housing.importers import (
    Column,
    ImportFileError,
    ImportRejectedError,
    ImportResult,
    ImportRow,
    ProgressCallback,
    RowProblem,
    check_required,
)
from saferhomes.housing.importers.cells import Cells, cell_text
from saferhomes.housing.importers.plan import Plan, apply_values, tick
from saferhomes.referrals.models import Agency, AgencyKind
from saferhomes.referrals.services.agencies import AGENCY_FIELDS, LIMITS, MANAGE_AGENCIES, AgencyDetails

KIND = "agencies"
COLUMNS_HINT = "saferhomes agencies columns"
TEXT_COLUMNS = [name for name in LIMITS if name not in ("code", "name")]

AGENCY_COLUMNS: list[Column] = [
    Column("code", True, "A short key that stays the same, e.g. COUNCIL-ASB: rows are matched to agencies by it."),
    Column("name", True, "The agency's or service's name.", ("agency", "agency_name")),
    Column(
        "kind",
        True,
        "One of: " + ", ".join(AgencyKind.values) + " (or its words, e.g. 'Police', 'IDVA service', "
        "'Youth offending team').",
        ("type", "agency_type"),
    ),
    Column("description", False, "What the agency or service does."),
    Column("email", False, "Email address for general enquiries.", ("email_address",)),
    Column("secure_email", False, "Secure email address for personal information (.pnn, .gcsx...).", ("secure",)),
    Column("phone", False, "Phone number.", ("telephone", "phone_number")),
    Column("website", False, "Web address, e.g. https://www.example.org.", ("url", "web")),
    Column("address", False, "Postal address.", ("postal_address",)),
    Column("area_served", False, "The borough, towns or area it covers.", ("area", "coverage")),
    Column("eligibility", False, "Who the service is for.", ("who_for",)),
    Column("how_to_refer", False, "How to make a referral.", ("referral", "how_to_refer_to_them")),
    Column(
        "handles_da",
        False,
        "Yes if the agency is entitled to domestic abuse information (MARAC, IDVA, police public protection); "
        "blank: no.",
        ("domestic_abuse", "da", "entitled_to_da_information"),
    ),
    Column("active", False, "No if the agency no longer takes referrals (blank: yes).", ("taking_referrals",)),
]

# Words people use for each kind, as `choice_key` keys (values and labels are understood already).
KIND_SYNONYMS: dict[str, str] = {
    "police_force": AgencyKind.POLICE,
    "constabulary": AgencyKind.POLICE,
    "neighbourhood_policing_team": AgencyKind.POLICE,
    "public_protection_unit": AgencyKind.POLICE,
    "local_authority": AgencyKind.COUNCIL,
    "asb_team": AgencyKind.COUNCIL,
    "environmental_health": AgencyKind.COUNCIL,
    "community_safety_partnership": AgencyKind.CSP,
    "marac_coordinator": AgencyKind.MARAC,
    "idva_service": AgencyKind.IDVA,
    "domestic_abuse_service": AgencyKind.IDVA,
    "social_services": AgencyKind.SOCIAL_CARE,
    "children_s_social_care": AgencyKind.SOCIAL_CARE,
    "childrens_social_care": AgencyKind.SOCIAL_CARE,
    "adult_social_care": AgencyKind.SOCIAL_CARE,
    "mental_health": AgencyKind.HEALTH,
    "nhs": AgencyKind.HEALTH,
    "drug_and_alcohol": AgencyKind.DRUG_ALCOHOL,
    "drugs_and_alcohol": AgencyKind.DRUG_ALCOHOL,
    "substance_misuse": AgencyKind.DRUG_ALCOHOL,
    "victims": AgencyKind.VICTIM_SUPPORT,
    "victim_and_witness_service": AgencyKind.VICTIM_SUPPORT,
    "youth_offending_team": AgencyKind.YOT,
    "youth_offending_service": AgencyKind.YOT,
    "youth_justice": AgencyKind.YOT,
    "youth_justice_service": AgencyKind.YOT,
}


def _duplicate_codes(rows: Sequence[ImportRow], problems: list[RowProblem]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        code = cell_text(row.values.get("code"))
        if not code:
            continue
        if code.lower() in seen:
            problems.append(RowProblem(row.number, "code", f"'{code}' also appears on row {seen[code.lower()]}"))
        else:
            seen[code.lower()] = row.number


def _plan(rows: Sequence[ImportRow], problems: list[RowProblem], progress: ProgressCallback | None) -> Plan:
    plan = Plan()
    existing = {agency.code.lower(): agency for agency in Agency.objects.all()}
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        _plan_row(Cells(row, problems), existing, plan)
        tick(progress, "Checking rows", done, total)
    return plan


def _plan_row(cells: Cells, existing: dict[str, Agency], plan: Plan) -> None:
    """Check one row and plan its agency's creation or update (or count it unchanged)."""
    code = cells.text("code", required=True)
    current = existing.get(code.lower())
    values: dict[str, Any] = asdict(AgencyDetails.of(current)) if current else {"code": code}
    values["name"] = cells.text("name", required=True)
    values["kind"] = cells.choice("kind", AgencyKind, synonyms=KIND_SYNONYMS, required=True)
    for column in TEXT_COLUMNS:
        if cells.has(column):
            values[column] = cells.text(column)
    if cells.has("handles_da"):
        values["handles_da"] = cells.yes_no("handles_da", default=False)
    if cells.has("active"):
        values["active"] = cells.yes_no("active", default=True)
    reported = {problem.column for problem in cells.problems[cells.start :]}
    details, errors = AgencyDetails(**values).problems()
    for column, message in errors.items():
        if column not in reported:
            cells.error(column, message)
    if not cells.ok:
        return
    fields = {name: getattr(details, name) for name in AGENCY_FIELDS}
    if current is None:
        plan.create.append(Agency(**fields))
    else:
        fields.pop("code")  # matched ignoring case: the stored code stays as it is
        apply_values(current, fields, plan)


def agencies_import(
    *,
    rows: Sequence[ImportRow],
    actor: User | None,
    dry_run: bool = False,
    source: str = "",
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Check every row, then create or update the agencies all together (or, if any row is invalid, none). `actor`
    None: the command line without --user (the system)."""
    if actor is not None:
        require(actor, MANAGE_AGENCIES)
    if not rows:
        raise ImportFileError("There are no rows to import.")
    check_required(AGENCY_COLUMNS, rows[0].values.keys(), columns_hint=COLUMNS_HINT)
    problems: list[RowProblem] = []
    _duplicate_codes(rows, problems)
    plan = _plan(rows, problems, progress)
    if problems:
        raise ImportRejectedError(sorted(problems, key=lambda p: p.row))
    result = ImportResult(
        kind=KIND,
        rows=len(rows),
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        dry_run=dry_run,
    )
    if dry_run:
        return result
    with transaction.atomic():
        Agency.objects.bulk_create(plan.create)
        if plan.update:
            now = timezone.now()
            for agency in plan.update:
                agency.updated_at = now
            Agency.objects.bulk_update(plan.update, sorted(plan.update_fields | {"updated_at"}))
        if progress is not None:
            progress("Writing", len(plan.create) + len(plan.update), len(plan.create) + len(plan.update))
        audit(
            actor=actor,
            verb=AuditVerb.AGENCIES_IMPORTED,
            object_type="referrals.agency",
            object_label="Agencies import" + (f" from {source}" if source else ""),
            after={
                "source": source,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "codes_created": [agency.code for agency in plan.create],
                "codes_updated": [agency.code for agency in plan.update],
            },
        )
    return result
