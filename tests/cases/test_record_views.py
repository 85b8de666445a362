"""The record tabs through the browser's eyes: forms post to services, errors come back as GOV.UK error summaries
that keep what was typed, evidence uploads work as plain multipart posts, and the reminders sit above the form."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import (
    ActionItem,
    Case,
    Contact,
    ContactPlan,
    ContactPurpose,
    EvidenceFile,
    Incident,
    Note,
    Outcome,
    Party,
    Status,
)
from saferhomes.cases.services import evidence as evidence_services
from saferhomes.cases.services import record
from saferhomes.housing.models import ContactMethod
from tests.cases.factories import PartyFactory, force_status
from tests.cases.record_helpers import (  # noqa: F401
    EXE_BYTES,
    SAMPLES,
    ago,
    case_fixture,
    evidence_dir_fixture,
    officer_fixture,
    reporter_fixture,
    upload,
)
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db


@pytest.fixture(name="client_")
def client_fixture(officer: User) -> Client:
    return client_verified_as(officer)


def url(name: str, case: Case, **kwargs: object) -> str:
    return reverse(f"cases:{name}", kwargs={"reference": case.reference, **kwargs})


def _date_parts(prefix: str, moment: dt.datetime) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {
        f"{prefix}_0": str(local.day),
        f"{prefix}_1": str(local.month),
        f"{prefix}_2": str(local.year),
    }


# Incidents and evidence ------------------------------------------------------------------------------------------


def test_recording_an_incident_saves_it_and_offers_evidence_upload(
    client_: Client, case: Case, reporter: Party
) -> None:
    moment = ago(days=1)
    data = {
        **_date_parts("occurred_on", moment),
        "occurred_time": timezone.localtime(moment).strftime("%H:%M"),
        "location_text": "Car park behind the shops",
        "description": "Group throwing bottles at windows.",
        "source": "report",
        "parties_involved": [str(reporter.pk)],
    }
    response = client_.post(url("incident-add", case), data)
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url('incidents', case)}?incident={incident.pk}#evidence"
    assert incident.occurred_at == moment.replace(second=0, microsecond=0)
    assert list(incident.parties_involved.all()) == [reporter]
    page = client_.get(response["Location"]).content.decode()
    assert "Group throwing bottles at windows." in page
    assert f'<option value="{incident.pk}" selected>' in page  # the upload form is ready for this incident


def test_incident_form_errors_are_summarised_and_keep_what_was_typed(client_: Client, case: Case) -> None:
    future = timezone.now() + dt.timedelta(days=2)
    data = {
        **_date_parts("occurred_on", future),
        "occurred_time": "25:99",
        "location_text": "Garages",
        "description": "Kept text",
        "source": "officer",
    }
    response = client_.post(url("incident-add", case), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Time it happened must be a real time" in page
    assert "Kept text" in page
    assert not Incident.objects.exists()
    data["occurred_time"] = "9:15pm"
    page = client_.post(url("incident-add", case), data).content.decode()
    assert "The date the incident started must be today or in the past" in page
    assert 'href="#id_occurred_on_0"' in page  # the summary links to the date input's first part


def test_incident_form_requires_a_date(client_: Client, case: Case) -> None:
    page = client_.post(url("incident-add", case), {"description": "x", "source": "officer"}).content.decode()
    assert "Enter date it happened" in page
    assert "Enter time it happened" in page


def test_evidence_upload_is_a_plain_multipart_post(client_: Client, case: Case, evidence_dir: Path) -> None:
    name, content = SAMPLES["image/jpeg"]
    response = client_.post(
        url("incidents", case), {"file": upload(name, content, "image/jpeg"), "description": "Door"}
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.original_name, evidence.description) == (name, "Door")
    page = client_.get(url("incidents", case)).content.decode()
    assert url("evidence-download", case, pk=evidence.pk) in page
    assert "/media/" not in page


def test_disguised_upload_is_refused_on_the_page(client_: Client, case: Case, evidence_dir: Path) -> None:
    response = client_.post(url("incidents", case), {"file": upload("statement.pdf", EXE_BYTES, "application/pdf")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The selected file must be a JPG, PNG" in page
    assert 'href="#id_file"' in page
    assert not EvidenceFile.objects.exists()


def test_upload_without_a_file_asks_for_one(client_: Client, case: Case, evidence_dir: Path) -> None:
    page = client_.post(url("incidents", case), {"description": "x"}).content.decode()
    assert "Select a file" in page


def test_evidence_form_is_multipart(client_: Client, case: Case) -> None:
    page = client_.get(url("incidents", case)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page


# Contacts and the contact plan -----------------------------------------------------------------------------------


def test_contact_form_shows_safe_contact_and_adjustments_above_the_form(client_: Client, case: Case) -> None:
    PartyFactory.create(
        case=case,
        first_name="Dee",
        last_name="Example",
        safe_contact_notes="Only call after 6pm; never leave voicemail",
        reasonable_adjustments="Needs a BSL interpreter",
        vulnerabilities="Recently bereaved",
    )
    page = client_.get(url("contact-add", case)).content.decode()
    reminders = page.index('id="before-you-contact"')
    form = page.index(f'action="{url("contact-add", case)}"')
    for text in ("Only call after 6pm; never leave voicemail", "Needs a BSL interpreter", "Recently bereaved"):
        assert reminders < page.index(text, reminders) < form


def test_recording_a_first_response_stops_the_clock_and_says_so(client_: Client, case: Case, reporter: Party) -> None:
    moment = ago(hours=3)
    data = {
        "party": str(reporter.pk),
        "method": ContactMethod.PHONE,
        "direction": "outbound",
        "purpose": ContactPurpose.FIRST_RESPONSE,
        "successful": "yes",
        **_date_parts("occurred_on", moment),
        "occurred_time": timezone.localtime(moment).strftime("%H:%M"),
        "summary": "Explained what happens next.",
    }
    response = client_.post(url("contact-add", case), data, follow=True)
    assert "The response clock has stopped" in response.content.decode()
    case.refresh_from_db()
    assert case.responded_at == moment.replace(second=0, microsecond=0)
    assert Contact.objects.get().purpose == ContactPurpose.FIRST_RESPONSE


def test_contact_before_the_report_is_refused_on_the_form(client_: Client, case: Case, reporter: Party) -> None:
    early = case.received_at - dt.timedelta(days=3)
    data = {
        "party": str(reporter.pk),
        "method": ContactMethod.PHONE,
        "direction": "outbound",
        "purpose": ContactPurpose.GENERAL,
        "successful": "no",
        **_date_parts("occurred_on", early),
        "occurred_time": "10:00",
        "summary": "Tried to call.",
    }
    page = client_.post(url("contact-add", case), data).content.decode()
    assert "must be on or after the report was received" in page
    assert "Tried to call." in page
    assert not Contact.objects.exists()


def test_contact_plan_is_agreed_then_shown_with_its_next_due_date(client_: Client, case: Case, reporter: Party) -> None:
    data = {"party": str(reporter.pk), "frequency_days": "14", "method": "visit", "safe_times": "Mornings"}
    response = client_.post(url("contact-plan", case), data)
    assert response.status_code == 302
    plan = ContactPlan.objects.get()
    assert (plan.frequency_days, plan.method, plan.safe_times) == (14, "visit", "Mornings")
    page = client_.get(url("contacts", case)).content.decode()
    assert "At least every 14 days" in page
    assert timezone.localtime(plan.next_due_at).strftime("%-d %B %Y") in page
    assert "Missed" not in page


def test_contact_plan_change_form_is_prefilled_and_saves(client_: Client, case: Case, reporter: Party) -> None:
    plan = ContactPlan.objects.create(
        case=case, party=reporter, frequency_days=7, method="phone", agreed_at=ago(days=1), next_due_at=ago(days=-6)
    )
    page = client_.get(url("contact-plan", case)).content.decode()
    assert 'value="7"' in page
    data = {
        "party": str(reporter.pk),
        "frequency_days": "3",
        "method": "phone",
        "plan_updated_at": plan.updated_at.isoformat(),
    }
    assert client_.post(url("contact-plan", case), data).status_code == 302
    plan.refresh_from_db()
    assert plan.frequency_days == 3


def test_missed_contact_is_flagged_on_the_contacts_tab(client_: Client, case: Case, reporter: Party) -> None:
    ContactPlan.objects.create(
        case=case, party=reporter, frequency_days=7, method="phone", agreed_at=ago(days=9), next_due_at=ago(days=2)
    )
    page = client_.get(url("contacts", case)).content.decode()
    assert "has been missed" in page
    assert 'govuk-tag--red">Missed' in page


def test_contact_plan_form_bad_frequency_is_explained(client_: Client, case: Case, reporter: Party) -> None:
    page = client_.post(
        url("contact-plan", case), {"party": str(reporter.pk), "frequency_days": "0", "method": "phone"}
    ).content.decode()
    assert "How often must be a whole number of days from 1 to 365" in page
    assert not ContactPlan.objects.exists()


def test_contact_plan_needs_a_reporter_or_victim_on_the_case(client_: Client, case: Case) -> None:
    page = client_.get(url("contact-plan", case)).content.decode()
    assert "Add them on the" in page


# Actions, notes and closed cases ---------------------------------------------------------------------------------


def test_action_is_added_and_completed_through_the_forms(client_: Client, case: Case, officer: User) -> None:
    due = timezone.localdate() + dt.timedelta(days=7)
    data = {
        "kind": "action_plan",
        "description": "Arrange mediation",
        "owner": str(officer.pk),
        "due_date_0": str(due.day),
        "due_date_1": str(due.month),
        "due_date_2": str(due.year),
    }
    assert client_.post(url("action-add", case), data).status_code == 302
    action = ActionItem.objects.get()
    assert (action.description, action.due_date, action.owner) == ("Arrange mediation", due, officer)
    page = client_.get(url("actions", case)).content.decode()
    assert url("action-complete", case, pk=action.pk) in page
    response = client_.post(url("action-complete", case, pk=action.pk), {"done_note": "Both agreed to meet"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_by == officer
    assert action.done_note == "Both agreed to meet"


def test_overdue_action_is_flagged(client_: Client, case: Case, officer: User) -> None:
    ActionItem.objects.create(
        case=case,
        description="Write to the tenant",
        owner=officer,
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    assert "Overdue" in client_.get(url("actions", case)).content.decode()


def test_action_complete_of_another_case_is_404(client_: Client, case: Case, officer: User) -> None:
    other = ActionItem.objects.create(case=PartyFactory.create().case, description="Elsewhere", owner=officer)
    assert client_.get(url("action-complete", case, pk=other.pk)).status_code == 404


def test_note_is_added_and_appears_on_the_timeline(client_: Client, case: Case) -> None:
    response = client_.post(url("note-add", case), {"text": "Police attended", "shareable": "on"})
    assert response.status_code == 302
    assert Note.objects.get().shareable
    assert "Police attended" in client_.get(url("timeline", case)).content.decode()


def test_closed_case_shows_no_record_buttons_and_refuses_posts(client_: Client, case: Case) -> None:
    force_status(case, Status.CLOSED, outcome=Outcome.RESOLVED)
    page = client_.get(url("contacts", case)).content.decode()
    assert url("contact-add", case) not in page
    response = client_.post(url("note-add", case), {"text": "Late"})
    assert "This case is closed" in response.content.decode()
    assert not Note.objects.exists()


def test_every_record_page_renders_for_the_assigned_officer(
    client_: Client, case: Case, reporter: Party, officer: User, evidence_dir: Path
) -> None:
    incident = record.incident_record(
        actor=officer, case=case, occurred_at=ago(hours=4), description="Noise", location_text="Flat 2"
    )
    evidence_services.evidence_upload(
        actor=officer, case=case, file=upload(*SAMPLES["application/pdf"]), incident=incident
    )
    action = record.action_add(actor=officer, case=case, description="Visit")
    for name, kwargs in [
        ("incidents", {}),
        ("incident-add", {}),
        ("contacts", {}),
        ("contact-add", {}),
        ("contact-plan", {}),
        ("actions", {}),
        ("action-add", {}),
        ("action-complete", {"pk": action.pk}),
        ("note-add", {}),
        ("timeline", {}),
    ]:
        response = client_.get(url(name, case, **kwargs))
        assert response.status_code == 200, name
        assert case.reference in response.content.decode()


def test_completed_action_is_reopened_with_a_reason(client_: Client, case: Case, officer: User) -> None:
    action = record.action_add(actor=officer, case=case, description="Fit a door viewer")
    record.action_complete(actor=officer, action=action)
    assert url("action-reopen", case, pk=action.pk) in client_.get(url("actions", case)).content.decode()
    page = client_.post(url("action-reopen", case, pk=action.pk), {"reason": ""}).content.decode()
    assert "Enter why the action is being reopened" in page
    response = client_.post(url("action-reopen", case, pk=action.pk), {"reason": "Viewer was the wrong height"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_at is None


def test_contact_form_starts_with_the_planned_party_chosen(client_: Client, case: Case, reporter: Party) -> None:
    PartyFactory.create(case=case)  # a second person, listed first or not
    ContactPlan.objects.create(
        case=case, party=reporter, frequency_days=7, method="phone", agreed_at=ago(days=1), next_due_at=ago(days=-6)
    )
    page = client_.get(url("contact-add", case)).content.decode()
    checked = re.findall(r'name="party"[^>]*?value="(\w*)"\s+checked', page)
    assert checked == [str(reporter.pk)]


def test_contact_form_chooses_nobody_for_the_officer(client_: Client, case: Case, reporter: Party) -> None:
    page = client_.get(url("contact-add", case)).content.decode()
    assert re.findall(r'name="party"[^>]*?value="(\w*)"\s+checked', page) == []
    page = client_.post(url("contact-add", case), {"summary": "x"}).content.decode()
    assert "Select who the contact was with" in page
