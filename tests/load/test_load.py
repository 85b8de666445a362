"""The bounded load run's own parts (issue 21 part 3), fast: the seed makes data the locust users can use (tokens that
authenticate, status links that open, cases the officers see), the residents' answers still get through the whole
public form, and locust's CSV files are read and tabulated right. The run itself is `make load`
(docs/reliability.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from bench import load_report, load_run
from bench.load_seed import DESK_PASSWORD, report_answers, seed, totp, visitor_address
from bench.load_smtp import SmtpSink
from django.core.mail import get_connection, send_mail
from django.test import Client
from django.utils import timezone
from django_otp import oath

from saferhomes.intake.models import Report

STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,\
Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,/report/,120,0,42,50.1,11,900.5,9000,0.4,0.0,42,48,55,60,80,140,300,610,900,900,900
POST,/api/v1/cases,30,1,95,110.2,40,1500.2,2000,0.1,0.003,95,100,120,130,200,420,1100,1500,1500,1500,1500
,Aggregated,150,1,48,62.3,11,1500.2,7600,0.5,0.003,48,55,66,70,95,210,520,1100,1500,1500,1500
"""
FAILURES = """Method,Name,Error,Occurrences
POST,/api/v1/cases,"CatchResponseError('POST /api/v1/cases: 422, expected 201')",1
"""


def test_locust_figures_are_read_and_tabulated(tmp_path: Path) -> None:
    (tmp_path / "stats.csv").write_text(STATS)
    (tmp_path / "failures.csv").write_text(FAILURES)
    rows = load_report.read_stats(tmp_path / "stats.csv")
    failures = load_report.read_failures(tmp_path / "failures.csv")

    assert [row.name for row in rows] == ["/api/v1/cases", "/report/", "Aggregated"], "the total comes last"
    figures = load_report.as_dict(rows, failures)
    assert (figures["requests"], figures["failures"]) == (150, 1)
    assert (figures["p50_ms"], figures["p95_ms"], figures["p99_ms"]) == (48, 210, 1100)
    assert figures["failure_causes"][0]["error"].startswith("CatchResponseError('POST /api/v1/cases: 422")
    table = load_report.markdown_table(rows).splitlines()
    assert table[2] == "| `POST /api/v1/cases` | 30 | 1 | 95 | 420 | 1,500 | 1,500 | 0.1 |"
    assert table[-1] == "| **All requests** | 150 | 1 | 48 | 210 | 1,100 | 1,500 | 0.5 |"
    assert load_report.read_failures(tmp_path / "missing.csv") == []
    assert load_report.total([]).requests == 0


def test_the_authenticator_code_is_rfc_6238_as_django_otp_computes_it() -> None:
    key = "3132333435363738393031323334353637383930"  # RFC 6238's SHA-1 test key, "12345678901234567890"
    assert [totp(key, at=moment) for moment in (59, 1_111_111_109)] == ["287082", "081804"]
    for moment in (0, 1_700_000_000, 2_000_000_029):
        theirs = oath.TOTP(bytes.fromhex(key))
        theirs.time = moment
        assert totp(key, at=moment) == str(theirs.token()).zfill(6)


def test_each_visitor_has_an_address_of_its_own() -> None:
    addresses = {visitor_address(number) for number in range(1, 70_000)}
    assert len(addresses) == 70_000 - 1
    assert visitor_address(65_537) == "10.1.0.1"


@pytest.mark.django_db
def test_the_seed_gives_the_users_working_tokens_links_and_cases(tmp_path: Path) -> None:
    seeded = seed(officers=1, cases=1, reports=1, desk_officers=1, out=tmp_path / "seed.json")

    assert json.loads((tmp_path / "seed.json").read_text())["status_tokens"] == seeded.status_tokens
    for token in seeded.officer_tokens:
        listed = Client().get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200
    mine = Client().get(
        f"/api/v1/cases/{seeded.case_references[0]}", headers={"Authorization": f"Bearer {seeded.officer_tokens[0]}"}
    )
    assert mine.status_code == 200
    for token in seeded.status_tokens:
        page = Client().get(f"/report/status/{token}/")
        assert page.status_code == 200
        assert b"Your report" in page.content
    desk = Client()
    officer = seeded.desk_officers[0]
    signed_in = desk.post("/staff/sign-in/", {"username": officer["username"], "password": DESK_PASSWORD})
    assert signed_in["Location"].startswith("/staff/two-factor/")
    assert desk.post("/staff/two-factor/", {"otp_token": totp(officer["key"])}).status_code == 302
    assert seeded.case_references[0].encode() in desk.get(f"/staff/cases/{seeded.case_references[0]}/").content


@pytest.mark.django_db
def test_the_residents_answers_get_through_the_whole_public_form() -> None:
    client = Client(REMOTE_ADDR="10.0.0.9")
    answers = report_answers(7, timezone.localdate() - dt.timedelta(days=1))
    path = "/report/safety/"
    while path != "/report/check-answers/":
        slug = path.strip("/").split("/")[-1]
        response = client.post(path, {"continue": "1"} if slug == "evidence" else answers[slug])
        assert response.status_code == 302, f"{slug}: {response.content[:2000]!r}"
        path = response["Location"]
    assert client.get(path).status_code == 200
    sent = client.post(path, {})
    assert sent["Location"] == "/report/confirmation/"
    assert b'id="status-link"' in client.get(sent["Location"]).content
    assert Report.objects.get().email == "r7@example.org"


def test_the_smtp_sink_takes_what_djangos_smtp_backend_sends() -> None:
    with SmtpSink() as sink:
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=sink.port, timeout=5
        )
        sent = send_mail(
            "Your report", "Line one\n.\nLine three", "a@example.org", ["b@example.org"], connection=connection
        )
        assert (sent, sink.delivered) == (1, 1)


def test_the_run_finds_errors_and_worker_boots_in_the_logs(tmp_path: Path) -> None:
    (tmp_path / "gunicorn.err").write_text(
        '[INFO] Booting worker with pid: 11\n[INFO] Booting worker with pid: 12\n{"level": "INFO", "message": "ok"}\n'
        '{"level": "ERROR", "logger": "django.request", "message": "Internal Server Error: /report/"}\n'
    )
    (tmp_path / "worker.err").write_text("Traceback (most recent call last):\n")
    assert load_run._worker_boots(tmp_path) == 2
    found = load_run._server_errors(tmp_path)
    assert [line.split(":")[0] for line in found] == ["gunicorn", "worker"]


def test_the_servers_own_times_come_from_its_access_log(tmp_path: Path) -> None:
    at = "2026-12-04T23:15:30.000Z"
    lines = [
        json.dumps({"logger": "gunicorn.access", "time": at, "status": 200, "duration_ms": ms}) for ms in range(1, 101)
    ]
    lines += [
        json.dumps({"logger": "gunicorn.access", "time": at, "status": 302, "duration_ms": 7.5}),
        "not json",
        "[]",
    ]
    lines += [json.dumps({"logger": "gunicorn.access", "time": "2026-12-04T23:15:29.999Z", "duration_ms": 9000})]
    lines += [json.dumps({"logger": "saferhomes", "message": "not a request"})]
    (tmp_path / "gunicorn.out").write_text("\n".join(lines))
    times = load_report.server_times(tmp_path / "gunicorn.out", since="2026-12-04T23:15:30.000Z")
    assert times == {"requests": 101, "p50_ms": 50, "p95_ms": 95, "p99_ms": 99, "statuses": {"200": 100, "302": 1}}
