"""Response deadlines as staff see them (DESIGN.md §4.1): the case page gives the deadline in words, its state and
the rule; the list filters by each state and sorts by the deadline; the dashboard counts overdue and due-soon
responses; the API gives the deadline with its offset and the state. The worked example is a non-urgent report
received at 15:00 on Wed 24 Dec 2025, due by the end of Mon 5 Jan 2026 (25, 26 Dec and 1 Jan are bank holidays)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Case
from saferhomes.core.calendar_config import calendar_config_current, case_response_due, case_response_status
from tests.api.conftest import bearer
from tests.cases.factories import CaseFactory, force_status

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
RECEIVED = dt.datetime(2025, 12, 24, 15, 0, tzinfo=LONDON)
DUE = dt.datetime(2026, 1, 5, 23, 59, 59, tzinfo=LONDON)
RULE = "5 working days from Wed 24 Dec 2025 — bank holidays 25, 26 Dec and 1 Jan excluded"
MONDAY_9AM = dt.datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def _worked_example(**fields: Any) -> Case:
    case: Case = CaseFactory.create(
        received_at=RECEIVED, response_due_at=case_response_due(RECEIVED, urgent=False), **fields
    )
    return case


def test_worked_example_deadline_is_the_end_of_monday_5_january() -> None:
    assert case_response_due(RECEIVED, urgent=False) == DUE


@pytest.mark.parametrize(
    ("moment", "responded_at", "label", "tag_class"),
    [
        (_at(2025, 12, 29, 10), None, "On track", "govuk-tag--blue"),
        (MONDAY_9AM, None, "Due soon", "govuk-tag--yellow"),
        (_at(2026, 1, 6, 0, 0, 0), None, "Overdue", "govuk-tag--red"),
        (_at(2026, 1, 7, 12), _at(2026, 1, 2, 11), "Met", "govuk-tag--green"),
        (_at(2026, 1, 7, 12), _at(2026, 1, 6, 11), "Met late", "govuk-tag--grey"),
    ],
    ids=["on-track-29-dec", "due-soon-5-jan-9am", "overdue-6-jan", "met", "met-late"],
)
def test_case_page_shows_the_deadline_in_words_its_state_and_the_rule(
    staff_client: Callable[..., Client],
    moment: dt.datetime,
    responded_at: dt.datetime | None,
    label: str,
    tag_class: str,
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = _worked_example(responded_at=responded_at)
    with time_machine.travel(moment, tick=False):
        body = client.get(f"/staff/cases/{case.reference}/").content.decode()
    assert "the end of Mon 5 Jan 2026" in body
    assert f'<strong class="govuk-tag {tag_class}">{label}</strong>' in body
    assert RULE in body
    if responded_at is not None:
        assert f"First response at 11:00 on {responded_at:%a} {responded_at.day} {responded_at:%b %Y}" in body


def test_every_case_tab_header_shows_the_deadline_state_and_rule(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    case = _worked_example()
    with time_machine.travel(_at(2025, 12, 29, 10), tick=False):
        body = client.get(f"/staff/cases/{case.reference}/parties/").content.decode()
    assert "By the end of Mon 5 Jan 2026" in body
    assert "On track" in body
    assert RULE in body


def _states_at_monday_9am() -> dict[str, Case]:
    """One case per state at 09:00 on Mon 5 Jan 2026 (due-soon threshold: one working day, 24 hours), with the
    boundaries: due exactly 24 working hours away is on track, a second earlier is due soon, due now is due soon."""
    received = _at(2025, 12, 22, 10)
    cases = {
        "overdue": CaseFactory.create(received_at=received, response_due_at=_at(2026, 1, 2, 23, 59, 59)),
        "overdue_by_a_second": CaseFactory.create(received_at=received, response_due_at=_at(2026, 1, 5, 8, 59, 59)),
        "due_soon_now": CaseFactory.create(received_at=received, response_due_at=MONDAY_9AM),
        "due_soon": CaseFactory.create(received_at=received, response_due_at=DUE),
        "due_soon_edge": CaseFactory.create(received_at=received, response_due_at=_at(2026, 1, 6, 8, 59, 59)),
        "on_track_edge": CaseFactory.create(received_at=received, response_due_at=_at(2026, 1, 6, 9)),
        "on_track": CaseFactory.create(received_at=received, response_due_at=_at(2026, 1, 9, 23, 59, 59)),
        "met": CaseFactory.create(
            received_at=received, response_due_at=_at(2026, 1, 2, 23, 59, 59), responded_at=_at(2026, 1, 2, 23, 59, 59)
        ),
        "met_late": CaseFactory.create(
            received_at=received, response_due_at=_at(2026, 1, 2, 23, 59, 59), responded_at=_at(2026, 1, 3, 0, 0)
        ),
        "no_deadline": CaseFactory.create(received_at=received, response_due_at=None),
    }
    return cases


EXPECTED = {
    "overdue": {"overdue", "overdue_by_a_second"},
    "due_soon": {"due_soon_now", "due_soon", "due_soon_edge"},
    "on_track": {"on_track_edge", "on_track"},
    "met": {"met"},
    "met_late": {"met_late"},
}


def _references(body: str, cases: dict[str, Case]) -> set[str]:
    return {name for name, case in cases.items() if f">{case.reference}</a>" in body}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_list_filter_by_response_state_returns_exactly_the_cases_in_that_state(
    staff_client: Callable[..., Client], state: str
) -> None:
    client = staff_client(Role.COORDINATOR)
    cases = _states_at_monday_9am()
    with time_machine.travel(MONDAY_9AM, tick=False):
        response = client.get("/staff/cases/all/", {"response": state})
    assert response.status_code == 200
    assert _references(response.content.decode(), cases) == EXPECTED[state]


def test_list_filter_agrees_with_the_status_worked_out_case_by_case() -> None:
    cases = _states_at_monday_9am()
    config = calendar_config_current()
    for name, case in cases.items():
        if case.response_due_at is None:
            continue
        status = case_response_status(
            due_at=case.response_due_at, responded_at=case.responded_at, now=MONDAY_9AM, config=config
        )
        assert name in EXPECTED[str(status)], (name, status)


def test_list_sorts_by_response_due_soonest_first_with_no_deadline_last(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    cases = _states_at_monday_9am()
    with time_machine.travel(MONDAY_9AM, tick=False):
        body = client.get("/staff/cases/all/", {"sort": "response_due"}).content.decode()
    order = sorted(
        (case for case in cases.values()),
        key=lambda c: (c.response_due_at is None, c.response_due_at or MONDAY_9AM, c.pk),
    )
    positions = [body.index(f">{case.reference}</a>") for case in order]
    assert positions == sorted(positions)
    assert "soonest response deadline first" in body


def test_list_shows_each_rows_state_and_bad_state_is_an_error(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    _worked_example()
    with time_machine.travel(MONDAY_9AM, tick=False):
        body = client.get("/staff/cases/all/").content.decode()
        bad = client.get("/staff/cases/all/", {"response": "late"})
    assert "The end of Mon 5 Jan 2026" in body
    assert '<strong class="govuk-tag govuk-tag--yellow">Due soon</strong>' in body
    assert "Select response from the list" in bad.content.decode()


def _list_queries(client: Client) -> int:
    with time_machine.travel(MONDAY_9AM, tick=False), CaptureQueriesContext(connection) as captured:
        response = client.get("/staff/cases/all/", {"sort": "response_due", "response": "due_soon"})
    assert response.status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_the_rows_showing_their_state(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    CaseFactory.create_batch(2, received_at=_at(2025, 12, 22, 10), response_due_at=DUE)
    few = _list_queries(client)
    CaseFactory.create_batch(20, received_at=_at(2025, 12, 22, 10), response_due_at=DUE)
    assert _list_queries(client) == few


def test_dashboard_counts_overdue_and_due_soon_responses(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    _states_at_monday_9am()
    with time_machine.travel(MONDAY_9AM, tick=False):
        body = client.get("/staff/cases/").content.decode()
    assert 'data-count="overdue">2 cases<' in body
    assert 'data-count="due_soon">3 cases<' in body
    assert "?response=overdue&amp;sort=response_due&amp;status=new&amp;status=triaged&amp;status=open" in body


def _api_get(user: User, url: str, data: dict[str, Any] | None = None) -> Any:
    _token, raw = token_create(actor=None, user=user, name="tests")
    return Client().get(url, data or {}, headers=bearer(raw))


def test_api_gives_the_deadline_in_london_time_with_its_offset_and_the_state(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    winter = _worked_example()
    summer = CaseFactory.create(received_at=_at(2026, 6, 1, 10), response_due_at=_at(2026, 6, 8, 23, 59, 59))
    with time_machine.travel(MONDAY_9AM, tick=False):
        detail = _api_get(coordinator, f"/api/v1/cases/{winter.reference}").json()
        listed = {row["reference"]: row for row in _api_get(coordinator, "/api/v1/cases").json()["results"]}
    assert detail["response_due_at"] == "2026-01-05T23:59:59Z"
    assert detail["response_status"] == "due_soon"
    assert listed[winter.reference]["response_status"] == "due_soon"
    assert listed[summer.reference]["response_due_at"] == "2026-06-08T23:59:59+01:00"
    assert listed[summer.reference]["response_status"] == "on_track"


def test_api_filters_by_response_status_and_sorts_by_deadline(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    cases = _states_at_monday_9am()
    with time_machine.travel(MONDAY_9AM, tick=False):
        due_soon = _api_get(coordinator, "/api/v1/cases", {"response_status": "due_soon", "sort": "response_due"})
        bad = _api_get(coordinator, "/api/v1/cases", {"response_status": "late"})
    assert [row["reference"] for row in due_soon.json()["results"]] == [
        cases[name].reference for name in ("due_soon_now", "due_soon", "due_soon_edge")
    ]
    assert bad.status_code == 422
    assert [error["field"] for error in bad.json()["errors"]] == ["query.response_status"]  # the enum refuses it


def test_dashboard_overdue_link_lists_exactly_the_cases_it_counts(staff_client: Callable[..., Client]) -> None:
    """A closed case never answered is not on the panel (nothing to chase), so the panel's link leaves it out too."""
    client = staff_client(Role.COORDINATOR)
    cases = _states_at_monday_9am()
    closed = CaseFactory.create(received_at=_at(2025, 12, 22, 10), response_due_at=_at(2026, 1, 2, 23, 59, 59))
    force_status(closed, "closed")
    with time_machine.travel(MONDAY_9AM, tick=False):
        body = client.get("/staff/cases/").content.decode()
        start = body.index('href="/staff/cases/all/?response=overdue')
        link = body[start + len('href="') : body.index('"', start + len('href="'))].replace("&amp;", "&")
        listed = client.get(link).content.decode()
    for name in EXPECTED["overdue"]:
        assert cases[name].reference in listed
    assert closed.reference not in listed
