"""Nothing the reporter told us is lost at triage (issue 14 parts 1 and 3): safe times, chosen ways of contact,
language and format reach the case's reporter party; the alleged perpetrator the report describes can become a party;
the reporter's own account and files show as from the reporter, not from the officer who triaged them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, EvidenceFile, PartyRole
from saferhomes.cases.services.party import PartyDetails, party_update
from saferhomes.cases.services.record import incident_record
from saferhomes.cases.timeline import TimelineKind, case_timeline
from saferhomes.core.errors import DomainError
from saferhomes.intake.models import DiaryEntry, ReportAttachment
from saferhomes.intake.services.triage import TriageDecision, report_add_to_case, report_open_case
from tests.cases.factories import CaseFactory
from tests.conftest import client_verified_as
from tests.intake.triage_helpers import submit

pytestmark = pytest.mark.django_db

CONTACT: dict[str, Any] = {
    "contact_methods": ("text", "email"),
    "safe_times": "Weekdays after 6pm",
    "safe_contact_notes": "Never leave a voicemail",
    "preferred_language": "Polish",
    "preferred_format": "large_print",
}


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


def _asb(**changes: object) -> TriageDecision:
    base: dict[str, object] = {"case_type": CaseType.ASB, "category": "nuisance", "sub_types": ("noise",)}
    return TriageDecision(**(base | changes))  # type: ignore[arg-type]


def test_reporters_safe_times_ways_language_and_format_reach_the_case_party(officer: User) -> None:
    report = submit(**CONTACT)
    case = report_open_case(actor=officer, report=report, decision=_asb()).case
    assert case is not None
    reporter = case.parties.get(role=PartyRole.REPORTER)
    assert reporter.safe_times == "Weekdays after 6pm"
    assert reporter.contact_methods == ["text", "email"]
    assert (reporter.preferred_language, reporter.preferred_format) == ("Polish", "large_print")


def test_repeat_report_brings_a_new_reporters_contact_preferences_to_the_case(officer: User) -> None:
    case = CaseFactory.create(team=officer.team, assigned_officer=officer)
    report = submit(**CONTACT, email="new.reporter@example.org", phone="")
    report_add_to_case(actor=officer, report=report, case_reference=case.reference, decision=_asb())
    reporter = case.parties.get(role=PartyRole.REPORTER, email="new.reporter@example.org")
    assert (reporter.safe_times, reporter.preferred_language) == ("Weekdays after 6pm", "Polish")


def test_anonymous_reporters_party_carries_no_contact_preferences(officer: User) -> None:
    report = submit(anonymous=True, first_name="", last_name="", email="", phone="", safe_contact_notes="Shared phone")
    case = report_open_case(actor=officer, report=report, decision=_asb()).case
    assert case is not None
    reporter = case.parties.get(role=PartyRole.REPORTER)
    assert reporter.anonymous
    assert (reporter.safe_times, reporter.contact_methods, reporter.preferred_language) == ("", [], "")
    assert reporter.safe_contact_notes == "Shared phone"


def test_contact_preferences_show_in_the_case_banner_and_parties_tab(officer: User) -> None:
    report = submit(**CONTACT)
    case = report_open_case(actor=officer, report=report, decision=_asb()).case
    assert case is not None
    client = client_verified_as(officer)
    for path in (f"/staff/cases/{case.reference}/", f"/staff/cases/{case.reference}/parties/"):
        page = client.get(path).content.decode()
        assert "Weekdays after 6pm" in page, path
        assert "Text message, Email" in page, path
        assert "Polish" in page, path
        assert "Large print" in page, path


def test_editing_a_party_keeps_its_contact_preferences(officer: User) -> None:
    report = submit(**CONTACT)
    case = report_open_case(actor=officer, report=report, decision=_asb()).case
    assert case is not None
    reporter = case.parties.get(role=PartyRole.REPORTER)
    client = client_verified_as(officer)
    form = client.get(f"/staff/cases/{case.reference}/parties/{reporter.pk}/").content.decode()
    assert 'value="Weekdays after 6pm"' in form
    assert 'value="Polish"' in form


def test_party_contact_methods_must_come_from_the_list(officer: User) -> None:
    case = CaseFactory.create(team=officer.team, assigned_officer=officer)
    party = case.parties.first() or case.parties.create(role=PartyRole.REPORTER, last_name="Hale")
    with pytest.raises(DomainError) as error:
        party_update(
            actor=officer,
            party=party,
            details=PartyDetails(role=PartyRole.REPORTER, last_name="Hale", contact_methods=("pigeon",)),
        )
    assert "contact_methods" in error.value.field_errors


def test_alleged_perpetrator_described_in_the_report_is_added_at_triage(officer: User) -> None:
    report = submit(people_involved="The man at number 3, drives a grey van", people_known="yes")
    decision = _asb(alleged_perpetrator="Man at number 3")
    case = report_open_case(actor=officer, report=report, decision=decision).case
    assert case is not None
    perpetrator = case.parties.get(role=PartyRole.ALLEGED_PERPETRATOR)
    assert perpetrator.last_name == "Man at number 3"
    assert "drives a grey van" in perpetrator.notes
    assert report.reference in perpetrator.notes


def test_no_alleged_perpetrator_party_unless_the_officer_asks(officer: User) -> None:
    report = submit(people_involved="The man at number 3", people_known="yes")
    case = report_open_case(actor=officer, report=report, decision=_asb()).case
    assert case is not None
    assert not case.parties.filter(role=PartyRole.ALLEGED_PERPETRATOR).exists()


def test_alleged_perpetrator_added_to_an_open_case_with_a_repeat_report(officer: User) -> None:
    case = CaseFactory.create(team=officer.team, assigned_officer=officer)
    report = submit(people_involved="Teenagers from the next block", people_known="no")
    report_add_to_case(
        actor=officer,
        report=report,
        case_reference=case.reference,
        decision=_asb(alleged_perpetrator="Teenagers from the next block"),
    )
    assert case.parties.filter(role=PartyRole.ALLEGED_PERPETRATOR, last_name="Teenagers from the next block").exists()


def test_triage_form_offers_and_adds_the_alleged_perpetrator(officer: User) -> None:
    report = submit(officer, people_involved="Mr Jones at number 12\nHe shouts at my children", people_known="yes")
    client = client_verified_as(officer)
    page = client.get(f"/staff/reports/{report.reference}/").content.decode()
    assert 'name="add_alleged_perpetrator"' in page
    assert 'value="Mr Jones at number 12"' in page
    data = {
        "version": report.version,
        "case_type": CaseType.ASB,
        "urgent": "no",
        "criminal": "no",
        "outcome": "new_case",
        "add_alleged_perpetrator": "on",
        "alleged_perpetrator": "",
    }
    refused = client.post(f"/staff/reports/{report.reference}/", data)
    assert refused.status_code == 200
    assert "Enter the alleged perpetrator" in refused.content.decode()
    response = client.post(f"/staff/reports/{report.reference}/", data | {"alleged_perpetrator": "Mr Jones"})
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    assert case.parties.get(role=PartyRole.ALLEGED_PERPETRATOR).last_name == "Mr Jones"


def test_reporters_files_and_diary_show_as_from_the_reporter_not_the_triaging_officer(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff(Role.OFFICER, first_name="Olivia", last_name="Triager")
    report = submit()
    attachment = ReportAttachment(
        report=report, original_name="noise.txt", content_type="text/plain", size=5, sha256="0" * 64
    )
    attachment.file.save("noise.txt", ContentFile(b"noise"), save=True)
    DiaryEntry.objects.create(
        report=report, occurred_at=timezone.now() - dt.timedelta(hours=1), description="Shouting at 1am"
    )
    case = report_open_case(actor=officer, report=report, decision=_asb()).case
    assert case is not None
    assert EvidenceFile.objects.get(case=case).uploaded_by is None
    client = client_verified_as(officer)
    incidents = client.get(f"/staff/cases/{case.reference}/incidents/").content.decode()
    assert "recorded by Olivia Triager" not in incidents
    assert incidents.count("From the reporter") == 3  # the report, the diary entry and the file
    entries = case_timeline(case=case, kinds=[TimelineKind.INCIDENT, TimelineKind.EVIDENCE])
    assert len(entries) == 3
    assert {entry.actor for entry in entries} == {"From the reporter"}
    assert "From the reporter" in client.get(f"/staff/cases/{case.reference}/timeline/").content.decode()


def test_an_officers_own_incident_still_shows_who_recorded_it(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER, first_name="Olivia", last_name="Triager")
    case = CaseFactory.create(team=officer.team, assigned_officer=officer)
    incident_record(
        actor=officer,
        case=case,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        description="Seen on patrol",
        location_text="Stairwell",
    )
    page = client_verified_as(officer).get(f"/staff/cases/{case.reference}/incidents/").content.decode()
    assert "recorded by Olivia Triager" in page
    assert "From the reporter" not in page


def test_report_page_shows_the_chosen_ways_language_and_format_before_triage(officer: User) -> None:
    report = submit(**CONTACT)
    page = client_verified_as(officer).get(f"/staff/reports/{report.reference}/").content.decode()
    assert "Text message, Email" in page
    assert "Polish" in page
    assert "Letters in: Large print" in page
