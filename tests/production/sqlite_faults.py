"""Run inside an embedded (SQLite file) installation by tests/production/test_sqlite_faults.py (issue 21 part 4):
concurrent writers, a write lock held past the timeout, a full disk and a read-only database, each met by the API and
the public form. Prints one JSON object with what every request answered and what the database holds.

`main()` expects Django set up with the installation's settings and DEBUG off (as a one-machine installation runs).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client
from django.test.utils import setup_test_environment

from saferhomes.accounts.models import User
from saferhomes.accounts.services import token_create
from saferhomes.intake.models import Report
from tests.intake.public_journey import full_answers, walk
from tests.production.nodes import PASSWORD

WRITERS, REPORTS_EACH = 6, 5
CHECK_ANSWERS = "/report/check-answers/"


def _api(token: str) -> Client:
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")


def _send(client: Client, key: str, description: str = "Shouting on the stairs") -> tuple[int, str]:
    response = client.post(
        "/api/v1/reports",
        {"type": "asb", "description": description, "anonymous": True},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    return response.status_code, response.get("Content-Type", "")


def concurrent_writers(token: str) -> dict[str, Any]:
    """WRITERS threads (each its own SQLite connection) post REPORTS_EACH reports at once, while another connection
    takes the write lock again and again: SQLite's busy timeout makes each writer wait its turn."""
    answers: Counter[int] = Counter()
    lock = threading.Lock()
    done = threading.Event()

    def writer() -> None:
        client = _api(token)
        for _ in range(REPORTS_EACH):
            status, _ = _send(client, str(uuid.uuid4()))
            with lock:
                answers[status] += 1
        connection.close()

    def hog() -> None:  # another program (a backup, the worker) holding the write lock for a moment, now and then
        raw = sqlite3.connect(connection.settings_dict["NAME"], timeout=20, isolation_level=None)
        while not done.is_set():
            raw.execute("BEGIN IMMEDIATE")
            done.wait(0.05)
            raw.execute("COMMIT")
            done.wait(0.25)
        raw.close()

    before = Report.objects.count()
    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    hogging = threading.Thread(target=hog)
    hogging.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    hogging.join()
    return {"answers": dict(answers), "stored": Report.objects.count() - before, "sent": WRITERS * REPORTS_EACH}


@contextmanager
def every_new_connection(*statements: str) -> Iterator[None]:
    """Run `statements` on every SQLite connection opened meanwhile (Django opens one per request here)."""

    def apply(sender: Any, connection: Any, **kwargs: Any) -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    connection.close()
    connection_created.connect(apply)
    try:
        yield
    finally:
        connection_created.disconnect(apply)
        connection.close()


@contextmanager
def write_lock_held(timeout: float) -> Iterator[None]:
    """Another program holds the write lock for longer than Django waits (`timeout` seconds here, 20 by default)."""
    options = connection.settings_dict["OPTIONS"]
    waited = options["timeout"]
    raw = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    raw.execute("BEGIN IMMEDIATE")
    connection.close()
    options["timeout"] = timeout
    try:
        yield
    finally:
        raw.execute("COMMIT")
        raw.close()
        connection.close()
        options["timeout"] = waited


@contextmanager
def disk_full() -> Iterator[None]:
    """The database file cannot grow: SQLite's SQLITE_FULL, as when the disk has no room left."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
    with every_new_connection(f"PRAGMA max_page_count = {pages}"):
        yield


def read_only() -> Any:
    """Writes refused: SQLITE_READONLY, as on a file system remounted read-only after an error."""
    return every_new_connection("PRAGMA query_only = ON")


def fault_then_retry(token: str, fault: Callable[[], Any]) -> dict[str, Any]:
    """During `fault`, a partner system's report and a visitor's report; after it, both sent again."""
    api, key = _api(token), str(uuid.uuid4())
    long_description = "Music and shouting until 3am. " * 130  # needs new pages: a full disk cannot take it
    visitor = Client(raise_request_exception=False)
    walk(visitor, full_answers(**{"what-happened": {"description": long_description}}), send=False)
    before = Report.objects.count()
    with fault():
        api_status, api_type = _send(api, key, long_description)
        page = visitor.post(CHECK_ANSWERS, {})
        during = {
            "api": api_status,
            "api_type": api_type,
            "form": page.status_code,
            "form_retry_link": f'href="{CHECK_ANSWERS}"' in page.content.decode(),
            "form_traceback": "Traceback" in page.content.decode(),
        }
    during["stored"] = Report.objects.count() - before
    answers_kept = long_description.strip() in visitor.get(CHECK_ANSWERS).content.decode()
    after_api = _send(api, key, long_description)[0]
    after_form = visitor.post(CHECK_ANSWERS, {})
    confirmed = (
        "RPT-" in visitor.get(after_form["Location"]).content.decode() if after_form.status_code == 302 else False
    )
    return {
        "during": during,
        "answers_kept": answers_kept,
        "after": {"api": after_api, "form": after_form.status_code, "confirmed": confirmed},
        "stored": Report.objects.count() - before,
    }


def main() -> None:
    setup_test_environment()  # the test client's host name is allowed
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")  # no free pages left over from the migrations: a full disk is full at once
    call_command("createstaff", "manager_sqlite", "--role", "manager", "--password", PASSWORD, stdout=StringIO())
    _, token = token_create(actor=None, user=User.objects.get(username="manager_sqlite"), name="faults")
    print(
        json.dumps(
            {
                "concurrent": concurrent_writers(token),
                "locked": fault_then_retry(token, lambda: write_lock_held(0.3)),
                "disk_full": fault_then_retry(token, disk_full),
                "read_only": fault_then_retry(token, read_only),
            }
        )
    )
