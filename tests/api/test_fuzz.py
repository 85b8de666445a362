"""The regression net (issue 13 part 4, API half): generated text, numbers, dates, nulls and wrong types through every
API body and the case list's query never give a server error, and every 4xx is problem+json."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case
from tests.api.conftest import assert_problem, bearer
from tests.risk.assessment_helpers import working_case

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

# Text that has broken something before: lone surrogates, NUL and other controls, far-off dates, long strings.
NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\ud800 noise",
        "a\x00b",
        "\x07",
        "\t\n",
        "0",
        "0001-01-01",
        "9999-12-31",
        "0001-01-01T00:00:00",
        "2026-03-29T01:30:00",
        "2026-02-30",
        "x" * 300,
        "x" * 6000,
        "null",
        "ASB-2026-000001",
        "domestic_abuse",
        "da",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | NASTY_TEXT
    | st.text(max_size=30)
)
VALUES = st.recursive(
    SCALARS,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
    max_leaves=6,
)


def _bodies(good: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid body with some fields replaced by generated values, some dropped, and an unknown one at times."""
    names = sorted(good)
    return st.builds(
        lambda changes, dropped: {k: v for k, v in {**good, **changes}.items() if k not in dropped},
        st.dictionaries(st.sampled_from([*names, "unknown"]), VALUES, max_size=4),
        st.sets(st.sampled_from(names), max_size=2),
    )


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER, username="officer_fuzz")


@pytest.fixture
def send(officer: User, token_for: Callable[[User], str]) -> Callable[..., Any]:
    headers = bearer(token_for(officer))

    def _send(method: str, url: str, body: Any) -> Any:
        if method == "get":
            return Client().get(url, body, headers=headers)
        return Client().post(url, json.dumps(body), content_type="application/json", headers=headers)

    return _send


def _check(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert_problem(response, response.status_code)


def _case(officer: User) -> Case:
    case: Case = working_case(assigned_officer=officer, team=officer.team)
    return case


GOOD: dict[str, tuple[str, dict[str, Any]]] = {
    "cases": ("/api/v1/cases", {"case_type": "asb", "summary": "Noise", "received_at": "2026-01-05T10:00:00Z"}),
    "reports": ("/api/v1/reports", {"type": "asb", "description": "Noise", "channel": "partner", "anonymous": True}),
    "triage": ("/triage", {"priority": "normal", "urgent": False, "category": "nuisance"}),
    "assign": ("/assign", {"officer": "officer_fuzz", "reason": "Cover"}),
    "reassign": (
        "/api/v1/cases/reassign",
        {"references": ["ASB-2026-000001"], "officer": "officer_fuzz", "reason": "X"},
    ),
    "transition": ("/transition", {"to_status": "open", "reason": ""}),
    "parties": ("/parties", {"role": "witness", "first_name": "Wendy", "date_of_birth": "1980-01-01"}),
    "links": ("/links", {"other_reference": "ASB-2026-000001", "reason": "other", "note": ""}),
    "closure-request": ("/closure/request", {"outcome": "resolved", "outcome_summary": "Done"}),
    "close": ("/close", {"version": 1}),
    "reopen": ("/reopen", {"reason": "Again"}),
    "risk-assessments": ("/risk-assessments", {"instrument": "asb-hate-matrix", "answers": {"threats": "none"}}),
    "letter-preview": ("/letters/preview", {"template": "warning-letter", "party": 1, "variant": "large_print"}),
    "interventions": ("/interventions", {"kind": "advice", "party": 1, "started_on": "2026-01-05"}),
}


@pytest.mark.parametrize("endpoint", sorted(GOOD))
def test_generated_bodies_never_give_a_server_error(endpoint: str, officer: User, send: Callable[..., Any]) -> None:
    suffix, good = GOOD[endpoint]
    url = suffix if suffix.startswith("/api/") else f"/api/v1/cases/{_case(officer).reference}{suffix}"

    @FUZZ
    @given(body=_bodies(good) | VALUES)
    def run(body: Any) -> None:
        _check(send("post", url, body))

    run()


# A query string is bytes: a client sends a lone surrogate as its UTF-8 bytes, which Django reads as U+FFFD; the test
# client cannot encode it at all, so send what arrives.
QUERY_VALUES = (NASTY_TEXT | st.integers(min_value=-(10**30), max_value=10**30).map(str) | st.text(max_size=20)).map(
    lambda value: value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
)
QUERY_NAMES = [
    "q",
    "status",
    "case_type",
    "officer",
    "team",
    "estate",
    "priority",
    "sensitivity",
    "response",
    "response_status",
    "sort",
    "received_from",
    "received_to",
    "page",
    "page_size",
]


def test_generated_case_list_queries_never_give_a_server_error(officer: User, send: Callable[..., Any]) -> None:
    _case(officer)

    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(QUERY_NAMES), QUERY_VALUES, max_size=5))
    def run(query: dict[str, str]) -> None:
        _check(send("get", "/api/v1/cases", query))

    run()
