"""Closures waiting for a manager (issue 14 item 11): the queue, its count on the dashboard, and the email to managers
when a high-risk or DA closure is put forward — only to managers who may see the case, never to the one who put it
forward, never with who is involved."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType, Priority, Status
from saferhomes.cases.selectors.approvals import closures_awaiting_approval
from saferhomes.cases.services.closure import case_approve_closure, case_request_closure
from tests.access.surfaces import RoleSurface
from tests.cases.closure_helpers import closing_case, discuss_outcome, open_case
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db

QUEUE = "/staff/cases/approvals/"


@pytest.fixture(name="officer")
def officer_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER, email="olivia@example.org")


@pytest.fixture(name="manager")
def manager_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.MANAGER, email="maya@example.org")


def test_the_queue_lists_closures_needing_approval_longest_waiting_first(officer: User, manager: User) -> None:
    high = closing_case(officer, priority=Priority.HIGH)
    normal = closing_case(officer, priority=Priority.NORMAL)
    approved = closing_case(officer, priority=Priority.HIGH)
    case_approve_closure(actor=manager, case=approved)
    still_open = open_case(officer, priority=Priority.HIGH)
    listed = list(closures_awaiting_approval(actor=manager))
    assert listed == [high]
    page = client_verified_as(manager).get(QUEUE).content.decode()
    assert high.reference in page
    assert "It is high priority" in page
    for other in (normal, approved, still_open):
        assert other.reference not in page


def test_a_da_closure_is_in_the_queue_and_marked_when_the_manager_put_it_forward(
    make_staff: Callable[..., User], manager: User
) -> None:
    case = closing_case(manager, case_type=CaseType.DA, priority=Priority.LOW)
    page = client_verified_as(manager).get(QUEUE).content.decode()
    assert case.reference in page
    assert "It is a domestic abuse case" in page
    assert "Put forward by you: another manager approves" in page


NOT_APPROVERS = [Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.DPO]
APPROVALS = RoleSurface(
    "Case pages", "Closures to approve", "GET", QUEUE, "cases.approve_closure", tried=frozenset(NOT_APPROVERS)
)


@pytest.mark.parametrize("role", NOT_APPROVERS)
def test_only_those_who_approve_closures_see_the_queue(make_staff: Callable[..., User], role: str) -> None:
    assert client_verified_as(make_staff(role)).get(APPROVALS.url()).status_code == APPROVALS.expected(role) == 403


def test_the_dashboard_counts_closures_to_approve_for_managers_only(officer: User, manager: User) -> None:
    closing_case(officer, priority=Priority.HIGH)
    manager_page = client_verified_as(manager).get("/staff/cases/").content.decode()
    assert 'data-count="approvals">1 closure<' in manager_page
    assert "Closures to approve" not in client_verified_as(officer).get("/staff/cases/").content.decode()


def test_putting_a_high_risk_case_forward_emails_the_managers_who_may_see_it(
    officer: User,
    manager: User,
    make_staff: Callable[..., User],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = open_case(officer, priority=Priority.HIGH, summary="Loud music at Flat 3")
    discuss_outcome(case)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_request_closure(actor=officer, case=case, outcome="resolved", outcome_summary="The music stopped.")
    [email] = mail.outbox
    assert email.to == ["maya@example.org"]
    assert email.subject == f"Closure to approve: {case.reference}"
    assert "because it is high priority" in email.body
    assert f"/staff/cases/{case.reference}/closure/" in email.body
    assert "Flat 3" not in email.body  # no summary, no parties
    assert case.parties.get().first_name not in email.body


def test_the_manager_who_put_a_da_case_forward_is_not_asked_to_approve_it(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first = make_staff(Role.MANAGER, username="manager_first", email="first@example.org")
    second = make_staff(Role.MANAGER, username="manager_second", email="second@example.org")
    case = open_case(first, case_type=CaseType.DA, priority=Priority.LOW)
    discuss_outcome(case)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_request_closure(actor=first, case=case, outcome="resolved", outcome_summary="Moved away safely.")
    assert [email.to for email in mail.outbox] == [[second.email]]
    assert "Case type" not in mail.outbox[0].body  # restricted: not even the kind of case


def test_a_normal_case_put_forward_emails_no_one(
    officer: User, manager: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    case = open_case(officer, priority=Priority.NORMAL)
    discuss_outcome(case)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        updated = case_request_closure(actor=officer, case=case, outcome="resolved", outcome_summary="Sorted.")
    assert updated.status == Status.CLOSING
    assert mail.outbox == []


def test_the_queue_reads_a_fixed_number_of_queries(
    officer: User, manager: User, django_assert_max_num_queries: Callable[..., object]
) -> None:
    for _ in range(15):
        closing_case(officer, priority=Priority.HIGH)
    client = client_verified_as(manager)
    with django_assert_max_num_queries(20):  # type: ignore[attr-defined]
        assert client.get(QUEUE).status_code == 200
