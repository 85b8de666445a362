"""Recording a milestone of an intervention (issue 16 items 2 and 3): the date (and time when the hour matters), a
document, notes, and the rule data of its kind; the legal rules are checked here (interventions/rules.py).

Some milestones set an expected one (due_on) that the dashboard counts until it happens: a CPW's time to comply, an
injunction's or closure order's expiry, the secure tenant's 7-day review window of an absolute ground notice.
Recording a milestone that was expected fills the expected row in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import EvidenceFile
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.interventions import rules
from saferhomes.interventions.models import Intervention, InterventionStatus, Milestone
from saferhomes.interventions.selectors.interventions import (
    party_date_of_birth,
    party_tenancy_type,
    warnings_given,
)
from saferhomes.interventions.services.errors import raise_if_blocking
from saferhomes.interventions.services.interventions import RECORD_INTERVENTION, _locked

NOTES_MAX = 5000
DATE_DETAILS = ("comply_by", "yot_consulted_on", "ends_on", "trigger_on")
MONTH_DETAILS = ("order_months", "extension_months")


@dataclass(frozen=True)
class Recorded:
    """The milestone recorded, and the rules' warnings (shown to the officer; they do not stop the write)."""

    milestone: Milestone
    warnings: list[rules.Finding]


def _clean_details(raw: dict[str, Any] | None) -> dict[str, Any]:
    """Validate the rule data: ISO dates, whole months, an absolute-ground condition. Unknown keys are refused."""
    details: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        if value in (None, ""):
            continue
        if key in DATE_DETAILS:
            try:
                details[key] = (value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))).isoformat()
            except ValueError:
                raise DomainError(field_errors={key: "Enter a real date"}) from None
        elif key in MONTH_DETAILS:
            try:
                months = int(value)
            except (TypeError, ValueError):
                raise DomainError(field_errors={key: "Enter a whole number of months"}) from None
            if months < 1:
                raise DomainError(field_errors={key: "Enter a whole number of months, 1 or more"})
            details[key] = months
        elif key == "condition":
            details[key] = str(value)
        else:
            raise DomainError(field_errors={"details": f"'{key}' is not rule data Saferhomes records"})
    return details


def _date(details: dict[str, Any], key: str) -> dt.date | None:
    return dt.date.fromisoformat(details[key]) if key in details else None


def _by_key(intervention: Intervention) -> dict[str, list[Milestone]]:
    found: dict[str, list[Milestone]] = {}
    for milestone in intervention.milestones.all().order_by("occurred_on", "id"):
        found.setdefault(milestone.key, []).append(milestone)
    return found


def _first(found: dict[str, list[Milestone]], key: str) -> Milestone | None:
    occurred = [m for m in found.get(key, []) if m.occurred_on is not None]
    return occurred[0] if occurred else None


def _check(
    intervention: Intervention, key: str, on: dt.date, time: dt.time | None, details: dict[str, Any]
) -> tuple[list[rules.Finding], dict[str, dt.date]]:
    """The findings of the rules for this milestone, and the expected milestones it sets (key -> due date)."""
    kind, party = intervention.kind, intervention.party
    found = _by_key(intervention)
    findings: list[rules.Finding] = []
    expect: dict[str, dt.date] = {}
    if kind == "cpw" and key == "issued" and (comply_by := _date(details, "comply_by")):
        if comply_by <= on:
            raise DomainError(field_errors={"comply_by": "The time to comply must end after the warning is issued"})
        expect["time_to_comply_ends"] = comply_by
    elif kind == "cpn" and key == "issued":
        findings += rules.cpn_findings(issued_on=on, warnings=warnings_given(case=intervention.case, party=party))
    elif kind == "civil_injunction" and key == "application":
        findings += rules.injunction_application_findings(
            date_of_birth=party_date_of_birth(party), applied_on=on, yot_consulted_on=_date(details, "yot_consulted_on")
        )
    elif kind == "civil_injunction" and key == "granted":
        ends_on = _date(details, "ends_on")
        findings += rules.injunction_grant_findings(
            date_of_birth=party_date_of_birth(party), granted_on=on, ends_on=ends_on
        )
        if ends_on is not None:
            expect["expiry"] = ends_on
    elif kind in ("closure_notice", "closure_order") and key == "court_hearing":
        served = _first(found, "notice_served")
        if served is not None and served.occurred_on is not None:
            findings += rules.closure_hearing_findings(
                served_on=served.occurred_on, served_time=served.occurred_time, hearing_on=on, hearing_time=time
            )
    elif kind == "closure_order" and key in ("order_made", "extension"):
        made = _first(found, "order_made")
        extensions = [m.details.get("extension_months", 0) for m in found.get("extension", [])]
        if key == "order_made":
            order_months = details.get("order_months")
        else:
            if made is None:
                raise DomainError(field_errors={"key": "Record the closure order first"})
            order_months = made.details.get("order_months")
            extensions.append(details.get("extension_months", 0))
        findings += rules.closure_order_findings(order_months=order_months, extension_months=extensions)
        start = made.occurred_on if made is not None and made.occurred_on else on
        if order_months:
            expect["order_expiry"] = rules.closure_order_ends_on(start, order_months + sum(extensions))
    elif kind == "absolute_ground" and key == "notice_served":
        findings += rules.absolute_ground_findings(details.get("condition"))
        findings += rules.notice_time_limit_findings(
            condition=details.get("condition"), trigger_on=_date(details, "trigger_on"), served_on=on
        )
        tenancy_type, _ = party_tenancy_type(party, on)
        window = rules.review_window_ends(served_on=on, tenancy_type=tenancy_type)
        if window is not None:
            details["review_window_ends"] = window.isoformat()
            expect["review_requested"] = window
    elif kind == "absolute_ground" and key == "review_requested":
        served = _first(found, "notice_served")
        window = served.details.get("review_window_ends") if served is not None else None
        findings += rules.review_request_findings(
            window_ends=dt.date.fromisoformat(window) if window else None, requested_on=on
        )
    return findings, expect


