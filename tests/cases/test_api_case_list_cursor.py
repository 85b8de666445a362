"""GET /api/v1/cases pages by cursor (issue 21 part 1): every visible case exactly once in a stable order, whatever is
added meanwhile; opaque, signed cursors tied to their filters; no count."""

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
from saferhomes.cases.models import Case, CaseType, Sensitivity, Status
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases"


@pytest.fixture
def get(make_staff: Callable[..., User]) -> Callable[..., Any]:
    """get(query) as a coordinator (sees every normal case), with one token."""
    coordinator = make_staff(Role.COORDINATOR)
    _token, raw = token_create(actor=None, user=coordinator, name="tests")
    client = Client()
    return lambda query=None: client.get(URL, query or {}, headers=bearer(raw))


def _walk(get: Callable[..., Any], query: dict[str, Any]) -> list[list[str]]:
    """Every page's references, following next_cursor from the first page."""
    pages: list[list[str]] = []
    cursor = ""
    while True:
        response = get({**query, "cursor": cursor} if cursor else query)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"page_size", "next_cursor", "results"}
        pages.append([row["reference"] for row in body["results"]])
        if body["next_cursor"] is None:
            assert not response.has_header("Link")
            return pages
        assert response["Link"].startswith(f"<{URL}?")
        assert response["Link"].endswith('>; rel="next"')
        cursor = body["next_cursor"]
        assert len(pages) < 20


def test_following_next_cursor_lists_every_case_once_newest_first_even_with_equal_times(
    get: Callable[..., Any],
) -> None:
    same_moment = timezone.now() - dt.timedelta(days=1)
    cases = [CaseFactory.create(received_at=same_moment) for _ in range(4)]
    cases += [CaseFactory.create(received_at=same_moment - dt.timedelta(hours=n)) for n in range(1, 4)]
    pages = _walk(get, {"page_size": 3})
    assert [len(page) for page in pages] == [3, 3, 1]
    newest_first = sorted(cases, key=lambda case: (case.received_at, case.pk), reverse=True)
    assert [ref for page in pages for ref in page] == [case.reference for case in newest_first]


def test_cases_added_while_paging_neither_repeat_nor_shift_the_rest(get: Callable[..., Any]) -> None:
    older = [CaseFactory.create(received_at=timezone.now() - dt.timedelta(days=n)) for n in range(1, 6)]
    first = get({"page_size": 2}).json()
    CaseFactory.create_batch(3, received_at=timezone.now())  # newer than everything: they belong before page 1
    rest = _walk(get, {"page_size": 2, "cursor": first["next_cursor"]})
    listed = [row["reference"] for row in first["results"]] + [ref for page in rest for ref in page]
    assert listed == [case.reference for case in older]


def test_response_due_order_pages_through_deadlines_then_the_cases_without_one(get: Callable[..., Any]) -> None:
    now = timezone.now()
    due = [CaseFactory.create(response_due_at=now + dt.timedelta(days=n)) for n in (3, 1, 2)]
    due.append(CaseFactory.create(response_due_at=due[1].response_due_at))  # a tie: the id decides
    undated = [CaseFactory.create(response_due_at=None) for _ in range(3)]
    pages = _walk(get, {"sort": "response_due", "page_size": 2})
    expected = sorted(due, key=lambda c: (c.response_due_at, c.pk)) + sorted(undated, key=lambda c: c.pk)
    assert [ref for page in pages for ref in page] == [case.reference for case in expected]
    assert [len(page) for page in pages] == [2, 2, 2, 1]


def test_filters_apply_on_every_page(get: Callable[..., Any]) -> None:
    hate = [CaseFactory.create(case_type=CaseType.HATE, status=Status.OPEN) for _ in range(5)]
    CaseFactory.create_batch(4, case_type=CaseType.ASB, status=Status.OPEN)
    pages = _walk(get, {"case_type": "hate", "status": ["open"], "page_size": 2})
    assert sorted(ref for page in pages for ref in page) == sorted(case.reference for case in hate)


def test_a_cursor_only_works_with_the_filters_and_sort_it_was_made_for(get: Callable[..., Any]) -> None:
    CaseFactory.create_batch(3, case_type=CaseType.HATE)
    cursor = get({"case_type": "hate", "page_size": 1}).json()["next_cursor"]
    assert get({"case_type": "hate", "page_size": 2, "cursor": cursor}).status_code == 200  # page size may change
    for other in ({"case_type": "asb"}, {"case_type": "hate", "sort": "response_due"}, {"case_type": "hate", "q": "x"}):
        body = assert_problem(get({**other, "cursor": cursor}), 422)
        assert [error["field"] for error in body["errors"]] == ["cursor"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "W1tdXQ:1tEST:forged",
        "x" * 300,
        "WyJuZXdlc3QiXQ:1v0AAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_a_cursor_not_given_out_is_a_422_problem_naming_it(get: Callable[..., Any], cursor: str) -> None:
    CaseFactory.create()
    body = assert_problem(get({"cursor": cursor}), 422)
    assert body["errors"][0]["field"] in ("cursor", "query.cursor")


def test_an_edited_cursor_is_refused_not_followed(get: Callable[..., Any]) -> None:
    CaseFactory.create_batch(3)
    cursor = get({"page_size": 1}).json()["next_cursor"]
    edited = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")
    assert [e["field"] for e in assert_problem(get({"cursor": edited}), 422)["errors"]] == ["cursor"]


def test_page_numbers_are_refused_with_a_pointer_to_the_cursor(get: Callable[..., Any]) -> None:
    assert get({"page": 1}).status_code == 200
    body = assert_problem(get({"page": 2}), 422)
    assert body["errors"] == [{"field": "page", "message": body["errors"][0]["message"]}]
    assert "next_cursor" in body["errors"][0]["message"]


def test_paging_never_reaches_cases_the_token_holder_may_not_see(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    mine = [CaseFactory.create(assigned_officer=officer, team=officer.team) for _ in range(3)]
    CaseFactory.create_batch(3)  # another team's
    CaseFactory.create(sensitivity=Sensitivity.DA, case_type=CaseType.DA, team=officer.team)
    _token, raw = token_create(actor=None, user=officer, name="tests")
    client = Client()
    pages = _walk(lambda query=None: client.get(URL, query or {}, headers=bearer(raw)), {"page_size": 1})
    assert sorted(ref for page in pages for ref in page) == sorted(case.reference for case in mine)
    assert Case.objects.count() == 7
