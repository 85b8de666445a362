"""Incidents, notes, actions and the contact plan over the API (issue 21 part 1): the same services as the staff
website's record tabs, so the same rules, audit and version bumps; 422 problem+json naming the field for bad input,
404 for a record on another case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import ActionItem, Case, Incident, Note, Party, PartyRole, Status
from saferhomes.core.models import AuditEvent
from saferhomes.housing.models import ContactMethod
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import CaseFactory, PartyFactory
from tests.cases.record_helpers import ago, case_fixture, officer_fixture, reporter_fixture  # noqa: F401
from tests.housing.factories import PropertyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(officer: User, case: Case) -> Callable[..., Any]:
    """api("post", "/notes", body) on the officer's case, with the officer's token."""
    _token, raw = token_create(actor=None, user=officer, name="tests")
    client = Client()

    def _call(method: str, suffix: str, body: Any = None, reference: str = "", **headers: str) -> Any:
        url = f"/api/v1/cases/{reference or case.reference}{suffix}"
        all_headers = {**bearer(raw), **headers}
        if method == "get":
            return client.get(url, headers=all_headers)
        return getattr(client, method)(url, body or {}, content_type="application/json", headers=all_headers)

    return _call


def _fields(response: Any) -> list[str]:
    return [error["field"] for error in assert_problem(response, 422)["errors"]]


# Incidents --------------------------------------------------------------------------------------------------------


def test_an_incident_is_recorded_with_its_home_people_and_witnesses_and_listed(
    api: Callable[..., Any], case: Case, reporter: Party
) -> None:
    home = PropertyFactory.create()
    case.properties.add(home)
    witness = PartyFactory.create(case=case, role=PartyRole.WITNESS, first_name="Wendy", last_name="Example")
    version = Case.objects.get(pk=case.pk).version
    body = {
        "occurred_at": ago(hours=5).isoformat(),
        "occurred_until": ago(hours=4).isoformat(),
        "property_reference": home.reference.lower(),
        "description": "Loud music and shouting",
        "source": "report",
        "parties_involved": [reporter.pk],
        "witnesses": [witness.pk, witness.pk],
    }
    response = api("post", "/incidents", body, **{"Idempotency-Key": "incident-1"})
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["property_reference"], made["parties_involved"], made["witnesses"]) == (
        home.reference,
        [reporter.pk],
        [witness.pk],
    )
    assert made["source"] == "report"
    assert AuditEvent.objects.filter(verb="incident.recorded", object_id=str(made["id"])).count() == 1
    assert Case.objects.get(pk=case.pk).version == version + 1
    replay = api("post", "/incidents", body, **{"Idempotency-Key": "incident-1"})
    assert (replay.status_code, replay["Idempotent-Replayed"], replay.json()["id"]) == (201, "true", made["id"])
    assert Incident.objects.filter(case=case).count() == 1
    listed = api("get", "/incidents").json()
    assert [row["id"] for row in listed] == [made["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"property_reference": "PROP-NOT-HERE"}, "property_reference"),
        ({"parties_involved": [999_999]}, "parties_involved"),
        ({"witnesses": [999_999]}, "witnesses"),
        ({"occurred_at": (timezone.now() + dt.timedelta(days=2)).isoformat()}, "occurred_at"),
        ({"location_text": ""}, "location_text"),
        ({"description": ""}, "body.payload.description"),
        ({"source": "rumour"}, "body.payload.source"),
    ],
)
def test_a_bad_incident_is_a_422_naming_the_field(api: Callable[..., Any], change: dict[str, Any], field: str) -> None:
    body = {"occurred_at": ago(hours=2).isoformat(), "description": "Noise", "location_text": "Car park", **change}
    assert _fields(api("post", "/incidents", body)) == [field]
    assert not Incident.objects.exists()


def test_a_party_of_another_case_cannot_be_named_on_an_incident(api: Callable[..., Any]) -> None:
    stranger = PartyFactory.create(case=CaseFactory.create(), role=PartyRole.VICTIM)
    body = {"occurred_at": ago(hours=2).isoformat(), "description": "Noise", "location_text": "Car park"}
    assert _fields(api("post", "/incidents", {**body, "witnesses": [stranger.pk]})) == ["witnesses"]


# Notes ------------------------------------------------------------------------------------------------------------


def test_a_note_is_added_audited_and_listed_newest_first(api: Callable[..., Any], officer: User) -> None:
    first = api("post", "/notes", {"text": "  Called the caretaker  "}).json()
    second = api("post", "/notes", {"text": "Update for the reporter", "shareable": True})
    assert second.status_code == 201
    assert (first["text"], first["shareable"], second.json()["shareable"]) == ("Called the caretaker", False, True)
    assert first["written_by"] == officer.get_full_name()
    assert [note["id"] for note in api("get", "/notes").json()] == [second.json()["id"], first["id"]]
    assert AuditEvent.objects.filter(verb="note.added").count() == 2


def test_a_note_of_blank_or_unstorable_text_is_refused(api: Callable[..., Any]) -> None:
    assert _fields(api("post", "/notes", {"text": "   "})) == ["text"]
    assert _fields(api("post", "/notes", {"text": "bad\u0000byte"})) == ["body.text"]
    assert not Note.objects.exists()


def test_nothing_is_added_to_a_closed_case(api: Callable[..., Any], officer: User) -> None:
    closed = CaseFactory.create(
        assigned_officer=officer, team=officer.team, status=Status.CLOSED, closed_at=timezone.now(), outcome="resolved"
    )
    body = assert_problem(api("post", "/notes", {"text": "Too late"}, reference=closed.reference), 422)
    assert body["detail"]
    assert not Note.objects.exists()


# Actions ----------------------------------------------------------------------------------------------------------


def test_an_action_is_added_for_a_colleague_completed_and_reopened(
    api: Callable[..., Any], officer: User, case: Case, make_staff: Callable[..., User]
) -> None:
    colleague = make_staff(Role.OFFICER, username="colleague_cal", team=officer.team)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    added = api("post", "/actions", {"description": "Check the CCTV", "owner": colleague.username, "due_date": due})
    assert added.status_code == 201, added.content
    action = added.json()
    assert (action["owner"], action["due_date"], action["kind"], action["overdue"]) == (
        colleague.username,
        due,
        "task",
        False,
    )
    done = api("post", f"/actions/{action['id']}/complete", {"note": "Footage requested"}).json()
    assert (done["done_by"], done["done_note"]) == (officer.username, "Footage requested")
    again = assert_problem(api("post", f"/actions/{action['id']}/complete", {}), 422)
    assert "already completed" in again["detail"]
    assert _fields(api("post", f"/actions/{action['id']}/reopen", {"reason": ""})) == ["body.payload.reason"]
    reopened = api("post", f"/actions/{action['id']}/reopen", {"reason": "Footage was blank"}).json()
    assert (reopened["done_at"], reopened["done_by"]) == (None, None)
    events = AuditEvent.objects.filter(object_id=str(action["id"]), verb__startswith="action.")
    verbs = list(events.values_list("verb", flat=True))
    assert sorted(verbs) == ["action.added", "action.completed", "action.reopened"]


def test_an_overdue_action_is_flagged(api: Callable[..., Any], case: Case, officer: User) -> None:
    ActionItem.objects.create(
        case=case, description="Late", owner=officer, due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    assert [row["overdue"] for row in api("get", "/actions").json()] == [True]


def test_an_action_owner_must_exist_and_be_able_to_work_on_the_case(
    api: Callable[..., Any], make_staff: Callable[..., User]
) -> None:
    stranger = make_staff(Role.OFFICER, username="stranger_sam")  # another team: cannot see the case
    assert _fields(api("post", "/actions", {"description": "X", "owner": "nobody_here"})) == ["owner"]
    assert _fields(api("post", "/actions", {"description": "X", "owner": stranger.username})) == ["owner"]
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert _fields(api("post", "/actions", {"description": "X", "due_date": past})) == ["due_date"]
    assert not ActionItem.objects.exists()


def test_an_action_of_another_case_is_a_404(api: Callable[..., Any], officer: User) -> None:
    elsewhere = ActionItem.objects.create(case=CaseFactory.create(assigned_officer=officer), description="Theirs")
    assert_problem(api("post", f"/actions/{elsewhere.pk}/complete", {}), 404)
    assert ActionItem.objects.get(pk=elsewhere.pk).done_at is None


# The contact plan -------------------------------------------------------------------------------------------------


def test_the_contact_plan_is_agreed_read_and_changed_with_its_version(api: Callable[..., Any], reporter: Party) -> None:
    assert "No contact plan" not in str(assert_problem(api("get", "/contact-plan"), 404))  # same 404 as any other
    body = {"party_id": reporter.pk, "frequency_days": 7, "method": "phone", "safe_times": "Weekday mornings"}
    agreed = api("post", "/contact-plan", body)
    assert agreed.status_code == 201, agreed.content
    plan = agreed.json()
    assert (plan["party_name"], plan["frequency_days"], plan["missed"]) == ("Priya Example", 7, False)
    assert dt.datetime.fromisoformat(plan["next_due_at"]) > timezone.now() + dt.timedelta(days=6)
    assert "already agreed" in assert_problem(api("post", "/contact-plan", body), 422)["detail"]
    changed = api("put", "/contact-plan", {**body, "frequency_days": 14, "updated_at": plan["updated_at"]})
    assert (changed.status_code, changed.json()["frequency_days"]) == (200, 14)
    stale = assert_problem(api("put", "/contact-plan", {**body, "updated_at": plan["updated_at"]}), 422)
    assert "Someone else changed" in stale["detail"]
    assert api("get", "/contact-plan").json()["frequency_days"] == 14
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"contact_plan.agreed", "contact_plan.updated"} <= verbs


def test_a_contact_plan_needs_the_reporter_or_victim_and_a_safe_way(api: Callable[..., Any], case: Case) -> None:
    witness = PartyFactory.create(case=case, role=PartyRole.WITNESS)
    never_phone = PartyFactory.create(case=case, role=PartyRole.VICTIM, contact_avoid=[ContactMethod.PHONE])
    body = {"frequency_days": 7, "method": "phone"}
    assert _fields(api("post", "/contact-plan", {**body, "party_id": witness.pk})) == ["party"]
    assert _fields(api("post", "/contact-plan", {**body, "party_id": 999_999})) == ["party_id"]
    assert _fields(api("post", "/contact-plan", {**body, "party_id": never_phone.pk})) == ["method"]
    assert _fields(api("post", "/contact-plan", {**body, "party_id": never_phone.pk, "frequency_days": 0})) == [
        "body.payload.frequency_days"
    ]
    assert_problem(api("put", "/contact-plan", {**body, "party_id": never_phone.pk, "method": "visit"}), 404)
