"""Case conferences: the record (date, agencies, attendees, decisions, actions owned across agencies), its rules, the
form's five action rows without JavaScript, marking an action done, and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Status
from saferhomes.cases.timeline import case_timeline
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import CaseConference, ConferenceAction
from saferhomes.referrals.services.conferences import conference_action_done, conference_record
from tests.access.surfaces import CaseSurface
from tests.cases.factories import CaseFactory, force_status
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as
from tests.referrals.partner_helpers import council_agency, idva_agency

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


def _case(user: User) -> Case:
    case: Case = CaseFactory.create(
        assigned_officer=user, team=user.team, received_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    )
    return case


def _record(actor: User, case: Case, **changes: Any) -> CaseConference:
    arguments: dict[str, Any] = {
        "held_on": dt.date(2026, 3, 18),
        "agencies": [],
        "attendees": "Olivia Bennett, housing officer\nPete Marsh, council ASB team",
        "decisions": "Serve a community protection warning",
        "actions": [],
    }
    arguments.update(changes)
    return conference_record(actor=actor, case=case, **arguments)


@time_machine.travel(NOW, tick=False)
def test_a_conference_is_recorded_with_actions_owned_across_agencies(officer: User) -> None:
    council, idva = council_agency(), idva_agency()
    case = _case(officer)

    conference = _record(
        officer,
        case,
        agencies=[council, idva, council],
        actions=[
            (" Serve a community protection warning ", council, "Pete Marsh", dt.date(2026, 3, 25)),
            ("Write to the tenant", None, "Olivia Bennett", None),
        ],
    )

    assert sorted(a.code for a in conference.agencies.all()) == ["council-asb", "idva"]
    actions = list(conference.actions.order_by("id"))
    assert [(a.description, a.owner_agency, a.owner_name, a.due_on) for a in actions] == [
        ("Serve a community protection warning", council, "Pete Marsh", dt.date(2026, 3, 25)),
        ("Write to the tenant", None, "Olivia Bennett", None),
    ]
    event = AuditEvent.objects.get(verb=AuditVerb.CONFERENCE_RECORDED)
    assert event.object_label == f"{case.reference}: case conference on 18 March 2026"
    after = event.after or {}
    assert after["agencies"] == ["council-asb", "idva"]
    assert after["actions"][0]["owner_agency"] == "council-asb"
    entry = next(e for e in case_timeline(case=case) if e.obj == conference)
    assert (entry.kind_label, entry.title) == ("Partner", "Case conference held on 18 March 2026")


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"held_on": None}, {"held_on": "Enter the date the conference was held"}),
        (
            {"held_on": dt.date(2026, 3, 21)},
            {"held_on": "The date the conference was held must be today or in the past"},
        ),
        (
            {"held_on": dt.date(2026, 3, 1)},
            {
                "held_on": (
                    "The date the conference was held must be on or after 2 March 2026, when the case was received"
                )
            },
        ),
        ({"attendees": " "}, {"attendees": "Enter who attended"}),
        ({"decisions": ""}, {"decisions": "Enter what was decided"}),
        (
            {"actions": [("", None, "", dt.date(2026, 3, 17))]},
            {
                "actions.0.description": "Enter what action 1 is",
                "actions.0.owner_name": "Enter who will do action 1",
                "actions.0.due_on": "Action 1 must be due on or after the day of the conference",
            },
        ),
    ],
    ids=["no-date", "future", "before-the-case", "no-attendees", "no-decisions", "bad-action"],
)
def test_a_conference_is_refused_with_clear_errors(
    officer: User, changes: dict[str, Any], errors: dict[str, str]
) -> None:
    with pytest.raises(DomainError) as refused:
        _record(officer, _case(officer), **changes)
    assert refused.value.field_errors == {field: [message] for field, message in errors.items()}
    assert not CaseConference.objects.exists()


@pytest.mark.parametrize("role", [Role.PARTNER, Role.DPO, Role.ADMIN])
def test_only_staff_who_work_cases_record_conferences(
    role: str, make_staff: Callable[..., User], officer: User
) -> None:
    with pytest.raises(PermissionDenied):
        _record(make_staff(role), _case(officer), held_on=timezone.localdate())


def test_an_action_is_marked_done_once_and_audited(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    conference = _record(officer, case, held_on=timezone.localdate(), actions=[("Visit", None, "Olivia", None)])
    action = conference.actions.get()
    conference_action_done(actor=officer, action=action)
    assert ConferenceAction.objects.get().done_at is not None
    assert AuditEvent.objects.filter(verb=AuditVerb.CONFERENCE_ACTION_DONE).count() == 1
    with pytest.raises(DomainError, match="already done"):
        conference_action_done(actor=officer, action=action)


def test_a_closed_case_takes_no_conference(officer: User) -> None:
    case = force_status(
        CaseFactory.create(assigned_officer=officer, team=officer.team), Status.CLOSED, outcome="resolved"
    )
    with pytest.raises(DomainError, match="This case is closed"):
        _record(officer, case, held_on=timezone.localdate())


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_on_0": "18",
        "held_on_1": "3",
        "held_on_2": "2026",
        "attendees": "Olivia Bennett\nPete Marsh",
        "decisions": "Warning to be served",
    }
    data.update(changes)
    return data


@time_machine.travel(NOW, tick=False)
def test_the_form_takes_actions_in_any_of_its_five_rows_without_javascript(officer: User) -> None:
    council = council_agency()
    case = _case(officer)
    client = client_verified_as(officer)
    url = f"/staff/cases/{case.reference}/partnership/conference/"
    page = client.get(url).content.decode()
    assert all(f'name="action_{row}_description"' in page for row in range(1, 6))
    assert 'name="action_6_description"' not in page

    response = client.post(
        url,
        _form(
            agencies=[str(council.pk)],
            action_2_description="Serve the warning",
            action_2_agency=str(council.pk),
            action_2_owner="Pete Marsh",
            action_2_due_0="25",
            action_2_due_1="3",
            action_2_due_2="2026",
            action_5_description="Write to the tenant",
            action_5_owner="Olivia Bennett",
        ),
        follow=True,
    )

    html = response.content.decode()
    assert "Case conference of 18 March 2026 recorded" in html
    conference = CaseConference.objects.get()
    assert [(a.description, a.owner_agency, a.due_on) for a in conference.actions.order_by("id")] == [
        ("Serve the warning", council, dt.date(2026, 3, 25)),
        ("Write to the tenant", None, None),
    ]
    assert "Serve the warning" in html
    assert "Pete Marsh, Example Council ASB Team" in html


@time_machine.travel(NOW, tick=False)
def test_a_rule_broken_in_a_later_row_is_shown_on_that_row(officer: User) -> None:
    case = _case(officer)
    response = client_verified_as(officer).post(
        f"/staff/cases/{case.reference}/partnership/conference/",
        _form(action_3_owner="Pete Marsh"),  # an owner, but nothing to do
    )
    html = response.content.decode()
    assert "Enter what action 3 is" in html
    assert 'href="#id_action_3_description"' in html
    assert not CaseConference.objects.exists()


def test_marking_done_from_the_tab(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    action = _record(
        officer, case, held_on=timezone.localdate(), actions=[("Visit", None, "Olivia", None)]
    ).actions.get()
    client = client_verified_as(officer)
    html = client.get(f"/staff/cases/{case.reference}/partnership/").content.decode()
    url = f"/staff/cases/{case.reference}/partnership/actions/{action.pk}/done/"
    assert f'action="{url}"' in html
    assert client.get(url).status_code == 405
    done = client.post(url, follow=True).content.decode()
    assert "Marked done: Visit" in done
    assert "already done" in client.post(url, follow=True).content.decode()


CONFERENCE_FORM = CaseSurface(
    "Partnership", "Record a case conference", "GET", "/staff/cases/{ref}/partnership/conference/", "cases.work_case"
)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), CONFERENCE_FORM.params())
def test_the_conference_form_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    response = client_verified_as(user).get(CONFERENCE_FORM.url(ref=case.reference))
    assert response.status_code == CONFERENCE_FORM.expected(role, sensitivity, relation)
