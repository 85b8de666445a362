"""Triage services: open a case from a report, add a repeat report to an open case, or take it no further."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import (
    CaseType,
    EvidenceFile,
    IncidentSource,
    PartyRole,
    Sensitivity,
    Status,
)
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.intake.models import Channel, DiaryEntry, Report, ReportAttachment, ReportStatus
from saferhomes.intake.selectors.staff import case_suggestions, reports_visible_to
from saferhomes.intake.services.triage import (
    TriageDecision,
    report_add_to_case,
    report_not_proceeded,
    report_open_case,
)
from tests.cases.factories import CaseFactory, PartyFactory, force_status
from tests.housing.factories import PersonFactory, PropertyFactory
from tests.intake.triage_helpers import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


def _asb(**changes: object) -> TriageDecision:
    base: dict[str, object] = {"case_type": CaseType.ASB, "category": "nuisance", "sub_types": ("noise",)}
    return TriageDecision(**(base | changes))  # type: ignore[arg-type]


@time_machine.travel(dt.datetime(2025, 12, 24, 15, 0, tzinfo=dt.UTC), tick=False)
def test_case_opened_from_report_keeps_the_reports_received_time_and_deadline(officer: User) -> None:
    received = timezone.now() - dt.timedelta(hours=3)
    report = submit(officer, received_at=received)
    result = report_open_case(actor=officer, report=report, decision=_asb(priority="normal"))
    case = result.case
    assert case is not None
    assert result.case_visible
    assert case.received_at == report.received_at == received
    assert case.response_due_at == report.response_due_at
    assert case.status == Status.TRIAGED
    assert result.report.status == ReportStatus.CASE_OPENED
    assert result.report.case == case
    reporter = case.parties.get(role=PartyRole.REPORTER)
    assert (reporter.first_name, reporter.email) == ("Ada", "ada.hale@example.org")
    incident = case.incidents.get()
    assert incident.source == IncidentSource.REPORT
    assert AuditEvent.objects.filter(verb="report.triaged", object_label=report.reference).exists()


def test_register_person_becomes_the_reporter_party(officer: User) -> None:
    person = PersonFactory.create()
    home = PropertyFactory.create()
    report = submit(officer, person=person, home=home, first_name="", last_name="")
    case = report_open_case(actor=officer, report=report, decision=_asb()).case
    assert case is not None
    assert case.parties.get(role=PartyRole.REPORTER).person == person
    assert list(case.properties.all()) == [home]
    assert case.status == Status.NEW  # no priority given: the case awaits its own triage


def test_anonymous_report_opens_a_case_with_an_anonymous_reporter(officer: User) -> None:
    report = submit(officer, anonymous=True)
    case = report_open_case(actor=officer, report=report, decision=_asb()).case
    assert case is not None
    assert case.parties.get().anonymous


def test_urgency_override_needs_a_reason_and_moves_the_deadline(officer: User) -> None:
    report = submit(officer)
    with pytest.raises(DomainError) as refused:
        report_open_case(actor=officer, report=report, decision=_asb(urgent=True))
    assert "urgent_reason" in refused.value.field_errors
    result = report_open_case(
        actor=officer, report=report, decision=_asb(urgent=True, urgent_reason="Threats made to a child")
    )
    assert result.report.urgent
    assert result.report.urgent_override_reason == "Threats made to a child"
    assert result.case is not None
    assert result.case.urgent
    assert result.case.response_due_at == result.report.response_due_at
    assert result.report.response_due_at is not None
    assert report.response_due_at is not None
    assert result.report.response_due_at < report.response_due_at


def test_hate_crime_prompts_a_police_referral_recorded_in_the_audit(officer: User) -> None:
    report = submit(officer, problem="hate", hate_strands=("race",))
    result = report_open_case(
        actor=officer,
        report=report,
        decision=TriageDecision(case_type=CaseType.HATE, hate_strands=("race",), urgent=True, criminal=True),
    )
    assert [p.code for p in result.prompts][:1] == ["police_referral"]
    assert result.case is not None
    event = AuditEvent.objects.get(verb="case.prompted", object_id=str(result.case.pk))
    assert event.after is not None
    assert "police_referral" in event.after["prompts"]


def test_hate_case_needs_a_strand(officer: User) -> None:
    report = submit(officer)
    with pytest.raises(DomainError) as refused:
        report_open_case(actor=officer, report=report, decision=TriageDecision(case_type=CaseType.HATE))
    assert "hate_strands" in refused.value.field_errors


def test_second_report_by_the_same_reporter_within_6_months_prompts_the_case_review(officer: User) -> None:
    first = submit(officer, received_at=timezone.now() - dt.timedelta(days=100))
    first_case = report_open_case(actor=officer, report=first, decision=_asb()).case
    force_status(first_case, Status.CLOSED) if first_case else None
    second = submit(officer)
    result = report_open_case(actor=officer, report=second, decision=_asb())
    assert "case_review" in [p.code for p in result.prompts]


def test_first_report_prompts_no_case_review(officer: User) -> None:
    result = report_open_case(actor=officer, report=submit(officer), decision=_asb())
    assert "case_review" not in [p.code for p in result.prompts]


def test_repeat_report_is_added_to_the_open_case_not_a_new_case(officer: User) -> None:
    first = submit(officer)
    case = report_open_case(actor=officer, report=first, decision=_asb()).case
    assert case is not None
    repeat = submit(officer, description="Again last night, 2am")
    suggestions = case_suggestions(actor=officer, report=repeat)
    assert [s.case for s in suggestions] == [case]
    assert "The same email address as the reporter" in suggestions[0].reasons
    result = report_add_to_case(actor=officer, report=repeat, case_reference=case.reference, decision=_asb())
    assert result.report.status == ReportStatus.ADDED_TO_CASE
    assert result.case == case
    assert case.incidents.count() == 2
    assert case.parties.count() == 1  # the reporter is already on it
    assert Report.objects.filter(case=case).count() == 2
    assert "case_review" in [p.code for p in result.prompts]  # the same reporter twice within 6 months


def test_cannot_add_to_a_closed_case(officer: User) -> None:
    case = report_open_case(actor=officer, report=submit(officer), decision=_asb()).case
    assert case is not None
    force_status(case, Status.CLOSED)
    with pytest.raises(DomainError) as refused:
        report_add_to_case(actor=officer, report=submit(officer), case_reference=case.reference, decision=_asb())
    assert "case_reference" in refused.value.field_errors


def test_suggestions_match_by_home_and_postcode_and_skip_closed_and_invisible_cases(officer: User) -> None:
    home = PropertyFactory.create(postcode="LS1 4AP")
    neighbour = PropertyFactory.create(postcode="LS1 4AP")
    same_home = CaseFactory.create(assigned_officer=officer, team=officer.team)
    same_home.properties.add(home)
    same_postcode = CaseFactory.create(assigned_officer=officer, team=officer.team)
    same_postcode.properties.add(neighbour)
    closed = force_status(CaseFactory.create(assigned_officer=officer, team=officer.team), Status.CLOSED)
    closed.properties.add(home)
    hidden = CaseFactory.create()  # another team's case
    hidden.properties.add(home)
    report = submit(officer, home=home, email="", phone="")
    found = {s.case.pk: s.reasons for s in case_suggestions(actor=officer, report=report)}
    assert found == {same_home.pk: ["The same home"], same_postcode.pk: ["The same postcode (LS1 4AP)"]}


def test_suggestions_respect_the_time_window(officer: User) -> None:
    person = PersonFactory.create()
    old = CaseFactory.create(assigned_officer=officer, team=officer.team)
    PartyFactory.create(case=old, person=person)
    with time_machine.travel(timezone.now() + dt.timedelta(days=200)):
        report = submit(officer, person=person)
        assert case_suggestions(actor=officer, report=report) == []


def test_not_proceeded_needs_a_reason(officer: User) -> None:
    report = submit(officer)
    with pytest.raises(DomainError):
        report_not_proceeded(actor=officer, report=report, reason="")
    done = report_not_proceeded(actor=officer, report=report, reason="Not one of our homes: passed to the council")
    assert done.status == ReportStatus.NOT_PROCEEDED
    assert done.case is None


def test_stale_version_is_refused_and_a_triaged_report_cannot_be_triaged_again(officer: User) -> None:
    report = submit(officer)
    with pytest.raises(DomainError, match="changed by"):
        report_open_case(actor=officer, report=report, decision=_asb(), version=report.version + 1)
    report_open_case(actor=officer, report=report, decision=_asb(), version=report.version)
    with pytest.raises(DomainError, match="already been triaged"):
        report_not_proceeded(actor=officer, report=report, reason="Duplicate of another report")


def test_da_report_is_invisible_to_officers_and_opens_a_da_case_for_the_specialist(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff(Role.OFFICER)
    specialist = make_staff(Role.DA_SPECIALIST)
    report = submit(officer, problem="domestic_abuse")
    assert not reports_visible_to(actor=officer).filter(pk=report.pk).exists()
    with pytest.raises(Http404):
        report_not_proceeded(actor=officer, report=report, reason="Trying to hide it")
    result = report_open_case(
        actor=specialist, report=report, decision=TriageDecision(case_type=CaseType.DA, urgent=True)
    )
    assert result.case is not None
    assert result.case.sensitivity == Sensitivity.DA
    assert result.case.assigned_officer == specialist


def test_attachments_and_diary_entries_move_to_the_case(officer: User) -> None:
    report = submit(officer)
    attachment = ReportAttachment(
        report=report, original_name="noise.txt", content_type="text/plain", size=5, sha256="0" * 64
    )
    attachment.file.save("noise.txt", ContentFile(b"noise"), save=True)
    DiaryEntry.objects.create(
        report=report, occurred_at=timezone.now() - dt.timedelta(hours=1), description="Shouting at 1am"
    )
    case = report_open_case(actor=officer, report=report, decision=_asb()).case
    assert case is not None
    evidence = EvidenceFile.objects.get(case=case)
    assert evidence.file.name == attachment.file.name
    attachment.refresh_from_db()
    assert attachment.evidence == evidence
    assert case.incidents.filter(source=IncidentSource.REPORTER_DIARY).count() == 1


def test_email_draft_can_be_triaged(officer: User) -> None:
    draft = Report.objects.get(pk=submit(channel=Channel.EMAIL, problem="other", first_name="", last_name="Sender").pk)
    Report.objects.filter(pk=draft.pk).update(status=ReportStatus.DRAFT)
    draft.refresh_from_db()
    result = report_open_case(actor=officer, report=draft, decision=_asb())
    assert result.report.status == ReportStatus.CASE_OPENED
