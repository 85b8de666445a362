"""The DPO's audit search page and CSV download: who may see them, filters, errors, paging and cost."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import cast

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from saferhomes.accounts.roles import Role
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import RoleSurface

pytestmark = pytest.mark.django_db

SEARCH_URL = "/staff/privacy/audit/"
DOWNLOAD_URL = "/staff/privacy/audit/download/"


@pytest.fixture
def dpo(staff_client) -> Client:
    return staff_client(Role.DPO)


def _rows(response) -> int:
    return response.content.decode().count('<tr class="govuk-table__row">') - 1  # minus the header row


# --- who may see it --------------------------------------------------------------------------------------------


AUDIT_PAGES = [
    RoleSurface("Data protection", "Audit search", "GET", SEARCH_URL, "core.search_auditevent"),
    RoleSurface("Data protection", "Audit search (download)", "GET", DOWNLOAD_URL, "core.search_auditevent"),
]


@pytest.mark.parametrize("page", AUDIT_PAGES, ids=[page.path for page in AUDIT_PAGES])
@pytest.mark.parametrize("role", Role.values)
def test_only_the_dpo_role_reaches_the_audit_search_and_download(staff_client, role, page) -> None:
    response = staff_client(role).get(page.url())
    assert response.status_code == page.expected(role)
    assert page.allows(role) is (role == Role.DPO)
    if not page.allows(role):
        assert b"You cannot see this page" in response.content
        assert not AuditEvent.objects.filter(verb="audit.searched").exists()


@pytest.mark.parametrize("url", [SEARCH_URL, DOWNLOAD_URL])
def test_anonymous_visitor_is_sent_to_sign_in(url) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/sign-in/?next={url}"


def test_the_audit_search_url_is_named_privacy_audit_search() -> None:
    from django.urls import reverse

    assert reverse("privacy:audit-search") == SEARCH_URL


# --- results -------------------------------------------------------------------------------------------------------


def test_results_show_when_in_london_time_who_what_record_reason_and_details(dpo, officer_olivia) -> None:
    with time_machine.travel(datetime(2026, 7, 1, 12, 0, 5, tzinfo=UTC), tick=False):
        audit(
            actor=officer_olivia,
            verb=AuditVerb.CASE_CLOSED,
            object_type="cases.case",
            object_id=17,
            object_label="ASB-2026-0017",
            before={"status": "open", "note": "<script>alert(1)</script>"},
            after={"status": "closed"},
            reason="Resolved by mediation",
        )
    page = dpo.get(SEARCH_URL).content.decode()
    flat = " ".join(page.split())
    assert 'datetime="2026-07-01T13:00:05+01:00"' in page  # shown in London time (BST), not UTC
    assert "1 Jul 2026 <br> 13:00:05" in flat
    assert "officer_olivia" in page
    assert "Case closed" in page  # words first; the code is in the details
    assert "<code>case.closed</code>" in page
    assert "Case 17" in flat  # no such case here: named by its id
    assert "<code>cases.case 17</code>" in page
    assert "ASB-2026-0017" in page
    assert "Resolved by mediation" in page
    assert '<details class="govuk-details' in page
    assert "&quot;status&quot;: &quot;open&quot;" in page  # pretty JSON, escaped
    assert "<script>alert(1)</script>" not in page


def test_results_are_newest_first_fifty_to_a_page_with_govuk_pagination(dpo, officer_olivia) -> None:
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(actor=officer_olivia, actor_label="officer_olivia", verb="thing.done", reason=f"n{i}")
            for i in range(120)
        ]
    )
    first = dpo.get(SEARCH_URL)
    assert _rows(first) == 50
    body = first.content.decode()
    assert "Showing 1 to 50 of 120 events" in body
    assert body.index(">n119<") < body.index(">n118<")  # newest first
    assert 'class="govuk-pagination"' in body
    assert 'aria-current="page">1<' in body
    assert 'rel="next"' in body
    assert 'rel="prev"' not in body
    last = dpo.get(SEARCH_URL, {"page": 3})
    # The first page view is now in the trail too: 121 events.
    assert _rows(last) == 21
    assert "Showing 101 to 121 of 121 events" in last.content.decode()
    assert 'rel="prev"' in last.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", ""])
def test_a_bad_page_number_never_breaks_the_page(dpo, officer_olivia, page) -> None:
    for _ in range(3):
        audit(actor=officer_olivia, verb=cast(AuditVerb, "thing.done"))
    response = dpo.get(SEARCH_URL, {"page": page})
    assert response.status_code == 200
    assert _rows(response) == 3


def test_filters_narrow_results_and_are_kept_in_the_form(dpo, officer_olivia, admin_ada) -> None:
    audit(actor=officer_olivia, verb=AuditVerb.CASE_CLOSED, reason="Tenant moved away")
    audit(actor=admin_ada, verb=cast(AuditVerb, "case.opened"), reason="New report")
    response = dpo.get(SEARCH_URL, {"actor": "officer_olivia", "verb": "case.closed", "text": "moved"})
    body = response.content.decode()
    assert _rows(response) == 1
    assert "Tenant moved away" in body
    assert "New report" not in body
    assert 'value="officer_olivia"' in body
    assert '<option value="case.closed" selected>' in body
    assert 'value="moved"' in body
    assert "Matching events" in body


def test_no_matches_says_so(dpo) -> None:
    response = dpo.get(SEARCH_URL, {"actor": "nobody_at_all"})
    assert "No events match your search." in response.content.decode()


def test_searching_is_itself_audited_with_the_filters(dpo) -> None:
    dpo.get(
        SEARCH_URL,
        {"verb": "", "actor": "officer_olivia", "date_from_0": "1", "date_from_1": "3", "date_from_2": "2026"},
    )
    searched = AuditEvent.objects.get(verb="audit.searched")
    assert searched.actor_label == "dpo_daniel"
    assert searched.after == {"filters": {"actor": "officer_olivia", "date_from": "2026-03-01"}, "output": "page"}
    assert searched.ip_address == "127.0.0.1"


def test_query_count_does_not_grow_with_the_number_of_events(dpo, officer_olivia) -> None:
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert dpo.get(SEARCH_URL).status_code == 200
        return len(captured)

    audit(actor=officer_olivia, verb=AuditVerb.CASE_CLOSED, before={"a": 1}, after={"a": 2})
    few = queries_for_page()
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor=officer_olivia, actor_label="officer_olivia", verb=f"verb.{i % 7}") for i in range(80)]
    )
    many = queries_for_page()
    assert many == few
    assert many <= 15


# --- bad input -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message", "anchor"),
    [
        (
            {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"},
            "Date from must be a real date",
            "id_date_from_0",
        ),
        (
            {"date_from_0": "x", "date_from_1": "2", "date_from_2": "2026"},
            "Date from must be a real date",
            "id_date_from_0",
        ),
        (
            {"date_from_0": "1", "date_from_1": "2", "date_from_2": "26"},
            "Date from must be a real date",
            "id_date_from_0",
        ),
        (
            {"date_from_0": "1", "date_from_1": "", "date_from_2": ""},
            "Date from must include a month and year",
            "id_date_from_1",
        ),
        ({"date_to_0": "", "date_to_1": "4", "date_to_2": "2026"}, "Date to must include a day", "id_date_to_0"),
        (
            {
                "date_from_0": "2",
                "date_from_1": "4",
                "date_from_2": "2026",
                "date_to_0": "1",
                "date_to_1": "4",
                "date_to_2": "2026",
            },
            "Date to must be the same as or after date from",
            "id_date_to_0",
        ),
        ({"verb": "no.such.verb"}, "Select what happened from the list", "id_verb"),
    ],
)
def test_bad_filters_show_an_error_summary_linked_to_the_field_and_keep_the_input(dpo, params, message, anchor) -> None:
    response = dpo.get(SEARCH_URL, params)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<div class="govuk-error-summary"' in body
    assert f'<a href="#{anchor}">{message}</a>' in body
    assert f'id="{anchor}"' in body
    assert 'class="govuk-error-message"' in body
    assert "<title>Error:" in " ".join(body.split())
    for name, value in params.items():
        if value and name != "verb":  # a select can only keep values that are among its options
            assert f'value="{value}"' in body
    assert "Showing" not in body
    assert not AuditEvent.objects.filter(verb="audit.searched").exists()


def test_same_day_date_range_is_allowed(dpo) -> None:
    day = {"0": "1", "1": "4", "2": "2026"}
    params = {f"date_from_{k}": v for k, v in day.items()} | {f"date_to_{k}": v for k, v in day.items()}
    assert 'class="govuk-error-summary"' not in dpo.get(SEARCH_URL, params).content.decode()


# --- CSV -----------------------------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_download_streams_the_current_search_as_csv_and_is_audited(dpo, officer_olivia, admin_ada) -> None:
    with time_machine.travel(datetime(2026, 1, 15, 9, 30, tzinfo=UTC), tick=False):
        audit(
            actor=officer_olivia,
            verb=AuditVerb.CASE_CLOSED,
            object_type="cases.case",
            object_id=3,
            after={"s": "closed"},
        )
    audit(actor=admin_ada, verb=cast(AuditVerb, "case.opened"), reason="New report")
    response = dpo.get(DOWNLOAD_URL, {"actor": "officer_olivia"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    header, *rows = _csv(response)
    assert header[:3] == ["When (Europe/London)", "Username", "What happened"]
    assert rows == [
        [
            "2026-01-15 09:30:00",
            "officer_olivia",
            "Case closed",
            "case.closed",
            "cases.case",
            "3",
            "Case 3",
            "",
            "",
            "",
            "",
            '{"s": "closed"}',
        ]
    ]
    searched = AuditEvent.objects.get(verb="audit.searched")
    assert searched.after == {"filters": {"actor": "officer_olivia"}, "output": "csv"}


def test_download_neutralises_spreadsheet_formulas(dpo, officer_olivia) -> None:
    audit(actor=officer_olivia, verb=cast(AuditVerb, "case.noted"), reason='=HYPERLINK("http://evil.example")')
    (_header, row) = _csv(dpo.get(DOWNLOAD_URL))
    assert row[8] == '\'=HYPERLINK("http://evil.example")'


def test_download_with_bad_filters_goes_back_to_the_form_with_them(dpo) -> None:
    response = dpo.get(DOWNLOAD_URL, {"date_from_0": "99", "date_from_1": "1", "date_from_2": "2026", "page": "2"})
    assert response.status_code == 302
    assert response["Location"] == f"{SEARCH_URL}?date_from_0=99&date_from_1=1&date_from_2=2026"
    assert not AuditEvent.objects.filter(verb="audit.searched").exists()


def test_page_links_to_the_download_of_the_same_filters(dpo, officer_olivia) -> None:
    audit(actor=officer_olivia, verb=AuditVerb.CASE_CLOSED)
    body = dpo.get(SEARCH_URL, {"actor": "officer_olivia", "page": "1"}).content.decode()
    assert f'href="{DOWNLOAD_URL}?actor=officer_olivia"' in body
