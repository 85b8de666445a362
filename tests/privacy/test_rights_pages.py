"""The rights-request pages (issue 19 part 4): record a request (errors in the summary, answers kept), the deadline
in words, extend and decide from the request page, the search review (leave a record out, redact more), and the
export: produced by POST, downloaded by GET as a private, uncached ZIP, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
import time_machine
from django.utils import timezone

from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.privacy.models_rights import RightsRequest, RightsStatus
from tests.conftest import client_verified_as
from tests.privacy.rights_fixtures import build_world

pytestmark = pytest.mark.django_db
NEW = "/staff/privacy/requests/new/"


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


@time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False)
def test_new_request_shows_errors_and_keeps_answers_then_records(dpo_daniel) -> None:
    client = client_verified_as(dpo_daniel)
    data = {
        "kind": "access",
        "requester_name": "",
        "subject_emails": "sam@example.org",
        **_date("received_on", dt.date(2026, 9, 3)),
    }
    page = client.post(NEW, data)
    assert page.status_code == 200
    body = page.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter full name of the person asking" in body
    assert "sam@example.org" in body
    data["requester_name"] = "Sam Example"
    made = client.post(NEW, data)
    assert made.status_code == 302
    request = RightsRequest.objects.get()
    assert request.due_on == dt.date(2026, 10, 5)
    detail = client.get(made["Location"]).content.decode()
    assert "Due in 25 days (Mon 5 Oct 2026)" in detail


@time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False)
def test_unknown_register_reference_is_an_error_on_its_question(dpo_daniel) -> None:
    data = {
        "kind": "erasure",
        "requester_name": "Sam Example",
        "person_reference": "NOPE-1",
        **_date("received_on", dt.date(2026, 9, 3)),
    }
    page = client_verified_as(dpo_daniel).post(NEW, data)
    assert page.status_code == 200
    assert "No one on the housing register has the reference NOPE-1" in page.content.decode()


@time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False)
def test_extend_and_decide_from_the_request_page(dpo_daniel) -> None:
    client = client_verified_as(dpo_daniel)
    client.post(
        NEW,
        {
            "kind": "erasure",
            "requester_name": "Sam Example",
            "subject_names": "Sam Example",
            "identity_verified_how": "Passport",
            **_date("received_on", dt.date(2026, 9, 3)),
        },
    )
    rr = RightsRequest.objects.get()
    url = f"/staff/privacy/requests/{rr.pk}/"
    refused = client.post(url, {"action": "decide", "decision": "refused", "reason": ""})
    assert refused.status_code == 200
    assert "Enter the reason" in refused.content.decode()
    assert client.post(url, {"action": "extend", "reason": "Several requests at once"}).status_code == 302
    rr.refresh_from_db()
    assert rr.extended_due_on == dt.date(2026, 12, 3)
    decided = client.post(
        url,
        {
            "action": "decide",
            "decision": "partly",
            "reason": "Legal claims, Art 17(3)(e)",
            "action_taken": "Anonymise early",
        },
    )
    assert decided.status_code == 302
    rr.refresh_from_db()
    assert rr.status == RightsStatus.COMPLETED
    assert rr.action_taken == "Anonymise early"


def test_review_leaves_out_a_record_and_the_export_downloads_privately(make_staff, dpo_daniel) -> None:
    world = build_world(handler=dpo_daniel, officer=make_staff(Role.OFFICER))
    rr = world.rights_request
    client = client_verified_as(dpo_daniel)
    review = client.get(f"/staff/privacy/requests/{rr.pk}/search/")
    assert review.status_code == 200
    body = review.content.decode()
    assert "Why: matched by email address" in body
    shown = [line.split('value="')[1].split('"')[0] for line in body.splitlines() if 'name="shown"' in line]
    tenancy_key = next(key for key in shown if key.startswith("housing.tenancymember:"))
    saved = client.post(
        f"/staff/privacy/requests/{rr.pk}/search/",
        {"shown": shown, "include": [k for k in shown if k != tenancy_key], "extra_redactions": "loud again"},
    )
    assert saved.status_code == 302
    rr.refresh_from_db()
    assert rr.excluded_keys == [tenancy_key]
    assert rr.extra_redactions == ["loud again"]
    assert client.get(f"/staff/privacy/requests/{rr.pk}/export/").status_code == 404
    assert client.post(f"/staff/privacy/requests/{rr.pk}/export/").status_code == 302
    download = client.get(f"/staff/privacy/requests/{rr.pk}/export/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    assert b"".join(cast(Any, download).streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(verb=AuditVerb.SUBJECT_ACCESS_DOWNLOADED).count() == 1


def test_list_filters_and_downloads(dpo_daniel) -> None:
    client = client_verified_as(dpo_daniel)
    today = timezone.localdate()
    RightsRequest.objects.create(
        kind="access",
        requester_name="A",
        received_on=today - dt.timedelta(days=40),
        due_on=today - dt.timedelta(days=9),
    )
    RightsRequest.objects.create(
        kind="objection", requester_name="B", received_on=today, due_on=today + dt.timedelta(days=30)
    )
    overdue = client.get("/staff/privacy/requests/?show=overdue").content.decode()
    assert "Overdue by 9 days" in overdue
    assert "Objection" not in overdue.split("<tbody")[1]
    csv = client.get("/staff/privacy/requests/?show=all&format=csv")
    assert csv.status_code == 200
    assert b"".join(cast(Any, csv).streaming_content).decode("utf-8-sig").count("\n") == 3
    assert AuditEvent.objects.filter(verb=AuditVerb.RIGHTS_REQUESTS_EXPORTED).count() == 1
    assert client.get("/staff/privacy/requests/?show=all&format=xlsx").status_code == 200
