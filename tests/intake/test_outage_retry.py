"""The public form through a database outage (issue 21 part 4): the visitor gets the friendly 503 page with a way
back to their report, never a stack trace; their answers are still there when the database is back, and sending
again makes one report. (The real PostgreSQL restart is tests/production/test_database_restart.py.)"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.contrib.sessions.models import Session
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, IntegrityError, InternalError, OperationalError, connection
from django.test import Client
from psycopg import errors
from pytest_django.fixtures import Settings

from saferhomes.core.retry_pages import retry_url_for
from saferhomes.core.views import is_outage
from saferhomes.intake.models import Report, ReportAttachment
from tests.cases.record_helpers import SAMPLES, upload
from tests.intake.public_journey import full_answers, walk

pytestmark = pytest.mark.django_db

CHECK_ANSWERS = "/report/check-answers/"


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@contextmanager
def database_down() -> Iterator[None]:
    """Every new query fails as it does while PostgreSQL restarts."""
    error = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with mock.patch.object(connection, "ensure_connection", side_effect=error):
        yield


def _assert_friendly_retry_page(response: object) -> str:
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert response["Retry-After"] == "30"  # type: ignore[index]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "Sorry, the service is unavailable" in html
    assert "the answers you have already given are kept" in html
    assert f'href="{CHECK_ANSWERS}"' in html  # "Go back to your report"
    assert "999" in html
    assert "Traceback" not in html
    assert "OperationalError" not in html
    return html


def test_sending_during_an_outage_shows_the_retry_page_and_sending_again_afterwards_makes_one_report() -> None:
    client = Client(raise_request_exception=False)
    walk(client, full_answers(), send=False)
    with database_down():
        _assert_friendly_retry_page(client.post(CHECK_ANSWERS, {}))
        _assert_friendly_retry_page(client.get(CHECK_ANSWERS))  # "Go back to your report" while still down
    assert Report.objects.count() == 0

    page = client.get(CHECK_ANSWERS)  # the database is back: the answers are all there
    assert page.status_code == 200
    assert "Music until 3am every night" in page.content.decode()
    sent = client.post(CHECK_ANSWERS, {})
    assert sent.status_code == 302
    assert Report.objects.count() == 1
    assert Report.objects.get().reference in client.get(sent["Location"]).content.decode()


def test_a_page_of_the_form_during_an_outage_links_back_to_the_report_not_to_the_start() -> None:
    client = Client(raise_request_exception=False)
    walk(client, full_answers(), send=False)
    with database_down():
        _assert_friendly_retry_page(client.post("/report/what-happened/", {"description": "Louder tonight"}))


def test_outside_a_form_the_outage_page_offers_no_report_to_go_back_to() -> None:
    with database_down():
        response = Client(raise_request_exception=False).get("/accessibility/")
    assert response.status_code in (200, 503)  # a page that needs no database still answers
    assert retry_url_for("/accessibility/") is None
    assert retry_url_for("/report/where/") == CHECK_ANSWERS


def _wrapped(error_class: type[Exception], cause: psycopg.Error) -> Exception:
    """A Django database error wrapping psycopg's, as Django raises it."""
    error = error_class(str(cause))
    error.__cause__ = cause
    return error


def test_a_read_only_database_is_an_outage_and_a_broken_query_is_not() -> None:
    read_only = errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction")
    assert is_outage(_wrapped(InternalError, read_only))  # PostgreSQL after a failover, or made read-only
    assert is_outage(OperationalError("database or disk is full"))  # SQLite (and PostgreSQL's 53100) disk full
    assert is_outage(OperationalError("attempt to write a readonly database"))  # SQLite on a read-only mount
    assert not is_outage(_wrapped(IntegrityError, errors.UniqueViolation("duplicate key value")))
    assert not is_outage(_wrapped(InternalError, errors.InternalError_("internal error")))
    assert not is_outage(RuntimeError("a fault in our code"))


def test_an_answer_whose_session_write_meets_the_outage_goes_on_and_a_really_deleted_session_is_still_refused() -> None:
    client = Client(raise_request_exception=False)
    walk(client, full_answers(), send=False)
    lost = OperationalError("consuming input failed: server closed the connection unexpectedly")
    with mock.patch.object(Session, "save", side_effect=lost):  # Django calls this "deleted by a concurrent request"
        response = client.post("/report/what-happened/", {"description": "Louder tonight"})
    assert response.status_code == 302  # not a 400 or 500: check-your-answers asks again for what was not kept

    gone = DatabaseError("Forced update did not affect any rows.")  # signed out in another tab: not an outage
    with mock.patch.object(Session, "save", side_effect=gone):
        response = client.post("/report/what-happened/", {"description": "Louder tonight"})
    assert response.status_code != 302, "a session really deleted meanwhile is still Django's SessionInterrupted"


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS], ids=["disk-full", "read-only-disk"])
def test_an_evidence_file_on_a_full_or_read_only_disk_is_the_friendly_503_and_stores_nothing(error: int) -> None:
    client = Client(raise_request_exception=False)
    walk(client, full_answers(), send=False)
    name, content = SAMPLES["image/jpeg"]
    with mock.patch.object(FileSystemStorage, "_save", side_effect=OSError(error, os.strerror(error))):
        response = client.post("/report/evidence/", {"upload": "1", "file": upload(name, content)})
    _assert_friendly_retry_page(response)
    assert not ReportAttachment.objects.exists()
    assert is_outage(OSError(error, ""))
    assert not is_outage(OSError(errno.ENOENT, "No such file"))
