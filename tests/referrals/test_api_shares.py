"""The shares API (issue 15 item 7): staff share, list and withdraw through the same services (problem+json naming the
field on bad input); partner tokens list and read exactly the cases shared with their agency through the same
selectors as the partner pages, and get 403 or 404 everywhere else."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.api.api import api
from saferhomes.cases.models import Case, CaseType
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import CaseShare, Disclosure, SharePart, SharingAgreement
from tests.access.surfaces import CaseSurface
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import CaseFactory
from tests.cases.matrix import case_for
from tests.referrals.partner_helpers import council_agency, idva_agency, partner_of, share_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def call() -> Callable[..., Any]:
    """call(user, method, url, body=None) with a fresh token of the user's, from a client with no session."""
    client = Client()

    def _call(user: User, method: str, url: str, body: Any = None, **headers: str) -> Any:
        _token, raw = token_create(actor=None, user=user, name="tests")
        every = {**bearer(raw), **headers}
        if method == "get":
            return client.get(url, headers=every)
        data = json.dumps(body) if body is not None else ""
        return getattr(client, method)(url, data, content_type="application/json", headers=every)

    return _call


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


def _case(user: User, **fields: Any) -> Case:
    case: Case = CaseFactory.create(assigned_officer=user, team=user.team, **fields)
    return case


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agency": "council-asb",
        "parts": ["summary", "incidents"],
        "ends_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "lawful_basis": "public_task",
        "reason": "Joint problem-solving",
    }
    body.update(changes)
    return body


def test_sharing_over_the_api_answers_201_with_the_id(officer: User, call: Callable[..., Any]) -> None:
    council_agency()
    case = _case(officer)

    response = call(officer, "post", f"/api/v1/cases/{case.reference}/shares", _body(agency="COUNCIL-ASB"))

    assert response.status_code == 201, response.content
    body = response.json()
    share = CaseShare.objects.get()
    assert body["id"] == share.pk
    assert (body["agency"], body["parts"], body["state"]) == ("council-asb", ["summary", "incidents"], "active")
    assert Disclosure.objects.get().share == share
    listed = call(officer, "get", f"/api/v1/cases/{case.reference}/shares").json()
    assert [row["id"] for row in listed] == [share.pk]


def test_a_retry_with_the_same_idempotency_key_makes_one_share(officer: User, call: Callable[..., Any]) -> None:
    council_agency()
    case = _case(officer)
    url = f"/api/v1/cases/{case.reference}/shares"
    first = call(officer, "post", url, _body(), **{"Idempotency-Key": "share-1"})
    again = call(officer, "post", url, _body(), **{"Idempotency-Key": "share-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert CaseShare.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"agency": "no-such-agency"}, "agency"),
        ({"parts": []}, "parts"),
        ({"parts": ["parties"]}, "body.payload.parts.0"),
        ({"ends_on": "2020-01-01"}, "ends_on"),
        ({"ends_on": None}, "body.payload.ends_on"),
        ({"lawful_basis": "because"}, "body.payload.lawful_basis"),
        ({"reason": ""}, "body.payload.reason"),
    ],
    ids=["agency", "no-parts", "bad-part", "past", "no-end", "bad-basis", "no-reason"],
)
def test_bad_input_is_a_422_naming_the_field(
    officer: User, call: Callable[..., Any], changes: dict[str, Any], field: str
) -> None:
    council_agency()
    response = call(officer, "post", f"/api/v1/cases/{_case(officer).reference}/shares", _body(**changes))
    body = assert_problem(response, 422)
    assert field in [error["field"] for error in body["errors"]]
    assert not CaseShare.objects.exists()


