"""PostgreSQL restarted while reports are sent (issue 21 part 4), on a throwaway cluster of the test's own (never the
machine's shared server): a gunicorn server and a worker in production settings; visitors filling in the public
form and a partner system posting to the API, non-stop, while the server is stopped cleanly (a service restart),
crashed (stop -m immediate: recovery from the WAL) and made read-only (as after a failover, or a full disk).

Every report that got a confirmation page or a 201 is in the database afterwards, each exactly once; every visitor
who met the outage got the friendly page with the way back to their answers, never a stack trace or a 500; and the
worker, never restarted, reconnects by itself and runs tasks again. `make faults` runs it and prints the figures."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from faker import Faker
from scripts.throwaway_postgres import throwaway_cluster

from tests.production.faults import (
    CHECK_ANSWERS,
    REFERENCE,
    Browser,
    ClusterDeployment,
    Tally,
    answers_for,
    deployment_on,
    keep_reporting,
    report_through_the_api,
    report_through_the_form,
)
from tests.production.nodes import http_request

pytestmark = [pytest.mark.production, pytest.mark.faults]

VISITORS, PARTNER_SYSTEMS = 3, 2
REPORTS_BETWEEN_FAULTS = 4
DOWN_FOR_SECONDS = 2.0


def test_reports_sent_while_postgresql_restarts_are_all_kept_and_nobody_sees_a_stack_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    phases: dict[str, float] = {}

    def phase(name: str) -> None:
        phases[name] = round(time.monotonic() - started - sum(phases.values()), 1)

    with throwaway_cluster() as cluster, deployment_on(cluster, tmp_path) as live:
        phase("installed")
        token = live.token
        worker = live.start("worker", "--interval", "0.2")  # starts while gunicorn does
        port = live.serve(workers=2)
        live.wait_for("the server ready", lambda: http_request(port, "GET", "/readyz")[0] == 200)

        tally, stop, fake = Tally(), threading.Event(), Faker("en_GB")
        senders: list[Callable[[], str | None]] = [
            *(lambda: report_through_the_form(port, tally, fake) for _ in range(VISITORS)),
            *(lambda: report_through_the_api(port, token, tally) for _ in range(PARTNER_SYSTEMS)),
        ]
        threads = [threading.Thread(target=keep_reporting, args=(stop, send), daemon=True) for send in senders]
        phase("serving")
        for thread in threads:
            thread.start()

        def more_reports() -> None:
            target = len(tally.acknowledged) + REPORTS_BETWEEN_FAULTS
            live.wait_for(f"{target} reports", lambda: len(tally.acknowledged) >= target or tally.unexpected)

        more_reports()
        phase("reports")
        cluster.restart(mode="fast", down_for=DOWN_FOR_SECONDS)  # what `systemctl restart postgresql` does
        phase("restart")
        more_reports()
        phase("reports after")
        cluster.restart(mode="immediate", down_for=DOWN_FOR_SECONDS)  # a crash: recovery from the WAL
        phase("crash")
        more_reports()
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        phase("reports after crash")
        assert not any(thread.is_alive() for thread in threads), "a client was still sending two minutes later"

        read_only = _a_read_only_database_is_a_friendly_503_and_the_answers_wait(live, port, token, tally, fake)
        phase("read-only")
        kept = {row[0] for row in live.sql("SELECT reference FROM intake_report")}
        _the_worker_reconnected_by_itself(live, worker, port)
        phase("worker")
        log = live.log_text()

    assert tally.unexpected == [], "every answer was a success or the friendly 503"
    assert tally.outages() > 0, "the clients really met the outage"
    assert tally.retry_pages > 0
    assert set(tally.acknowledged) <= kept, f"reports lost: {sorted(set(tally.acknowledged) - kept)}"
    assert len(kept) == len(tally.acknowledged) == len(set(tally.acknowledged)), "each report stored exactly once"
    assert "Traceback" not in "".join(tally.unexpected)
    assert "Lost the database" in log
    assert "The database is back" in log
    with capsys.disabled():
        print(
            f"\nFaults (PostgreSQL restarted twice, then read-only): {len(kept)} reports acknowledged, "
            f"{len(set(tally.acknowledged) - kept)} lost, {len(kept) - len(set(tally.acknowledged))} extra; "
            f"answers {dict(sorted(tally.statuses.items()))}; {tally.retry_pages} friendly retry pages; "
            f"{tally.dropped} dropped connections; read-only: {read_only}; "
            f"{time.monotonic() - started:.0f}s ({phases})"
        )


def _a_read_only_database_is_a_friendly_503_and_the_answers_wait(
    live: ClusterDeployment, port: int, token: str, tally: Tally, fake: Faker
) -> str:
    """PostgreSQL refusing every write (a failover onto a replica, or an operator protecting a full disk): the form
    answers with the friendly 503 and keeps the answers; once writes are back, sending again makes the report."""
    browser, answers = Browser(port, tally), answers_for(fake)
    bearer = {"Authorization": f"Bearer {token}"}
    path = "/report/safety/"
    while path != CHECK_ANSWERS:  # answer every page (no outage now)
        status, location, body = browser.request("GET", path)
        slug = path.strip("/").split("/")[-1]
        data = {"continue": "1"} if slug == "evidence" else answers.get(slug, {})
        status, location, body = browser.request("POST", path, data)
        assert status == 302, (path, status, body[:300])
        path = location
    browser.request("GET", CHECK_ANSWERS)
    live.sql("ALTER SYSTEM SET default_transaction_read_only = on")
    live.sql("SELECT pg_reload_conf()")
    try:
        live.wait_for("read-only", lambda: live.sql("SHOW default_transaction_read_only") == [("on",)])
        time.sleep(0.5)  # open connections read the new setting before their next command
        status, _, body = browser.request("POST", CHECK_ANSWERS, {})
        assert status == 503, body[:500]
        assert f'href="{CHECK_ANSWERS}"' in body
        assert "Traceback" not in body
        report = {"type": "asb", "description": "Shouting on the stairs", "anonymous": True}
        api, problem = http_request(port, "POST", "/api/v1/reports", body=report, headers=bearer)
        assert api == 503, problem[:500]  # problem+json: the partner system tries again later
    finally:
        live.sql("ALTER SYSTEM RESET default_transaction_read_only")
        live.sql("SELECT pg_reload_conf()")
    live.wait_for("writable", lambda: live.sql("SHOW default_transaction_read_only") == [("off",)])
    time.sleep(0.5)
    status, _, body = browser.request("GET", CHECK_ANSWERS)
    assert status == 200
    assert answers["what-happened"]["description"] in body, "the answers waited in the session"
    status, location, _ = browser.request("POST", CHECK_ANSWERS, {})
    assert status == 302
    status, _, body = browser.request("GET", location)
    found = REFERENCE.search(body)
    assert found is not None, body[:500]
    tally.acknowledge(found.group(0))
    return "503 with the way back, then sent"


def _the_worker_reconnected_by_itself(live: ClusterDeployment, worker: subprocess.Popen[str], port: int) -> None:
    assert worker.poll() is None, "the worker is still running: nobody restarted it"
    task_id = live.python(
        "from tests.production.slow_tasks import slow_then_mark; print(slow_then_mark.enqueue(0, 'after').id)"
    )

    def status() -> str:
        return str(live.sql("SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", task_id)[0][0])

    live.wait_for("the worker to run a task after the restarts", lambda: status() == "SUCCESSFUL")
    live.wait_for("/readyz to see the worker again", lambda: http_request(port, "GET", "/readyz")[0] == 200)