def milestone_record(
    *,
    actor: User,
    intervention: Intervention,
    key: str,
    occurred_on: dt.date | None,
    occurred_time: dt.time | None = None,
    notes: str = "",
    document: EvidenceFile | int | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> Recorded:
    """Record that a milestone happened on an active intervention, checking the rules of its kind.

    A blocking rule raises RuleBrokenError (a DomainError naming the rule); warnings come back with the milestone.
    """
    require(actor, RECORD_INTERVENTION)
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise DomainError(field_errors={"notes": f"Notes must be {NOTES_MAX:,} characters or fewer"})
    if occurred_on is None:
        raise DomainError(field_errors={"occurred_on": "Enter the date it happened"})
    if occurred_on > timezone.localdate():
        raise DomainError(field_errors={"occurred_on": "The date it happened must be today or in the past"})
    clean = _clean_details(details)
    with transaction.atomic():
        current = _locked(actor=actor, intervention=intervention)
        definition = current.kind_definition
        if key not in {m["key"] for m in definition["milestones"]}:
            names = ", ".join(m["name"].lower() for m in definition["milestones"])
            raise DomainError(field_errors={"key": f"Select a milestone of a {definition['name'].lower()} ({names})"})
        if current.status != InterventionStatus.ACTIVE:
            raise DomainError("Milestones are recorded on an active intervention: start it first")
        if current.started_on is not None and occurred_on < current.started_on:
            raise DomainError(field_errors={"occurred_on": "A milestone cannot be before the intervention started"})
        document_id = document.pk if isinstance(document, EvidenceFile) else document
        if document_id is not None and not EvidenceFile.objects.filter(pk=document_id, case=current.case_id).exists():
            raise DomainError(field_errors={"document": "Select a file on this case"})
        findings, expect = _check(current, key, occurred_on, occurred_time, clean)
        warnings = raise_if_blocking(findings)
        expected = current.milestones.filter(key=key, occurred_on__isnull=True).order_by("due_on", "id").first()
        fields = {
            "occurred_on": occurred_on,
            "occurred_time": occurred_time,
            "notes": notes,
            "document_id": document_id,
            "details": {
                **clean,
                **({"warnings": [{"rule": w.rule, "message": w.message} for w in warnings]} if warnings else {}),
            },
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        }
        if expected is not None:
            for name, value in fields.items():
                setattr(expected, name, value)
            expected.save()
            milestone = expected
        else:
            milestone = Milestone.objects.create(intervention=current, key=key, **fields)
        for due_key, due_on in expect.items():
            Milestone.objects.update_or_create(
                intervention=current,
                key=due_key,
                occurred_on__isnull=True,
                defaults={"due_on": due_on, "recorded_by": actor, "recorded_at": timezone.now()},
            )
        Intervention.objects.filter(pk=current.pk).update(version=F("version") + 1)
        audit(
            actor=actor,
            verb=AuditVerb.MILESTONE_RECORDED,
            obj=milestone,
            after={
                "intervention": current.pk,
                "kind": current.kind,
                "key": key,
                "occurred_on": occurred_on.isoformat(),
                "occurred_time": occurred_time.isoformat() if occurred_time else None,
                "document": document_id,
                "details": milestone.details,
                "expected": {k: v.isoformat() for k, v in expect.items()},
            },
            request=request,
        )
    return Recorded(milestone=milestone, warnings=warnings)