def test_a_da_case_with_an_agency_not_entitled_is_a_422(
    make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    council_agency()
    specialist = make_staff(Role.DA_SPECIALIST)
    case = _case(specialist, case_type=CaseType.DA)
    body = assert_problem(call(specialist, "post", f"/api/v1/cases/{case.reference}/shares", _body()), 422)
    assert body["errors"][0]["field"] == "agency"
    assert "entitled to domestic abuse information" in body["errors"][0]["message"]


def test_withdrawing_over_the_api_with_the_reason_in_the_query_or_the_body(
    officer: User, call: Callable[..., Any]
) -> None:
    council = council_agency()
    case = _case(officer)
    first, second = share_of(case, council), share_of(_case(officer), council)
    url = f"/api/v1/cases/{case.reference}/shares/{first.pk}"

    assert assert_problem(call(officer, "delete", url), 422)["errors"][0]["field"] == "reason"
    assert call(officer, "delete", f"{url}?reason=They+closed+their+case").status_code == 204
    first.refresh_from_db()
    assert first.withdrawn_reason == "They closed their case"

    second_url = f"/api/v1/cases/{second.case.reference}/shares/{second.pk}"
    assert call(officer, "delete", second_url, {"reason": "Shared in error"}).status_code == 204
    second.refresh_from_db()
    assert second.withdrawn_reason == "Shared in error"
    assert assert_problem(call(officer, "delete", second_url, {"reason": 7}), 422)["errors"][0]["field"] == (
        "body.reason"
    )
    wrong_case = f"/api/v1/cases/{case.reference}/shares/{second.pk}"
    assert_problem(call(officer, "delete", f"{wrong_case}?reason=x"), 404)


SHARES_LIST = CaseSurface("Partnership", "Shares of a case (API)", "GET", "/api/v1/cases/{ref}/shares", None)
SHARE_MAKE = CaseSurface(
    "Partnership", "Share a case (API)", "POST", "/api/v1/cases/{ref}/shares", "referrals.share_case", ok=201
)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), SHARES_LIST.params())
def test_the_staff_share_endpoints_follow_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    idva_agency()  # entitled to DA information, so every case may be shared with it
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    listed = call(user, "get", SHARES_LIST.url(ref=case.reference))
    made = call(user, "post", SHARE_MAKE.url(ref=case.reference), _body(agency="idva"))

    assert listed.status_code == SHARES_LIST.expected(role, sensitivity, relation)
    assert made.status_code == SHARE_MAKE.expected(role, sensitivity, relation)


def test_a_partner_token_lists_and_reads_what_is_shared_with_its_agency(call: Callable[..., Any]) -> None:
    council, idva = council_agency(), idva_agency()
    pete = partner_of(council, "partner_pete")
    mine = share_of(CaseFactory.create(summary="Noise from flat 4"), council, [SharePart.SUMMARY]).case
    theirs = share_of(CaseFactory.create(), idva).case

    listed = call(pete, "get", "/api/v1/shared-cases")
    assert listed.status_code == 200
    assert [row["reference"] for row in listed.json()] == [mine.reference]
    read = call(pete, "get", f"/api/v1/shared-cases/{mine.reference}").json()
    assert read["summary"]["summary"] == "Noise from flat 4"
    assert (read["incidents"], read["risk"], read["documents"]) == (None, None, None)
    body = assert_problem(call(pete, "get", f"/api/v1/shared-cases/{theirs.reference}"), 404)
    assert theirs.reference not in json.dumps(body)
    assert AuditEvent.objects.filter(verb=AuditVerb.SHARED_CASE_READ, actor=pete).count() == 2
    assert AuditEvent.objects.filter(verb=AuditVerb.SHARED_CASE_READ_REFUSED, actor=pete).count() == 1


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PARTNER])
def test_staff_tokens_cannot_use_the_partner_endpoints(
    role: str, make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    user = make_staff(role)
    case = share_of(CaseFactory.create(), council_agency()).case
    assert_problem(call(user, "get", "/api/v1/shared-cases"), 403)
    assert_problem(call(user, "get", f"/api/v1/shared-cases/{case.reference}"), 403)


def _operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return [(method, path) for path, operations in paths.items() for method in operations]


PARTNER_MAY = {("get", "/api/v1/me"), ("get", "/api/v1/shared-cases"), ("get", "/api/v1/shared-cases/{reference}")}
# Bodies that fit each write's schema, so the request reaches the permission and case checks (path suffix -> body).
FITTING_BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/cases": {"case_type": "asb", "summary": "Noise", "received_at": "2026-01-05T10:00:00Z"},
    "/api/v1/reports": {"type": "asb", "description": "Noise", "channel": "partner", "anonymous": True},
    "/api/v1/cases/reassign": {"references": ["ASB-2026-000001"], "officer": "partner_pete", "reason": "Cover"},
    "/triage": {"priority": "normal", "urgent": False, "category": "nuisance"},
    "/assign": {"officer": "partner_pete", "reason": "Cover"},
    "/transition": {"to_status": "open", "reason": ""},
    "/parties": {"role": "witness", "first_name": "Wendy"},
    "/links": {"other_reference": "ASB-2026-000001", "reason": "other", "note": ""},
    "/closure/request": {"outcome": "resolved", "outcome_summary": "Done"},
    "/closure/approve": {"version": 1},
    "/close": {"version": 1},
    "/reopen": {"reason": "Again"},
    "/contacts": {"method": "phone", "occurred_at": "2026-01-05T10:00:00Z", "summary": "Called"},
    "/risk-assessments": {"instrument": "asb-hate-matrix", "answers": {"threats": "none"}},
    "/shares": _body(),
    "/shares/{share_id}": {"reason": "Not ours to withdraw"},
    "/api/v1/case-reviews": {"applicant": {"first_name": "Ada", "email": "ada@example.org"}, "description": "Noise"},
}


