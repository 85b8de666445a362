"""Safe-contact instructions are kept (issue 14 item 5, ADR 0009): a way someone asked us never to use, or one they
did not choose as safe, warns on the contact form and needs a reason to record; a contact plan cannot be agreed by
it; and no message is ever sent by it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases import rules
from saferhomes.cases.models import Case, Contact, ContactPlan, Party, PartyRole
from saferhomes.cases.selectors.case import METHOD_LABELS, contact_conflict, party_contact_instructions, party_views
from saferhomes.cases.services import record
from saferhomes.cases.services.party import PartyDetails, party_add, party_update
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.housing.importers import ImportRejectedError, register_import
from saferhomes.housing.models import ContactMethod, Person
from saferhomes.intake.models import Channel, OutboundMessage, Report
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.reporter_contact import (
    WITHHELD_EMAIL_AVOIDED,
    WITHHELD_NOT_AGREED,
    WITHHELD_TEXT_AVOIDED,
    email_withheld_in_words,
    email_withheld_reason,
    text_withheld_reason,
)
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import CaseFactory, PartyFactory
from tests.cases.record_helpers import ago, case_fixture, officer_fixture  # noqa: F401
from tests.conftest import client_verified_as
from tests.housing.factories import PersonFactory
from tests.housing.test_importers import PEOPLE_HEADER, PEOPLE_ROWS, rows_of, run_import, write_csv

pytestmark = pytest.mark.django_db

PHONE, EMAIL, TEXT, VISIT = ContactMethod.PHONE, ContactMethod.EMAIL, ContactMethod.TEXT, ContactMethod.VISIT


# The rule, with worked examples ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "avoid", "method", "direction", "said"),
    [
        ((), ("phone",), PHONE, "outbound", "Dee asked us never to contact them by phone"),
        ((), ("phone",), PHONE, "inbound", ""),  # they rang us: nothing is against their instructions
        ((), ("phone",), EMAIL, "outbound", ""),
        (("email", "text"), (), PHONE, "outbound", "Dee chose only email and text message as safe ways to contact "
         "them, not phone"),
        (("email",), (), EMAIL, "outbound", ""),
        (("email",), (), VISIT, "outbound", ""),  # a visit is neither chosen nor refused on the report form
        (("email",), ("visit",), VISIT, "outbound", "Dee asked us never to contact them by home visit"),
        ((), (), PHONE, "outbound", ""),  # nothing said: nothing to honour
        (("letter", "email", "text"), (), PHONE, "outbound", "Dee chose only letter, email and text message as safe "
         "ways to contact them, not phone"),
    ],
)  # fmt: skip
def test_the_rule_in_worked_examples(
    chosen: tuple[str, ...], avoid: tuple[str, ...], method: str, direction: str, said: str
) -> None:
    instructions = rules.ContactInstructions(name="Dee", chosen=chosen, avoid=avoid)
    assert instructions.conflict(method, labels=METHOD_LABELS, direction=direction) == said


def test_the_register_and_the_case_both_say_never(case: Case) -> None:
    person = PersonFactory.create(contact_avoid=["visit"])
    party = PartyFactory.create(case=case, person=person, contact_avoid=["phone", "visit"], contact_methods=["email"])
    instructions = party_contact_instructions(party)
    assert instructions.avoid == ("phone", "visit")
    assert instructions.chosen == ("email",)
    assert contact_conflict(party=party, method=VISIT).endswith("never to contact them by home visit")
    assert contact_conflict(party=None, method=PHONE) == ""


# Recording a contact ---------------------------------------------------------------------------------------------


@pytest.fixture(name="dee")
def dee_fixture(case: Case) -> Party:
    return PartyFactory.create(case=case, first_name="Dee", last_name="Example", contact_avoid=["phone"])


def _record(officer: User, case: Case, party: Party, **changes: Any) -> Contact:
    arguments: dict[str, Any] = {
        "method": PHONE,
        "occurred_at": ago(hours=1),
        "summary": "Rang about the noise.",
        "party": party,
    }
    return record.contact_record(actor=officer, case=case, **(arguments | changes))


def test_a_phone_call_against_do_not_phone_needs_a_reason(officer: User, case: Case, dee: Party) -> None:
    with pytest.raises(DomainError) as caught:
        _record(officer, case, dee)
    assert caught.value.field_errors == {
        "override_reason": [
            "Dee Example asked us never to contact them by phone: enter why you contacted them this way"
        ]
    }
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="contact.").exists()


def test_with_a_reason_the_call_is_kept_and_audited_on_its_own(officer: User, case: Case, dee: Party) -> None:
    contact = _record(officer, case, dee, override_reason="  She rang 999 and asked us to call back now.  ")
    assert contact.override_reason == "She rang 999 and asked us to call back now."
    event = AuditEvent.objects.get(verb="contact.against_instructions")
    assert event.object_id == str(contact.pk)
    assert event.reason == "She rang 999 and asked us to call back now."
    assert event.after == {"instruction": "Dee Example asked us never to contact them by phone"}
    assert AuditEvent.objects.filter(verb="contact.recorded", object_id=str(contact.pk)).count() == 1


def test_when_they_ring_us_no_reason_is_needed(officer: User, case: Case, dee: Party) -> None:
    contact = _record(officer, case, dee, direction="inbound", override_reason="not needed")
    assert contact.override_reason == ""
    assert not AuditEvent.objects.filter(verb="contact.against_instructions").exists()


def test_a_way_not_chosen_as_safe_also_needs_a_reason(officer: User, case: Case) -> None:
    party = PartyFactory.create(case=case, first_name="Sam", last_name="Example", contact_methods=["email"])
    with pytest.raises(DomainError) as caught:
        _record(officer, case, party, method=TEXT)
    assert "Sam Example chose only email as safe ways to contact them, not text message" in str(
        caught.value.field_errors["override_reason"]
    )
    assert _record(officer, case, party, method=EMAIL).override_reason == ""


def test_a_contact_plan_cannot_be_agreed_by_a_way_they_refused(officer: User, case: Case, dee: Party) -> None:
    with pytest.raises(DomainError) as caught:
        record.contact_plan_agree(actor=officer, case=case, party=dee, frequency_days=7, method=PHONE)
    assert caught.value.field_errors["method"] == [
        "Dee Example asked us never to contact them by phone: agree another way with them, or change their "
        "safe-contact instructions first"
    ]
    assert not ContactPlan.objects.exists()
    record.contact_plan_agree(actor=officer, case=case, party=dee, frequency_days=7, method=VISIT)
    assert ContactPlan.objects.get().method == VISIT


# Recording the instruction on a party ----------------------------------------------------------------------------


def test_a_way_cannot_be_both_safe_and_never_to_use(officer: User, case: Case) -> None:
    details = PartyDetails(last_name="Example", contact_methods=("phone", "email"), contact_avoid=("phone",))
    with pytest.raises(DomainError) as caught:
        party_add(actor=officer, case=case, details=details)
    assert caught.value.field_errors == {
        "contact_avoid": ["Phone cannot be both a safe way and a way never to use: untick it in one of the lists"]
    }
    with pytest.raises(DomainError) as unknown:
        party_add(actor=officer, case=case, details=PartyDetails(last_name="Example", contact_avoid=("pigeon",)))
    assert unknown.value.field_errors == {"contact_avoid": ["Select the ways never to use from the list"]}


def test_the_instruction_is_kept_audited_and_shown(officer: User, case: Case) -> None:
    party = party_add(actor=officer, case=case, details=PartyDetails(last_name="Example", contact_avoid=("text",)))
    assert party.contact_avoid == ["text"]
    party = party_update(
        actor=officer, party=party, details=PartyDetails(last_name="Example", contact_avoid=("phone", "text"))
    )
    assert Party.objects.get(pk=party.pk).contact_avoid == ["phone", "text"]
    event = AuditEvent.objects.filter(verb="party.updated").latest("id")
    assert (event.before or {}).get("contact_avoid") == ["text"]
    assert (event.after or {}).get("contact_avoid") == ["phone", "text"]
    [view] = party_views(case=case)
    assert view.contact_avoid == ["Phone", "Text message"]


# The pages -------------------------------------------------------------------------------------------------------


def _form(party: Party, **changes: str) -> dict[str, str]:
    moment = timezone.localtime(ago(hours=2))
    return {
        "party": str(party.pk),
        "method": PHONE,
        "direction": "outbound",
        "purpose": "general",
        "successful": "yes",
        "occurred_on_0": str(moment.day),
        "occurred_on_1": str(moment.month),
        "occurred_on_2": str(moment.year),
        "occurred_time": moment.strftime("%H:%M"),
        "summary": "Rang to arrange a visit.",
    } | changes


def test_the_contact_form_warns_before_anyone_picks_up_the_phone(officer: User, case: Case, dee: Party) -> None:
    page = client_verified_as(officer).get(reverse("cases:contact-add", args=[case.reference])).content.decode()
    warning = page.index("Never contact Dee Example by phone")
    assert page.index('id="before-you-contact"') < warning < page.index('name="summary"')
    banner = client_verified_as(officer).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Never contact by: Phone" in banner


def test_the_form_refuses_without_a_reason_keeping_every_answer(officer: User, case: Case, dee: Party) -> None:
    client = client_verified_as(officer)
    url = reverse("cases:contact-add", args=[case.reference])
    page = client.post(url, _form(dee)).content.decode()
    assert "govuk-error-summary" in page
    assert 'href="#id_override_reason"' in page
    assert "Dee Example asked us never to contact them by phone: enter why you contacted them this way" in page
    assert "Rang to arrange a visit." in page
    assert not Contact.objects.exists()
    response = client.post(url, _form(dee, override_reason="She asked us to ring today, by text from her sister."))
    assert response.status_code == 302
    assert Contact.objects.get().override_reason == "She asked us to ring today, by text from her sister."


def test_the_party_form_records_ways_never_to_use(officer: User, case: Case, dee: Party) -> None:
    client = client_verified_as(officer)
    url = reverse("cases:party-edit", args=[case.reference, dee.pk])
    page = client.get(url).content.decode()
    assert "Are there ways we must never use to contact them?" in page
    data = {"role": PartyRole.REPORTER, "first_name": "Dee", "last_name": "Example", "version": str(case.version)}
    response = client.post(url, data | {"contact_avoid": ["phone", "visit"]})
    assert response.status_code == 302, response.content.decode()[:3000]
    dee.refresh_from_db()
    assert dee.contact_avoid == ["phone", "visit"]


# The API ---------------------------------------------------------------------------------------------------------


def _api(user: User, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    _token, raw = token_create(actor=None, user=user, name="tests")
    client = Client()
    if method == "get":
        return client.get(url, headers=bearer(raw))
    return client.post(url, body or {}, content_type="application/json", headers=bearer(raw))


def test_the_api_refuses_a_call_against_the_instruction_without_a_reason(officer: User, case: Case, dee: Party) -> None:
    url = f"/api/v1/cases/{case.reference}/contacts"
    body = {"party_id": dee.pk, "method": "phone", "occurred_at": ago(hours=1).isoformat(), "summary": "Rang."}
    problem = assert_problem(_api(officer, "post", url, body), 422)
    assert problem["errors"] == [
        {
            "field": "override_reason",
            "message": "Dee Example asked us never to contact them by phone: enter why you contacted them this way",
        }
    ]
    response = _api(officer, "post", url, body | {"override_reason": "She rang and asked us to call back."})
    assert response.status_code == 201, response.content
    assert response.json()["override_reason"] == "She rang and asked us to call back."
    [listed] = _api(officer, "get", url).json()
    assert (listed["party_name"], listed["method"]) == ("Dee Example", "phone")


def test_the_api_refuses_a_party_from_another_case(officer: User, case: Case) -> None:
    elsewhere = PartyFactory.create(case=CaseFactory.create())
    body = {"party_id": elsewhere.pk, "method": "email", "occurred_at": ago(hours=1).isoformat(), "summary": "x"}
    problem = assert_problem(_api(officer, "post", f"/api/v1/cases/{case.reference}/contacts", body), 422)
    assert problem["errors"] == [{"field": "party_id", "message": "Select someone who is on this case"}]


def test_the_api_reads_and_writes_ways_never_to_use(officer: User, case: Case) -> None:
    url = f"/api/v1/cases/{case.reference}/parties"
    response = _api(officer, "post", url, {"role": "victim", "last_name": "Example", "contact_avoid": ["phone"]})
    assert response.status_code == 201, response.content
    assert response.json()["contact_avoid"] == ["phone"]
    bad = _api(officer, "post", url, {"role": "victim", "last_name": "Example", "contact_avoid": ["pigeon"]})
    assert_problem(bad, 422)


# Messages to the reporter ----------------------------------------------------------------------------------------

ADA: dict[str, Any] = {
    "case_type": "asb",
    "problem": "noise",
    "description": "Music until 3am at number 12",
    "first_name": "Ada",
    "last_name": "Example",
    "email": "ada@example.org",
    "phone": "07700 900123",
    "contact_methods": ("email", "text"),
}


def _reporter_on_case(officer: User, **party: Any) -> tuple[Report, Case]:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, status="open")
    report = report_submit(details=ReportDetails(**ADA), channel=Channel.WEB)
    Report.objects.filter(pk=report.pk).update(case=case, status="case_opened")
    report.refresh_from_db()
    PartyFactory.create(case=case, first_name="Ada", last_name="Example", email="ADA@example.org", **party)
    return report, case


def test_no_email_or_text_goes_by_a_way_the_case_says_never_to_use(officer: User) -> None:
    report, _case = _reporter_on_case(officer, contact_avoid=["email", "text"])
    assert email_withheld_reason(report) == WITHHELD_EMAIL_AVOIDED
    assert text_withheld_reason(report) == WITHHELD_TEXT_AVOIDED
    assert email_withheld_in_words(report) == "You asked us never to email you, so we have not emailed you."


def test_the_ways_chosen_on_the_case_replace_those_on_the_report(officer: User) -> None:
    report, _case = _reporter_on_case(officer, contact_methods=["letter"])
    assert email_withheld_reason(report) == WITHHELD_NOT_AGREED
    allowed, _case = _reporter_on_case(officer, contact_methods=["email"])
    assert email_withheld_reason(allowed) == ""


def test_a_register_instruction_stops_the_update_email(
    officer: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    report, case = _reporter_on_case(officer)
    person = PersonFactory.create(contact_avoid=["email"])
    Party.objects.filter(case=case).update(person=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record.note_add(actor=officer, case=case, text="We visited number 12.", shareable=True)
    assert mail.outbox == []
    message = OutboundMessage.objects.get(report=report, kind="update")
    assert (message.sent_at, message.withheld_reason) == (None, WITHHELD_EMAIL_AVOIDED)


# The register ----------------------------------------------------------------------------------------------------


def test_the_people_import_reads_ways_never_to_use(tmp_path: Path) -> None:
    header = [*PEOPLE_HEADER, "Do not contact by"]
    rows = [[*row, value] for row, value in zip(PEOPLE_ROWS, ("Phone; SMS", "", "home visit"), strict=True)]
    run_import("people", write_csv(tmp_path / "people.csv", header, rows))  # the column's other name, from a file
    avoid = dict(Person.objects.values_list("reference", "contact_avoid"))
    assert avoid == {"PER1": ["phone", "text"], "PER2": [], "PER3": ["visit"]}
    rows[1][-1] = "carrier pigeon"
    with pytest.raises(ImportRejectedError) as caught:
        register_import(kind="people", rows=rows_of([*PEOPLE_HEADER, "Contact avoid"], rows), actor=None)
    assert [(p.column, p.reason) for p in caught.value.problems] == [
        ("contact_avoid", "'carrier pigeon' is not a way of contact")
    ]


def test_the_person_page_warns_never_to_use(make_staff: Callable[..., User]) -> None:
    person = PersonFactory.create(contact_avoid=["phone", "visit"])
    page = client_verified_as(make_staff(Role.OFFICER)).get(reverse("housing:person-detail", args=[person.pk]))
    assert "Never contact them by: phone, home visit" in page.content.decode()
