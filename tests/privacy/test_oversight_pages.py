"""The DPO's oversight pages (issue 19 part 5): for the DPO only (every role checked), filters with the GOV.UK error
summary, each section, CSV and XLSX downloads through core.exports; viewing and downloading are audited; and the DPO
sees metadata only: no case summary, description or party name on any oversight page or export."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import RoleSurface
from tests.conftest import client_verified_as
from tests.privacy.oversight_helpers import (
    SECRET_DESCRIPTION,
    SECRET_PARTY,
    SECRET_SUMMARY,
    break_glass_at,
    read_at,
    restricted_case,
)

pytestmark = pytest.mark.django_db

READS = "/staff/privacy/oversight/"
BREAK_GLASS = "/staff/privacy/oversight/break-glass/"
ANOMALIES = "/staff/privacy/oversight/anomalies/"
PAGES = [READS, BREAK_GLASS, ANOMALIES]
DOWNLOADS = [f"/staff/privacy/oversight/{section}/download/" for section in ("reads", "break-glass", "anomalies")]
DPO_ACCESS = "/staff/privacy/oversight/dpo-access/"
NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=LONDON)
TUESDAY = dt.date(2026, 3, 3)
PERIOD = {"date_from_0": "1", "date_from_1": "3", "date_from_2": "2026", "date_to_0": "4", "date_to_1": "3"}
PERIOD["date_to_2"] = "2026"


def body(response: Any) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]
    return response.content.decode()


@pytest.fixture
def story(make_staff: Callable[..., User]) -> dict[str, Any]:
    """A burst of 10 DA reads at 10:00, a read at 23:30 and a break glass on Tuesday 3 March 2026."""
    specialist = make_staff(Role.DA_SPECIALIST)
    manager = make_staff(Role.MANAGER)
    cases = [restricted_case() for _ in range(10)]
    for index, case in enumerate(cases):
        read_at(specialist, case, dt.datetime.combine(TUESDAY, dt.time(10, index), tzinfo=LONDON))
    read_at(specialist, cases[0], dt.datetime.combine(TUESDAY, dt.time(23, 30), tzinfo=LONDON))
    break_glass_at(manager, cases[1], dt.datetime.combine(TUESDAY, dt.time(14), tzinfo=LONDON))
    read_at(manager, cases[1], dt.datetime.combine(TUESDAY, dt.time(14, 1), tzinfo=LONDON))
    return {"specialist": specialist, "manager": manager, "cases": cases}


OVERSIGHT = "Access oversight"
OVERSIGHT_PAGES = [
    RoleSurface(OVERSIGHT, name, "GET", url, "privacy.view_oversight")
    for name, url in zip(
        [
            "Who read what",
            "Break glass",
            "Anomalies",
            "Who read what (download)",
            "Break glass (download)",
            "Anomalies (download)",
        ],
        PAGES + DOWNLOADS,
        strict=True,
    )
]
GIVERS = "privacy.grant_dpo_access"
DPO_ACCESS_SURFACES = [
    RoleSurface(OVERSIGHT, "Give the DPO access", "GET", DPO_ACCESS, GIVERS),
    # 200: the empty form back with its errors
    RoleSurface(OVERSIGHT, "Give the DPO access (post, empty)", "POST", DPO_ACCESS, GIVERS),
    RoleSurface(OVERSIGHT, "End the DPO's access (post)", "POST", f"{DPO_ACCESS}{{pk}}/end/", GIVERS, ok=302),
]


@pytest.mark.parametrize("page", OVERSIGHT_PAGES, ids=[page.path for page in OVERSIGHT_PAGES])
@pytest.mark.parametrize("role", list(Role))
def test_oversight_is_for_the_dpo_only(role: str, page: RoleSurface, staff_client: Callable[..., Any]) -> None:
    response = staff_client(role).get(page.url())
    assert response.status_code == page.expected(role)
    assert page.allows(role) is (role == Role.DPO)


@pytest.mark.parametrize("role", list(Role))
def test_giving_the_dpo_access_is_for_managers_and_administrators(role: str, staff_client: Callable[..., Any]) -> None:
    client = staff_client(role)
    for page in DPO_ACCESS_SURFACES:
        response = client.get(page.url()) if page.method == "GET" else client.post(page.url(pk=1), {})
        assert response.status_code == page.expected(role), page.name
    assert DPO_ACCESS_SURFACES[0].allows(role) is (role in (Role.MANAGER, Role.ADMIN))


def test_signed_out_visitors_are_sent_to_sign_in(client: Any) -> None:
    for url in [*PAGES, *DOWNLOADS, DPO_ACCESS]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/staff/" in response["Location"]


def test_each_section_lists_what_happened(story: dict[str, Any], dpo_daniel: User) -> None:
    client = client_verified_as(dpo_daniel)
    with time_machine.travel(NOW, tick=False):
        reads = client.get(READS, PERIOD).content.decode()
        glass = client.get(BREAK_GLASS, PERIOD).content.decode()
        anomalies = client.get(ANOMALIES, PERIOD).content.decode()
    assert "of 12, newest first" in reads
    assert story["cases"][5].reference in reads
    assert "Break glass" in reads
    assert "Assigned or named on the case" not in reads
    assert "Complaint from the tenant" in glass
    assert story["manager"].username in glass
    assert "1 page read" in glass
    assert 'data-kind="burst"' in anomalies
    assert 'data-kind="out_of_hours"' in anomalies
    assert "read 10 different restricted or DA cases between 10:00 and 10:09 on Tue 3 Mar 2026" in anomalies


def test_the_dpo_sees_metadata_only_on_every_page_and_download(story: dict[str, Any], dpo_daniel: User) -> None:
    client = client_verified_as(dpo_daniel)
    texts = []
    with time_machine.travel(NOW, tick=False):
        for url in PAGES:
            texts.append(client.get(url, PERIOD).content.decode())
        for url in DOWNLOADS:
            texts.append(body(client.get(url, {**PERIOD, "format": "csv"})))
            workbook = load_workbook(io.BytesIO(client.get(url, {**PERIOD, "format": "xlsx"}).content))
            texts.append(" ".join(str(c) for row in workbook.active.iter_rows(values_only=True) for c in row))
    for text in texts:
        assert story["cases"][1].reference in text
        for secret in (SECRET_SUMMARY, SECRET_DESCRIPTION, *SECRET_PARTY):
            assert secret not in text


def test_viewing_and_downloading_are_audited(story: dict[str, Any], dpo_daniel: User) -> None:
    client = client_verified_as(dpo_daniel)
    with time_machine.travel(NOW, tick=False):
        client.get(BREAK_GLASS, {**PERIOD, "user": story["manager"].username})
        response = client.get(DOWNLOADS[0], {**PERIOD, "format": "csv"})
        lines = body(response).splitlines()
    viewed = AuditEvent.objects.get(verb=AuditVerb.OVERSIGHT_VIEWED)
    assert viewed.actor == dpo_daniel
    assert viewed.after == {
        "section": "break-glass",
        "filters": {"date_from": "2026-03-01", "date_to": "2026-03-04", "user": story["manager"].username},
    }
    exported = AuditEvent.objects.get(verb=AuditVerb.OVERSIGHT_EXPORTED)
    assert exported.after is not None
    assert exported.after["section"] == "reads"
    assert exported.after["format"] == "csv"
    assert lines[0].startswith("When (Europe/London),Username,Case,Case type,Sensitivity,How")
    assert len(lines) == 13


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"}, "Date from must be a real date"),
        ({**PERIOD, "date_to_2": "2025"}, "Date to must be the same as or after date from"),
        ({**PERIOD, "date_from_2": "2024"}, "Choose dates at most 366 days apart"),
        ({"case": "X" * 21}, "Case reference must be 20 characters or fewer"),
    ],
)
def test_bad_filters_are_shown_on_the_form_and_nothing_is_listed(
    query: dict[str, str], message: str, dpo_daniel: User
) -> None:
    client = client_verified_as(dpo_daniel)
    for url in PAGES:
        response = client.get(url, query)
        text = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in text
        assert message in text
        assert "<title>Error:" in text
        assert "<table" not in text
    assert not AuditEvent.objects.filter(verb=AuditVerb.OVERSIGHT_VIEWED).exists()
    download = client.get(DOWNLOADS[0], {**query, "format": "csv"})
    assert download.status_code == 302
    assert download["Location"].startswith(READS)


def test_the_default_period_is_the_last_30_days(story: dict[str, Any], dpo_daniel: User) -> None:
    client = client_verified_as(dpo_daniel)
    with time_machine.travel(NOW, tick=False):
        assert "3 February 2026 to 4 March 2026" in client.get(READS).content.decode()
    with time_machine.travel(NOW + dt.timedelta(days=40), tick=False):
        later = client_verified_as(dpo_daniel)  # signed in afresh (the idle timeout)
        assert "Nobody read a restricted" in later.get(READS).content.decode()


def test_reads_are_paginated_50_to_a_page(make_staff: Callable[..., User], dpo_daniel: User) -> None:
    officer = make_staff(Role.DA_SPECIALIST)
    case = restricted_case()
    for minute in range(55):
        read_at(officer, case, dt.datetime.combine(TUESDAY, dt.time(9, minute), tzinfo=LONDON))
    client = client_verified_as(dpo_daniel)
    with time_machine.travel(NOW, tick=False):
        first = client.get(READS, PERIOD).content.decode()
        second = client.get(READS, {**PERIOD, "page": "2"}).content.decode()
    assert "Showing 1 to 50 of 55" in first
    assert "Showing 51 to 55 of 55" in second


def test_the_dpo_finds_oversight_in_the_staff_menu(dpo_daniel: User, staff_client: Callable[..., Any]) -> None:
    assert 'href="/staff/privacy/oversight/"' in client_verified_as(dpo_daniel).get("/staff/").content.decode()
    manager = staff_client(Role.MANAGER).get("/staff/").content.decode()
    assert 'href="/staff/privacy/oversight/"' not in manager
    assert 'href="/staff/privacy/oversight/dpo-access/"' in manager


def test_too_many_reads_to_check_at_once_asks_for_a_shorter_period(
    story: dict[str, Any], dpo_daniel: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("saferhomes.privacy.selectors.anomalies.MAX_READS", 5)
    client = client_verified_as(dpo_daniel)
    with time_machine.travel(NOW, tick=False):
        text = client.get(ANOMALIES, PERIOD).content.decode()
        download = client.get(DOWNLOADS[2], {**PERIOD, "format": "csv"})
    assert "There is a problem" in text
    assert "More than 5 reads in this period: choose a shorter period" in text
    assert download.status_code == 302
    assert not AuditEvent.objects.filter(verb=AuditVerb.OVERSIGHT_EXPORTED).exists()