def _fitting_body(path: str) -> dict[str, Any] | None:
    if path in FITTING_BODIES:
        return FITTING_BODIES[path]
    suffix = path.removeprefix("/api/v1/cases/{reference}")
    return FITTING_BODIES.get(suffix) if suffix != path else None


def test_a_partner_token_gets_403_or_404_on_every_other_endpoint_even_for_its_shared_case(
    call: Callable[..., Any],
) -> None:
    council = council_agency()
    pete = partner_of(council, "partner_pete")
    share = share_of(CaseFactory.create(), council, [SharePart.SUMMARY, SharePart.INCIDENTS])
    checked = []
    for method, path in _operations():
        if (method, path) in PARTNER_MAY:
            continue
        url = path.replace("{reference}", share.case.reference).replace("{share_id}", str(share.pk))
        url = re.sub(r"\{\w+_id\}", "1", url.replace("{code}", council.code))  # any other record's id
        body = None if method == "get" else _fitting_body(path)
        response = call(pete, method, url, body if body is not None or method == "get" else {})
        if response.status_code == 422 and method != "get" and body is None:
            # An endpoint this test has no fitting body for (one added later): its schema refused the body before any
            # permission or case was looked at, so nothing was learnt; every such field is in the body.
            fields = [error["field"] for error in response.json()["errors"]]
            assert fields
            assert all(field.startswith("body.") for field in fields), (method, path, fields)
            continue
        assert response.status_code in (403, 404), (method, path, response.status_code, response.content)
        assert share.case.summary not in response.content.decode()
        checked.append((method, path))
    assert len(checked) >= 25
    assert ("get", "/api/v1/cases/{reference}") in checked
    assert ("post", "/api/v1/cases/{reference}/contacts") in checked
    assert ("delete", "/api/v1/cases/{reference}/shares/{share_id}") in checked


@pytest.mark.parametrize(
    "suffix", ["", "/contacts", "/closure", "/risk-assessments", "/shares"], ids=lambda s: s or "case"
)
def test_a_partner_token_gets_404_not_403_on_the_case_endpoints_of_its_shared_case(
    call: Callable[..., Any], suffix: str
) -> None:
    council = council_agency()
    pete = partner_of(council, "partner_pete")
    case = share_of(CaseFactory.create(), council).case
    body = assert_problem(call(pete, "get", f"/api/v1/cases/{case.reference}{suffix}"), 404)
    assert case.reference not in json.dumps(body)


def test_a_share_may_name_an_agreement_in_force_by_its_id(officer: User, call: Callable[..., Any]) -> None:
    council = council_agency()
    agreement = SharingAgreement.objects.create(
        name="Borough ASB protocol",
        purpose="Tackling ASB",
        data_shared="Case summaries",
        lawful_basis="public_task",
        starts_on=timezone.localdate() - dt.timedelta(days=100),
        review_on=timezone.localdate() + dt.timedelta(days=100),
        created_by=officer,
    )
    agreement.agencies.set([council])
    url = f"/api/v1/cases/{_case(officer).reference}/shares"
    body = assert_problem(call(officer, "post", url, _body(agreement_id=agreement.pk + 1)), 422)
    assert body["errors"][0]["field"] == "agreement_id"
    made = call(officer, "post", url, _body(agreement_id=agreement.pk))
    assert made.status_code == 201
    assert made.json()["agreement_id"] == agreement.pk
