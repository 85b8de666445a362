"""Anonymising a case (issue 19, ADR 0017): nothing identifying is left anywhere, what the figures read is kept,
held and open cases are refused, and doing it twice changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, EvidenceFile, Party
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.intake.models import Report, StatusLink
from saferhomes.privacy.models import LegalHold
from saferhomes.privacy.services.anonymise import anonymise_case
from saferhomes.privacy.services.execute import execute_run
from tests.privacy.anonymise_helpers import (  # the fixtures: evidence_dir, officer, manager
    approved_run,
    database_hits,
    evidence_dir_fixture,
    manager_fixture,
    officer_fixture,
    storage_hits,
    table_snapshot,
)
from tests.privacy.fullcase import full_case

pytestmark = pytest.mark.django_db

__all__ = ["evidence_dir_fixture", "manager_fixture", "officer_fixture"]


def test_after_the_job_no_identifying_value_remains_in_any_table_or_stored_file(
    officer: User, manager: User, dpo_daniel: User, evidence_dir: Path
) -> None:
    due = full_case(officer, manager, tag="Alpha")
    kept = full_case(officer, manager, tag="Bravo")
    Case.objects.filter(pk=kept.case.pk).update(closed_at=None, outcome="", status="reopened")
    assert database_hits(due.values), "the sentinels are there before"
    assert storage_hits(evidence_dir, due.values)

    result = execute_run(approved_run(dpo_daniel))

    assert result.anonymised == 1
    assert result.finished
    assert database_hits(due.values) == []
    assert storage_hits(evidence_dir, due.values) == []
    # Another case's data is untouched: every one of its values is still where it was.
    found = {value for _table, value in database_hits(kept.values)}
    found |= {value.lower() for _file, value in storage_hits(evidence_dir, kept.values)}
    assert found == {value.lower() for value in kept.values}


def test_anonymising_keeps_codes_dates_and_links_the_figures_read(
    officer: User, manager: User, evidence_dir: Path
) -> None:
    full = full_case(officer, manager, tag="Charlie")
    before = Case.objects.get(pk=full.case.pk)

    anonymise_case(full.case.pk, actor=None)

    after = Case.objects.get(pk=full.case.pk)
    for name in ("reference", "case_type", "status", "priority", "outcome", "received_at", "closed_at", "estate_id"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.assigned_officer_id == before.assigned_officer_id
    assert after.team_id == before.team_id
    assert after.summary == "Anonymised case"
    assert after.anonymised_at is not None
    assert not after.properties.exists()
    victim = Party.objects.get(case=after, role="victim")
    assert (victim.first_name, victim.last_name, victim.phone, victim.date_of_birth) == ("Anonymised", "", "", None)
    assert not Party.objects.filter(case=after, person__isnull=False).exists()
    assert not Report.objects.filter(case=after, person__isnull=False).exists()
    assert victim.equality_monitoring.age_band == "35_44"
    assert EvidenceFile.objects.filter(case=after).count() == 1  # the record stays (counted), its file is gone
    assert all(link.revoked_at is not None for link in StatusLink.objects.filter(report__case=after))


def test_the_audit_event_records_what_was_done_not_what_was_there(
    officer: User, manager: User, evidence_dir: Path
) -> None:
    full = full_case(officer, manager, tag="Delta")

    summary = anonymise_case(full.case.pk, actor=None)

    event = AuditEvent.objects.get(verb=AuditVerb.CASE_ANONYMISED)
    assert (event.object_type, event.object_id, event.object_label) == (
        "cases.case",
        str(full.case.pk),
        full.case.reference,
    )
    after = event.after or {}
    assert after["files_deleted"] == summary.files_deleted == 6
    assert after["records"]["cases.party"] == 2
    assert after["records"]["intake.report"] == 1
    assert after["audit_events_redacted"] >= 3
    assert all(isinstance(n, int) for n in after["records"].values())


def test_audit_events_about_the_case_records_are_redacted_keeping_who_when_and_what(
    officer: User, manager: User, evidence_dir: Path
) -> None:
    full = full_case(officer, manager, tag="Echo")
    report = Report.objects.get(case=full.case)
    public = AuditEvent.objects.get(object_type="intake.report", object_id=str(report.pk))
    staff = AuditEvent.objects.filter(object_type="cases.case", object_id=str(full.case.pk)).exclude(reason="").get()

    anonymise_case(full.case.pk, actor=None)

    public.refresh_from_db()
    staff.refresh_from_db()
    assert public.redacted_at is not None
    assert public.ip_address is None
    assert public.after == {"name": "[anonymised]", "nested": {"phone": "[anonymised]"}}
    assert public.object_label == full.case.reference
    assert staff.reason == "[anonymised]"
    assert staff.actor == officer
    assert staff.verb == AuditVerb.CASE_CLOSED


def test_anonymising_twice_changes_nothing_the_second_time(officer: User, manager: User, evidence_dir: Path) -> None:
    full = full_case(officer, manager, tag="Foxtrot")
    anonymise_case(full.case.pk, actor=None)
    snapshot = table_snapshot()

    again = anonymise_case(full.case.pk, actor=None)

    assert again.already is True
    assert table_snapshot() == snapshot
    assert AuditEvent.objects.filter(verb=AuditVerb.CASE_ANONYMISED).count() == 1


def test_held_case_is_never_anonymised(officer: User, manager: User, evidence_dir: Path) -> None:
    full = full_case(officer, manager, tag="Golf")
    LegalHold.objects.create(case=full.case, reason="Litigation pending", placed_by=manager)
    snapshot = table_snapshot()

    with pytest.raises(DomainError, match="legal hold"):
        anonymise_case(full.case.pk, actor=None)

    assert table_snapshot() == snapshot
    assert storage_hits(evidence_dir, full.values)


def test_an_open_case_is_never_anonymised(officer: User, manager: User, evidence_dir: Path) -> None:
    full = full_case(officer, manager, tag="Hotel")
    Case.objects.filter(pk=full.case.pk).update(status="reopened", closed_at=None, outcome="")

    with pytest.raises(DomainError, match="not closed"):
        anonymise_case(full.case.pk, actor=None)

    assert Case.objects.get(pk=full.case.pk).anonymised_at is None


def test_a_file_already_gone_from_storage_does_not_stop_the_case(
    officer: User, manager: User, evidence_dir: Path
) -> None:
    full = full_case(officer, manager, tag="India")
    evidence = EvidenceFile.objects.get(case=full.case)
    (evidence_dir / evidence.file.name).unlink()

    summary = anonymise_case(full.case.pk, actor=None)

    assert summary.records
    assert Case.objects.get(pk=full.case.pk).anonymised_at is not None


def test_the_case_page_of_an_anonymised_case_says_so_and_shows_none_of_its_people(
    officer: User, manager: User, dpo_daniel: User, evidence_dir: Path
) -> None:
    from tests.conftest import client_verified_as

    full = full_case(officer, manager, tag="Echo")
    execute_run(approved_run(dpo_daniel))

    page = client_verified_as(manager).get(f"/staff/cases/{full.case.reference}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Anonymised on" in text
    assert "Kept until" not in text
    assert [value for value in full.values if value.lower() in text.lower()] == []
