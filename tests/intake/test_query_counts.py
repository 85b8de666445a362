"""Query counts stay flat as rows grow (CONVENTIONS: no N+1): the triage queue, and the open cases suggested for a
report, measured with 3 rows and with 30 against one bound."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.intake.models import Report
from saferhomes.intake.selectors.staff import SUGGESTIONS_MAX, case_suggestions
from saferhomes.intake.views.staff import PAGE_SIZE
from tests.cases.factories import CaseFactory, PartyFactory
from tests.conftest import client_verified_as
from tests.housing.factories import PersonFactory, PropertyFactory
from tests.intake.triage_helpers import submit

pytestmark = pytest.mark.django_db

# Measured with 3 rows and with 30: the same. A query per row would add 3 and 30.
QUEUE_QUERIES = 13
# The candidate cases, their parties with register people, and their homes (prefetched), whatever their number.
SUGGESTION_QUERIES = 4
TRIAGE_PAGE_QUERIES = 17


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def client(officer: User) -> Client:
    return client_verified_as(officer)


def _candidate_cases(officer: User, report: Report, count: int) -> None:
    """Open cases the officer sees, each sharing the reporter's email (on the party or their register record) and
    the report's home, with another party and home that match nothing."""
    assert report.home is not None
    for index in range(count):
        case = CaseFactory.create(assigned_officer=officer, team=officer.team)
        person = PersonFactory.create(email=report.email) if index % 2 else None
        PartyFactory.create(case=case, email="" if person else report.email, person=person)
        PartyFactory.create(case=case)
        case.properties.add(report.home, PropertyFactory.create())


@pytest.mark.parametrize("rows", [3, 30])
def test_triage_queue_queries_do_not_grow_with_its_rows(
    officer: User, client: Client, rows: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    reports = [
        submit(officer, urgent=index % 2 == 0, home=PropertyFactory.create() if index % 3 == 0 else None)
        for index in range(rows)
    ]
    with django_assert_max_num_queries(QUEUE_QUERIES):
        page = client.get("/staff/reports/").content.decode()
    shown = [report for report in reports if report.reference in page]
    assert len(shown) == min(rows, PAGE_SIZE)


@pytest.mark.parametrize("rows", [3, 30])
def test_case_suggestions_queries_do_not_grow_with_the_candidate_cases(
    officer: User, rows: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    report = submit(officer, home=PropertyFactory.create())
    _candidate_cases(officer, report, rows)
    with django_assert_max_num_queries(SUGGESTION_QUERIES):
        suggestions = case_suggestions(actor=officer, report=report)
    assert len(suggestions) == min(rows, SUGGESTIONS_MAX)
    assert all(
        "The same home" in s.reasons and "The same email address as the reporter" in s.reasons for s in suggestions
    )


@pytest.mark.parametrize("rows", [3, 30])
def test_triage_page_queries_do_not_grow_with_the_suggested_cases(
    officer: User, client: Client, rows: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    report = submit(officer, home=PropertyFactory.create())
    _candidate_cases(officer, report, rows)
    with django_assert_max_num_queries(TRIAGE_PAGE_QUERIES):
        page = client.get(f"/staff/reports/{report.reference}/").content.decode()
    assert page.count('name="suggested_case"') == min(rows, SUGGESTIONS_MAX)
