"""Who may open which staff report page and API endpoint: every role x page x the report's standing.

Rules (intake/selectors/staff.py): pages need `intake.triage_report` (taking a report: `intake.take_report`) —
403 without; a report not on a case is seen by every role that may triage, except DA reports, seen only by
DA-entitled staff (DA specialists, managers) — 404 for the others; a report on a case is seen exactly by those
who may see the case (tests/cases/matrix.py), whatever its sensitivity.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Sensitivity
from saferhomes.intake.models import Report, ReportAttachment, ReportStatus
from tests.access.surfaces import Grid, RoleSurface
from tests.api.conftest import bearer, token_for
from tests.cases.matrix import ROLES, SENSITIVITIES, case_for, has_perm, visible
from tests.conftest import client_verified_as
from tests.intake.triage_helpers import submit

pytestmark = pytest.mark.django_db
__all__ = ["token_for"]

TRIAGE = "intake.triage_report"
TAKE = "intake.take_report"
DA_ENTITLED = {Role.DA_SPECIALIST, Role.MANAGER}


def _report(kind: str) -> Report:
    if kind == "da":
        return submit(problem="domestic_abuse")
    return submit()


def _with_file(report: Report) -> ReportAttachment:
    attachment = ReportAttachment(report=report, original_name="a.txt", content_type="text/plain", size=2, sha256="0")
    attachment.file.save("a.txt", ContentFile(b"hi"), save=True)
    return attachment


def _report_pages(report: Report, attachment: ReportAttachment) -> list[str]:
    return [
        f"/staff/reports/{report.reference}/",
        f"/staff/reports/{report.reference}/attachments/{attachment.pk}/",
    ]


AREA = "Reports"
QUEUE_PAGES = [
    RoleSurface(AREA, "Report queue", "GET", "/staff/reports/", TRIAGE),
    RoleSurface(AREA, "Take a report", "GET", "/staff/reports/new/", TAKE),
    RoleSurface(AREA, "Search the register", "GET", "/staff/reports/register-search/?register_query=ab", TAKE),
]


@pytest.mark.parametrize("role", ROLES)
def test_pages_without_a_report(role: str, make_staff: Callable[..., User]) -> None:
    client = client_verified_as(make_staff(role))
    for page in QUEUE_PAGES:
        assert client.get(page.url()).status_code == page.expected(role), page.path


def _untriaged_expected(role: str, kind: str, *, api: bool = False) -> int:
    if not has_perm(role, TRIAGE):
        return 404 if api else 403
    if kind == "da" and role not in DA_ENTITLED:
        return 404
    return 200


def _untriaged_cell(role: str, column: str) -> int:
    kind, surface = column.split(" report: ")
    return _untriaged_expected(role, kind.lower(), api=surface == "API")


UNTRIAGED = Grid(
    AREA,
    "A report not yet on a case",
    rows=ROLES,
    columns=["ASB report: pages", "ASB report: API", "DA report: pages", "DA report: API"],
    cell=_untriaged_cell,
    note="Pages: `GET /staff/reports/{ref}/` and `GET /staff/reports/{ref}/attachments/{pk}/`; API: "
    "`GET /api/v1/reports/{ref}`. Needs `intake.triage_report` (pages 403, API 404 without it); a DA report is "
    "404 to all but DA-entitled staff (" + ", ".join(sorted(DA_ENTITLED)) + ").",
)


@pytest.mark.parametrize(("role", "kind"), [pytest.param(r, k, id=f"{r}-{k}") for r in ROLES for k in ("asb", "da")])
def test_untriaged_report_pages_and_api(
    role: str, kind: str, make_staff: Callable[..., User], token_for: Callable[[User], str]
) -> None:
    user = make_staff(role)
    report = _report(kind)
    attachment = _with_file(report)
    client = client_verified_as(user)
    for url in _report_pages(report, attachment):
        assert client.get(url).status_code == UNTRIAGED.cell(role, f"{kind.upper()} report: pages"), url
    api = client.get(f"/api/v1/reports/{report.reference}", headers=bearer(token_for(user)))
    assert api.status_code == UNTRIAGED.cell(role, f"{kind.upper()} report: API")


def _on_case_expected(role: str, sensitivity: str, relation: str, *, api: bool = False) -> int:
    if not has_perm(role, TRIAGE):
        return 404 if api else 403
    return 200 if visible(role, sensitivity, relation) else 404


ON_CASE_RELATIONS = ("assigned", "other_team", "named")
ON_CASE_COLUMNS = [f"{s} / {rel}" for s, rel in itertools.product(SENSITIVITIES, ON_CASE_RELATIONS)]
ON_CASE_NOTE = (
    "Seen exactly by those who see the case (*Who sees a case*), whatever its sensitivity; needs "
    "`intake.triage_report` (pages 403, API 404 without it). Columns: the case's sensitivity / the standing to it."
)
ON_CASE_PAGES = Grid(
    AREA,
    "A report on a case: its pages (`GET /staff/reports/{ref}/`, `GET /staff/reports/{ref}/attachments/{pk}/`)",
    rows=ROLES,
    columns=ON_CASE_COLUMNS,
    cell=lambda role, column: _on_case_expected(role, *column.split(" / ")),
    note=ON_CASE_NOTE,
)
ON_CASE_API = Grid(
    AREA,
    "A report on a case: the API (`GET /api/v1/reports/{ref}`)",
    rows=ROLES,
    columns=ON_CASE_COLUMNS,
    cell=lambda role, column: _on_case_expected(role, *column.split(" / "), api=True),
)


@pytest.mark.parametrize(
    ("role", "sensitivity", "relation"),
    [
        pytest.param(r, s, rel, id=f"{r}-{s}-{rel}")
        for r, s, rel in itertools.product(ROLES, SENSITIVITIES, ON_CASE_RELATIONS)
    ],
)
def test_report_on_a_case_is_seen_by_those_who_see_the_case(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User], token_for: Callable[[User], str]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    report = _report("da" if sensitivity == Sensitivity.DA else "asb")
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.ADDED_TO_CASE, case=case)
    attachment = _with_file(report)
    client = client_verified_as(user)
    for url in _report_pages(report, attachment):
        assert client.get(url).status_code == ON_CASE_PAGES.cell(role, f"{sensitivity} / {relation}"), url
    api = client.get(f"/api/v1/reports/{report.reference}", headers=bearer(token_for(user)))
    assert api.status_code == ON_CASE_API.cell(role, f"{sensitivity} / {relation}")


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.MANAGER])
def test_queue_shows_da_reports_only_to_da_entitled_staff(role: str, make_staff: Callable[..., User]) -> None:
    asb, da = _report("asb"), _report("da")
    html = client_verified_as(make_staff(role)).get("/staff/reports/").content.decode()
    assert asb.reference in html
    assert (da.reference in html) == (role in DA_ENTITLED)
    assert ("Abuse by a partner" in html) is False  # no DA details in any list


@pytest.mark.parametrize("role", ROLES)
def test_triage_post_follows_the_same_rules(role: str, make_staff: Callable[..., User]) -> None:
    report = _report("da")
    response = client_verified_as(make_staff(role)).post(
        f"/staff/reports/{report.reference}/",
        {"version": 1, "case_type": "da", "urgent": "yes", "criminal": "no", "outcome": "not_proceeded",
         "not_proceeded_reason": "Testing who may triage"},
    )  # fmt: skip
    expected: dict[bool, Any] = {True: 302, False: _untriaged_expected(role, "da")}
    assert response.status_code == expected[role in DA_ENTITLED]
    report.refresh_from_db()
    assert (report.status == ReportStatus.NOT_PROCEEDED) == (role in DA_ENTITLED)
