"""One chronological timeline of everything on a case, filterable by kind, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.extensions import TIMELINE_SOURCES
from saferhomes.cases.models import Case, ContactPurpose, Party
from saferhomes.cases.services import evidence as evidence_services
from saferhomes.cases.services import record
from saferhomes.cases.timeline import TimelineKind, case_timeline
from saferhomes.core.audit import audit, audit_read
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.housing.models import ContactMethod
from tests.cases.record_helpers import (  # noqa: F401
    SAMPLES,
    case_fixture,
    evidence_dir_fixture,
    officer_fixture,
    reporter_fixture,
    upload,
)
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db


def _fill(case: Case, officer: User, reporter: Party, start: dt.datetime, copies: int = 1) -> None:
    """Some of everything, at known moments after `start` (one hour apart per kind and copy)."""
    for n in range(copies):
        base = start + dt.timedelta(days=n)
        with time_machine.travel(base + dt.timedelta(hours=6), tick=False):
            record.incident_record(
                actor=officer,
                case=case,
                occurred_at=base + dt.timedelta(hours=1),
                description=f"Incident {n}",
                location_text="Block C",
                parties_involved=[reporter],
            )
            record.contact_record(
                actor=officer,
                case=case,
                party=reporter,
                method=ContactMethod.PHONE,
                purpose=ContactPurpose.FIRST_RESPONSE,
                occurred_at=base + dt.timedelta(hours=2),
                summary=f"Call {n}",
            )
        with time_machine.travel(base + dt.timedelta(hours=3), tick=False):
            record.note_add(actor=officer, case=case, text=f"Note {n}")
        with time_machine.travel(base + dt.timedelta(hours=4), tick=False):
            action = record.action_add(actor=officer, case=case, description=f"Action {n}")
            evidence_services.evidence_upload(actor=officer, case=case, file=upload(*SAMPLES["image/png"]))
        with time_machine.travel(base + dt.timedelta(hours=5), tick=False):
            record.action_complete(actor=officer, action=action, note="Done")
            audit(
                actor=officer,
                verb=cast(AuditVerb, "case.transitioned"),
                obj=case,
                before={"status": "new"},
                after={"status": "open"},
                reason="Investigation started",
            )
            audit(
                actor=officer,
                verb=AuditVerb.CASE_ASSIGNED,
                obj=case,
                before={"assigned_officer_id": None},
                after={"assigned_officer_id": officer.pk},
            )
            audit_read(actor=officer, obj=case)  # reads are not part of the timeline


@pytest.fixture(name="start")
def start_fixture(case: Case) -> dt.datetime:
    return case.received_at + dt.timedelta(minutes=5)


def test_timeline_puts_everything_in_time_order_newest_first(
    officer: User, case: Case, reporter: Party, start: dt.datetime, evidence_dir: Path
) -> None:
    _fill(case, officer, reporter, start)
    entries = case_timeline(case=case)
    assert [entry.at for entry in entries] == sorted((entry.at for entry in entries), reverse=True)
    assert [(entry.kind, entry.title) for entry in entries] == [
        ("case", "Response clock stopped"),  # audited when the contact was written up, at hour 6
        ("case", "Status changed"),  # hour 5: case changes, then the action completed at the same moment
        ("case", "Assigned"),
        ("action", "Task completed"),
        ("evidence", "Evidence added: screenshot.png"),  # hour 4
        ("action", "Task added"),
        ("note", "Note"),  # hour 3
        ("contact", f"Phone, from us to them: {reporter.display_name}"),  # hour 2
        ("incident", "Incident (Officer)"),  # hour 1
    ]
    by_title = {entry.title: entry for entry in entries}
    assert by_title["Incident (Officer)"].at == start + dt.timedelta(hours=1)
    assert by_title["Response clock stopped"].at == start + dt.timedelta(hours=6)
    assert by_title["Status changed"].details == ["Status: New to Open", "Reason: Investigation started"]
    assert by_title["Assigned"].details == [f"Officer: {officer.get_full_name()}"]
    assert by_title["Response clock stopped"].details[0].startswith("Responded: ")
    assert by_title["Task completed"].actor == officer.get_full_name()
    assert not [entry for entry in entries if "viewed" in entry.title.lower()]


def test_timeline_oldest_first_starts_with_the_incident(
    officer: User, case: Case, reporter: Party, start: dt.datetime, evidence_dir: Path
) -> None:
    _fill(case, officer, reporter, start)
    entries = case_timeline(case=case, newest_first=False)
    assert entries[0].kind == TimelineKind.INCIDENT
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)


@pytest.mark.parametrize("kind", TimelineKind.values)
def test_timeline_filters_by_kind(
    officer: User, case: Case, reporter: Party, start: dt.datetime, evidence_dir: Path, kind: str
) -> None:
    _fill(case, officer, reporter, start)
    entries = case_timeline(case=case, kinds=[kind])
    assert entries
    assert {entry.kind for entry in entries} == {kind}


def test_timeline_queries_do_not_grow_with_the_case(
    officer: User, case: Case, reporter: Party, start: dt.datetime, evidence_dir: Path
) -> None:
    _fill(case, officer, reporter, start, copies=1)
    with CaptureQueriesContext(connection) as small:
        assert len(case_timeline(case=case)) > 0
    _fill(case, officer, reporter, start + dt.timedelta(days=1), copies=5)
    with CaptureQueriesContext(connection) as large:
        assert len(case_timeline(case=case)) > len(small.captured_queries)
    assert len(large.captured_queries) == len(small.captured_queries)
    # One query per kind of the case's own (six) and one to name the officers in the changes; each kind another app
    # registers (risk's assessments; referrals' referrals and support offers) reads in at most two.
    assert len(large.captured_queries) <= 7 + 2 * len(TIMELINE_SOURCES)


def test_timeline_page_filters_with_get_and_keeps_the_choice(
    officer: User, case: Case, reporter: Party, start: dt.datetime, evidence_dir: Path
) -> None:
    _fill(case, officer, reporter, start)
    client: Client = client_verified_as(officer)
    page = client.get(
        reverse("cases:timeline", kwargs={"reference": case.reference}), {"kind": ["contact"], "order": "oldest"}
    ).content.decode()
    assert "Call 0" in page
    assert "Incident 0" not in page
    assert 'value="contact"\n                     checked' in page or 'value="contact" checked' in page
    assert 'id="order-oldest"' in page


def test_timeline_names_reassignments_from_the_audit_trail(
    officer: User, case: Case, make_staff: Callable[..., User]
) -> None:
    colleague = make_staff(Role.COORDINATOR, first_name="Cara", last_name="Coordinator")
    with time_machine.travel(timezone.now(), tick=False):
        audit(
            actor=colleague,
            verb=AuditVerb.CASE_REASSIGNED,
            obj=case,
            before={"assigned_officer_id": colleague.pk, "team_id": None},
            after={"assigned_officer_id": officer.pk, "team_id": officer.team_id},
            reason="Officer on leave",
        )
    [entry] = case_timeline(case=case, kinds=[TimelineKind.CASE])
    assert entry.title == "Reassigned"
    assert entry.actor == "Cara Coordinator"
    assert entry.details == [
        f"Officer: Cara Coordinator to {officer.get_full_name()}",
        f"Team: {officer.team}",
        "Reason: Officer on leave",
    ]
