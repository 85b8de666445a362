"""Helpers for the oversight tests: reads of cases at chosen moments, as `cases.selectors.case` records them."""

from __future__ import annotations

import datetime as dt

import time_machine

from saferhomes.accounts.models import User
from saferhomes.cases.models import AccessGrant, Case, CaseType, Sensitivity
from saferhomes.core.audit import audit, audit_read
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from tests.cases.factories import CaseFactory, PartyFactory

SECRET_SUMMARY = "Sensitive summary Zebedee Quartermaine"
SECRET_DESCRIPTION = "Secret description about Wilhelmina Fothergill-Smythe"
SECRET_PARTY = ("Ottoline", "Bramblethwaite")


def restricted_case(**fields: object) -> Case:
    """A DA case whose summary, description and party name must never reach an oversight page."""
    fields.setdefault("case_type", CaseType.DA)
    fields.setdefault("sensitivity", Sensitivity.DA)
    fields.setdefault("summary", SECRET_SUMMARY)
    fields.setdefault("description", SECRET_DESCRIPTION)
    case: Case = CaseFactory.create(**fields)
    PartyFactory.create(case=case, first_name=SECRET_PARTY[0], last_name=SECRET_PARTY[1])
    return case


def read_at(user: User, case: Case, at: dt.datetime, page: str = "") -> AuditEvent:
    """`user` opened `case` at `at` (a restricted read, as case_get_for_actor records it)."""
    with time_machine.travel(at, tick=False):
        return audit_read(actor=user, obj=case, reason=page or f"/staff/cases/{case.reference}/")


def break_glass_at(user: User, case: Case, at: dt.datetime, *, hours: int = 8, reason: str = "") -> AccessGrant:
    """A manager broke glass on `case` at `at`, as cases.services.break_glass records it."""
    reason = reason or "Complaint from the tenant's MP about the handling of the case"
    grant = AccessGrant.objects.create(
        case=case, user=user, reason=reason, granted_at=at, expires_at=at + dt.timedelta(hours=hours)
    )
    with time_machine.travel(at, tick=False):
        audit(actor=user, verb=AuditVerb.CASE_BREAK_GLASS, obj=case, reason=reason)
    return grant
