"""The Closure tab: blockers linked to their fixes; the put-forward, approve, close, reopen and survey-link forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, ContactPurpose, Priority, Status, SurveyInvitation
from saferhomes.cases.selectors.closure import survey_invitation_for_token
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import CaseSurface
from tests.cases.closure_helpers import closed_case, closing_case, discuss_outcome, invited, open_action, open_case
from tests.cases.factories import CaseFactory
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db


@pytest.fixture(name="officer")
def officer_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture(name="officer_client")
def officer_client_fixture(officer: User) -> Client:
    return client_verified_as(officer)


def url(case: Case, action: str = "") -> str:
    return f"/staff/cases/{case.reference}/closure/{action + '/' if action else ''}"


def test_the_closure_tab_lists_each_blocker_with_a_link_to_where_to_fix_it(
    officer: User, officer_client: Client
) -> None:
    case = open_case(officer)
    open_action(case, "Write to flat 3")

    response = officer_client.get(url(case))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Before this case can close" in body
    assert "Discuss the outcome with the reporter" in body
    reporter = case.parties.get()
    purpose = ContactPurpose.OUTCOME_DISCUSSION
    contact_link = f"/staff/cases/{case.reference}/contacts/new/?purpose={purpose}&amp;party={reporter.pk}"
    assert contact_link in body
    assert f'href="/staff/cases/{case.reference}/actions/"' in body
    assert "Write to flat 3" in body
    assert '<strong class="govuk-service-navigation__active-fallback">Closure</strong>' in body


def test_an_officer_puts_the_case_forward_then_closes_it(officer: User, officer_client: Client) -> None:
    case = open_case(officer)
    discuss_outcome(case)

    response = officer_client.post(
        url(case, "request"),
        {"outcome": "resolved", "outcome_summary": "The music stopped after our letter.", "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSING

    page = officer_client.get(url(case)).content.decode()
    assert "Nothing stops this case closing" in page
    assert "The music stopped after our letter." in page

    response = officer_client.post(url(case, "close"), {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert "Case closed" in officer_client.get(url(case)).content.decode()


def test_put_forward_without_an_outcome_shows_the_error_summary_and_keeps_the_text(
    officer: User, officer_client: Client
) -> None:
    case = open_case(officer)

    response = officer_client.post(url(case, "request"), {"outcome_summary": "Half written", "version": case.version})

    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Closure \N{EN DASH} " in body
    assert '<a href="#id_outcome_1">Select the outcome of the case</a>' in body
    assert "Half written" in body


def test_closing_with_blockers_shows_them_in_the_error_summary_linked_to_the_fix(
    officer: User, officer_client: Client
) -> None:
    case = closing_case(officer)
    open_action(case, "Check the CCTV")

    response = officer_client.post(url(case, "close"), {"version": case.version})

    assert response.status_code == 200
    body = response.content.decode()
    assert "This case cannot be closed yet" in body
    assert f'<a href="/staff/cases/{case.reference}/actions/">1 action is still open' in body
    case.refresh_from_db()
    assert case.status == Status.CLOSING


def test_a_stale_form_says_who_changed_the_case(officer: User, officer_client: Client) -> None:
    case = closing_case(officer)

    response = officer_client.post(url(case, "close"), {"version": case.version - 1})

    assert response.status_code == 200
    assert "while you were editing" in response.content.decode()


def test_a_manager_sees_and_uses_the_approval_form(make_staff: Callable[..., User], officer: User) -> None:
    manager = make_staff(Role.MANAGER)
    case = closing_case(officer, priority=Priority.HIGH)
    client = client_verified_as(manager)

    assert "Approve closure" in client.get(url(case)).content.decode()
    assert "Approve closure" not in client_verified_as(officer).get(url(case)).content.decode()

    response = client.post(url(case, "approve"), {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closure_approved_by == manager


def test_an_officer_cannot_post_an_approval(officer: User, officer_client: Client) -> None:
    case = closing_case(officer, priority=Priority.HIGH)

    assert officer_client.post(url(case, "approve"), {"version": case.version}).status_code == 403


def test_a_closed_case_is_reopened_with_a_reason(officer: User, officer_client: Client) -> None:
    case = closed_case(officer)

    empty = officer_client.post(url(case, "reopen"), {"reason": "", "version": case.version})
    assert "Enter why the case is being reopened" in empty.content.decode()

    response = officer_client.post(url(case, "reopen"), {"reason": "New incident", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REOPENED


def test_closing_through_the_page_emails_the_survey(
    officer: User, officer_client: Client, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    case = closing_case(officer)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        officer_client.post(url(case, "close"), {"version": case.version})

    assert SurveyInvitation.objects.filter(case=case).count() == 1
    assert len(mail.outbox) == 1


def test_the_officer_is_shown_a_survey_link_once_to_give_the_reporter(officer: User, officer_client: Client) -> None:
    case, old_token = invited(officer)

    response = officer_client.post(url(case, "survey-link"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Survey link for the reporter" in body
    token = body.split("/survey/", 1)[1].split("/", 1)[0]
    assert survey_invitation_for_token(token=token).case_id == case.pk
    assert token != old_token
    assert "no-store" in response["Cache-Control"]
    assert token not in officer_client.get(url(case)).content.decode()


def test_an_invisible_case_closure_tab_is_404(make_staff: Callable[..., User]) -> None:
    other = make_staff(Role.OFFICER, username="officer_other")
    case = CaseFactory.create(status=Status.OPEN)
    client = client_verified_as(other)

    assert client.get(url(case)).status_code == 404
    assert client.post(url(case, "close"), {}).status_code == 404


def test_closure_tab_of_a_restricted_case_is_an_audited_read(officer: User, officer_client: Client) -> None:
    case = open_case(officer, sensitivity="restricted")

    officer_client.get(url(case))

    assert AuditEvent.objects.filter(verb="case.viewed", object_id=str(case.pk)).exists()


CLOSURE = "Case pages"
CLOSURE_TAB = CaseSurface(CLOSURE, "Closure tab", "GET", "/staff/cases/{ref}/closure/", "cases.view_case")
REQUEST_POST = CaseSurface(
    CLOSURE, "Request closure (post)", "POST", "/staff/cases/{ref}/closure/request/", "cases.close_case", ok=302
)
APPROVE_POST = CaseSurface(
    CLOSURE, "Approve closure (post)", "POST", "/staff/cases/{ref}/closure/approve/", "cases.approve_closure"
)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), CLOSURE_TAB.params())
def test_closure_tab_follows_the_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation, status=Status.OPEN)

    response = client_verified_as(user).get(CLOSURE_TAB.url(ref=case.reference))

    assert response.status_code == CLOSURE_TAB.expected(role, sensitivity, relation)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), REQUEST_POST.params())
def test_closure_forms_follow_the_access_matrix_and_change_nothing_when_refused(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation, status=Status.OPEN)
    client = client_verified_as(user)
    body = {"outcome": "resolved", "outcome_summary": "Stopped.", "version": case.version}

    response = client.post(REQUEST_POST.url(ref=case.reference), body)

    expected = REQUEST_POST.expected(role, sensitivity, relation)
    assert response.status_code == expected
    case.refresh_from_db()
    assert (case.status == Status.CLOSING) is (expected == 302)
    approve = client.post(APPROVE_POST.url(ref=case.reference), {"version": case.version})
    assert approve.status_code == APPROVE_POST.expected(role, sensitivity, relation)
