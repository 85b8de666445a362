"""The DPO's disclosure log (issue 15 item 5: "every disclosure recorded ... in a DPO disclosure log with filters and
CSV"): for the DPO and managers only; filters by agency, case, how, lawful basis, dates (inclusive, Europe/London)
and who; bad filters are shown on the form; 50 to a page; CSV and XLSX downloads of the same search, audited; the
query count stays flat as the log grows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import Agency, AgencyKind, Disclosure, DisclosureSource, LawfulBasis
from tests.access.surfaces import RoleSurface
from tests.cases.factories import CaseFactory
from tests.conftest import client_verified_as
from tests.referrals.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LOG = "/staff/privacy/disclosures/"
DOWNLOAD = "/staff/privacy/disclosures/download/"
LONDON_MIDNIGHT_1_MARCH = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)  # GMT: London midnight is UTC midnight


def disclosure(*, case: Case | None, agency: Agency, by: User, at: dt.datetime, **fields: Any) -> Disclosure:
    fields.setdefault("source", DisclosureSource.REFERRAL)
    fields.setdefault("what", "Name, address and a summary of the incidents")
    fields.setdefault("reason", "Referred for support")
    fields.setdefault("lawful_basis", LawfulBasis.PUBLIC_TASK)
    made: Disclosure = Disclosure.objects.create(case=case, agency=agency, disclosed_by=by, disclosed_at=at, **fields)
    return made


@pytest.fixture
def log(make_staff: Callable[..., User]) -> dict[str, Any]:
    """Four disclosures: to the MARAC (a form, on 1 March at midnight), to the council (a referral, 2 March), to the
    council (a share, 31 March 23:59 BST, i.e. 31 March in London) and to the council with no case (3 March)."""
    specialist = make_staff(Role.DA_SPECIALIST)
    officer = make_staff(Role.OFFICER)
    marac = AgencyFactory.create(code="demo-marac", name="Exampleton MARAC", kind=AgencyKind.MARAC, handles_da=True)
    council = AgencyFactory.create(code="demo-council-asb", name="Exampleton Council ASB team")
    da = CaseFactory.create(reference="DA-2026-000042", case_type="da")
    asb = CaseFactory.create(reference="ASB-2026-000007")
    rows = {
        "marac": disclosure(
            case=da,
            agency=marac,
            by=specialist,
            at=LONDON_MIDNIGHT_1_MARCH,
            source=DisclosureSource.MARAC_FORM,
            lawful_basis=LawfulBasis.VITAL_INTERESTS,
            what="MARAC referral form",
        ),
        "referral": disclosure(case=asb, agency=council, by=officer, at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)),
        "share": disclosure(
            case=asb,
            agency=council,
            by=officer,
            at=dt.datetime(2026, 3, 31, 22, 59, tzinfo=dt.UTC),
            source=DisclosureSource.SHARE,
            lawful_basis=LawfulBasis.LEGITIMATE_INTERESTS,
            what='=HYPERLINK("http://example.org")',
        ),
        "no_case": disclosure(case=None, agency=council, by=officer, at=dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)),
    }
    return {"rows": rows, "marac": marac, "council": council, "specialist": specialist, "officer": officer}


LOG_PAGES = [
    RoleSurface("Data protection", "Disclosure log", "GET", LOG, "referrals.view_disclosure_log"),
    RoleSurface(
        "Data protection", "Disclosure log (CSV)", "GET", f"{DOWNLOAD}?format=csv", "referrals.view_disclosure_log"
    ),
]


@pytest.mark.parametrize("role", list(Role))
def test_the_log_is_for_the_dpo_and_managers(role: str, staff_client: Callable[..., Any]) -> None:
    client = staff_client(role)
    for page in LOG_PAGES:
        assert client.get(page.url()).status_code == page.expected(role), page.path
    assert LOG_PAGES[0].allows(role) is (role in (Role.DPO, Role.MANAGER))


def _count(page: str) -> int:
    return page.count('<tr class="govuk-table__row">') - 1  # less the heading row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, 4),
        ({"agency": "marac"}, 1),
        ({"case_reference": "asb-2026-000007"}, 2),  # any case typed
        ({"source": DisclosureSource.SHARE}, 1),
        ({"lawful_basis": LawfulBasis.VITAL_INTERESTS}, 1),
        (
            {
                "date_from_0": "1",
                "date_from_1": "3",
                "date_from_2": "2026",
                "date_to_0": "1",
                "date_to_1": "3",
                "date_to_2": "2026",
            },
            1,
        ),
        ({"date_from_0": "31", "date_from_1": "3", "date_from_2": "2026"}, 1),  # 23:59 BST on the 31st counts
        ({"date_to_0": "2", "date_to_1": "3", "date_to_2": "2026"}, 2),
        ({"disclosed_by": "DA_SPECIALIST_DEV"}, 1),
        ({"agency": "council", "source": DisclosureSource.REFERRAL}, 2),
    ],
)
def test_filters_narrow_the_log(query: dict[str, str], expected: int, log: dict[str, Any], dpo_daniel: User) -> None:
    if query.get("agency") in ("marac", "council"):
        query = {**query, "agency": str(log[query["agency"]].pk)}
    page = client_verified_as(dpo_daniel).get(LOG, query).content.decode()
    assert "govuk-error-summary" not in page
    assert _count(page) == expected


def test_a_row_says_what_to_whom_when_why_on_what_basis_and_by_whom(log: dict[str, Any], dpo_daniel: User) -> None:
    page = client_verified_as(dpo_daniel).get(LOG, {"source": DisclosureSource.MARAC_FORM}).content.decode()

    for text in (
        "1 Mar 2026",
        "Exampleton MARAC",
        "MARAC referral form",
        "DA-2026-000042",
        "Why: Referred for support",
        "Vital interests",
        "da_specialist_dev",
    ):
        assert text in page, text


@pytest.mark.parametrize(
    "query",
    [
        {"agency": "999999"},
        {"source": "carrier_pigeon"},
        {"lawful_basis": "because"},
        {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"},
        {
            "date_from_0": "5",
            "date_from_1": "3",
            "date_from_2": "2026",
            "date_to_0": "4",
            "date_to_1": "3",
            "date_to_2": "2026",
        },
        {"case_reference": "x" * 31},
    ],
)
def test_bad_filters_are_shown_on_the_form_not_a_server_error(
    query: dict[str, str], log: dict[str, Any], dpo_daniel: User
) -> None:
    response = client_verified_as(dpo_daniel).get(LOG, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "All disclosures" not in page
    assert "Matching disclosures" not in page


def test_the_log_is_paginated_50_to_a_page(log: dict[str, Any], dpo_daniel: User) -> None:
    for n in range(60):
        disclosure(
            case=None,
            agency=log["council"],
            by=log["officer"],
            at=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC) - dt.timedelta(hours=n),
        )
    client = client_verified_as(dpo_daniel)
    first = client.get(LOG).content.decode()
    second = client.get(LOG, {"page": "2"}).content.decode()

    assert "Showing 1 to 50 of 64 disclosures" in first
    assert _count(first) == 50
    assert "Showing 51 to 64 of 64 disclosures" in second
    assert _count(second) == 14


def test_the_query_count_stays_flat_as_the_log_grows(
    log: dict[str, Any], dpo_daniel: User, django_assert_max_num_queries: Any
) -> None:
    client = client_verified_as(dpo_daniel)
    client.get(LOG)  # warm the session and permission caches
    with django_assert_max_num_queries(20) as few:
        client.get(LOG)
    for _ in range(40):
        case = CaseFactory.create()
        disclosure(case=case, agency=log["council"], by=log["officer"], at=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LOG)


def _csv(response: Any) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    content: Any = response.streaming_content
    text = b"".join(content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_is_the_same_search_audited_and_safe_in_a_spreadsheet(log: dict[str, Any], dpo_daniel: User) -> None:
    response = client_verified_as(dpo_daniel).get(
        DOWNLOAD, {"format": "csv", "agency": str(log["council"].pk), "page": "3"}
    )

    rows = _csv(response)
    assert response["Content-Disposition"].startswith('attachment; filename="disclosure-log-')
    assert rows[0][:4] == ["When (Europe/London)", "Case", "Disclosed to", "Agency code"]
    assert len(rows) == 4  # heading and the council's three
    share = next(row for row in rows if row[4] == "Case shared with a partner")
    assert share[0] == "2026-03-31 23:59"  # London time
    assert share[5] == '\'=HYPERLINK("http://example.org")'  # never a formula
    assert {row[1] for row in rows[1:]} == {"ASB-2026-000007", ""}
    exported = AuditEvent.objects.get(verb=AuditVerb.DISCLOSURE_LOG_EXPORTED)
    assert exported.actor_id == dpo_daniel.pk
    assert exported.after == {"filters": {"agency": "demo-council-asb"}, "format": "csv", "rows": 3}


def test_the_xlsx_holds_the_same_rows(log: dict[str, Any], dpo_daniel: User) -> None:
    response = client_verified_as(dpo_daniel).get(DOWNLOAD, {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.max_row == 5
    assert sheet["C1"].value == "Disclosed to"


def test_a_download_with_bad_filters_goes_back_to_the_form(log: dict[str, Any], dpo_daniel: User) -> None:
    response = client_verified_as(dpo_daniel).get(DOWNLOAD, {"format": "csv", "source": "nonsense"})

    assert response.status_code == 302
    assert response["Location"] == f"{LOG}?source=nonsense"
    assert not AuditEvent.objects.filter(verb=AuditVerb.DISCLOSURE_LOG_EXPORTED).exists()
