"""Locust users for the bounded load run (issue 21 part 3): residents reporting through the public form, residents
reading their private status pages, officers working cases over the API and officers at the staff website. Started
by `bench/load_run.py` (`make load`), which seeds the data and passes its JSON in SAFERHOMES_LOAD_SEED.

Locust plays the TLS-terminating reverse proxy a production deployment has in front of gunicorn: every request
carries X-Forwarded-Proto: https and the visitor's own address in X-Forwarded-For (the deployment trusts one proxy),
and the visitors' cookies, which are Secure, are sent back over the loopback connection.

Every request states the status it must get; anything else (a 4xx, a 5xx, a form sent back with errors, a page
without what it must show) is a failure, and the run's bar is 0 failures.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import uuid
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, task

from bench.load_seed import DESK_PASSWORD, report_answers, totp, visitor_address

SEED: dict[str, Any] = json.loads(open(os.environ["SAFERHOMES_LOAD_SEED"]).read())  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATUS_LINK = re.compile(r'id="status-link" href="([^"]+)"')
_visitors = itertools.count(1)
_cases = itertools.count(1)
_reports = itertools.count(100_000)  # each report its own address and email (10.1.134.160 onwards), never reused
_desks = itertools.count(0)
# The pause between a resident's pages, in seconds (reading, typing); SAFERHOMES_LOAD_PAUSE_MIN/_MAX change it.
READ_PAUSE = (
    float(os.environ.get("SAFERHOMES_LOAD_PAUSE_MIN", "2")),
    float(os.environ.get("SAFERHOMES_LOAD_PAUSE_MAX", "8")),
)


def behind_the_proxy(cookies: Any) -> None:
    """The proxy's side of the loopback connection: Secure cookies go back to gunicorn over plain HTTP. (requests
    copies the session's cookies into a jar of its own for each request, so a cookie policy would not reach it.)"""
    for cookie in cookies:
        cookie.secure = False


class _Visitor(HttpUser):
    """A member of the public's browser behind the proxy."""

    abstract = True

    def on_start(self) -> None:
        self.number = next(_visitors)
        origin = urlsplit(self.host or "")
        self.origin = f"https://{origin.netloc}"
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "X-Forwarded-For": visitor_address(self.number), "User-Agent": "locust"}
        )

    def pause(self) -> None:
        gevent.sleep(random.uniform(*READ_PAUSE))

    def page(self, path: str, name: str, *, expect: int = 200, must_show: str = "") -> str:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            behind_the_proxy(self.client.cookies)
            if response.status_code != expect:
                response.failure(f"GET {path}: {response.status_code}, expected {expect}")
            elif must_show and must_show not in response.text:
                response.failure(f"GET {path}: the page does not show {must_show!r}")
            return str(response.text)

    def send(self, path: str, name: str, data: dict[str, Any], page: str) -> str:
        """POST a form as a browser does (its CSRF token, Origin and Referer); returns where it redirected."""
        token = CSRF.search(page)
        body = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        headers = {"Origin": self.origin, "Referer": f"{self.origin}{path}"}
        with self.client.post(
            path, data=body, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            behind_the_proxy(self.client.cookies)
            if response.status_code != 302:
                problem = re.search(r'govuk-error-summary__list">(.{0,300})', response.text or "", re.S)
                response.failure(f"POST {path}: {response.status_code} {problem.group(1) if problem else ''}")
                return ""
            return str(response.headers["Location"])


class Reporter(_Visitor):
    """A resident reporting through the public form: every page, then the confirmation and their status page."""

    weight = 4
    wait_time = between(5, 20)

    @task
    def report(self) -> None:
        number = next(_reports)
        self.client.headers["X-Forwarded-For"] = visitor_address(number)
        answers = report_answers(number, dt.date.today() - dt.timedelta(days=1))  # noqa: DTZ011 - a date typed in
        self.page("/report/", "/report/", must_show="Start now")
        path = "/report/safety/"
        while path and path != "/report/check-answers/":
            slug = path.strip("/").split("/")[-1]
            page = self.page(path, "/report/[step]/")
            self.pause()
            path = self.send(path, "/report/[step]/", {"continue": "1"} if slug == "evidence" else answers[slug], page)
        if not path:
            return
        page = self.page(path, "/report/check-answers/", must_show="Send")
        self.pause()
        confirmation = self.send(path, "/report/check-answers/", {}, page)
        if not confirmation:
            return
        page = self.page(confirmation, "/report/confirmation/", must_show="status-link")
        link = STATUS_LINK.search(page)
        if link:
            self.pause()
            self.page(urlsplit(link.group(1)).path, "/report/status/[token]/", must_show="Report")


class StatusReader(_Visitor):
    """A resident coming back to their private status page (a seeded report), sometimes opening the diary page."""

    weight = 3
    wait_time = between(2, 8)

    @task(4)
    def status(self) -> None:
        token = random.choice(SEED["status_tokens"])
        self.page(f"/report/status/{token}/", "/report/status/[token]/", must_show="Report")

    @task(1)
    def diary(self) -> None:
        token = random.choice(SEED["status_tokens"])
        self.page(f"/report/status/{token}/diary/", "/report/status/[token]/diary/", must_show="csrfmiddlewaretoken")

    @task(1)
    def start_page(self) -> None:
        self.page("/report/", "/report/", must_show="Start now")


class Caseworker(HttpUser):
    """An officer's case management system over the API: list and read cases, open a case, triage it, start it,
    record a contact."""

    weight = 2
    wait_time = between(5, 15)

    def on_start(self) -> None:
        tokens = SEED["officer_tokens"]
        self.client.headers.update(
            {"Authorization": f"Bearer {tokens[next(_visitors) % len(tokens)]}", "X-Forwarded-Proto": "https"}
        )
        self.mine: list[str] = []

    def call(self, method: str, path: str, name: str, *, expect: int = 200, body: Any = None) -> Any:
        headers = {"Idempotency-Key": str(uuid.uuid4())} if method == "POST" else {}
        with self.client.request(method, path, json=body, headers=headers, name=name, catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{method} {path}: {response.status_code}, expected {expect}: {response.text[:300]}")
                return None
            return response.json()

    @task(6)
    def read(self) -> None:
        listed = self.call("GET", "/api/v1/cases?status=new&case_type=asb", "/api/v1/cases")
        if listed and listed.get("results"):
            case = random.choice(listed["results"])
            self.call("GET", f"/api/v1/cases/{case['reference']}", "/api/v1/cases/[reference]")

    @task(2)
    def seeded(self) -> None:
        reference = random.choice(SEED["case_references"])
        self.call("GET", f"/api/v1/cases/{reference}", "/api/v1/cases/[reference]")
        self.call("GET", f"/api/v1/cases/{reference}/contacts", "/api/v1/cases/[reference]/contacts")

    @task(1)
    def work(self) -> None:
        now = dt.datetime.now(dt.UTC)
        created = self.call(
            "POST",
            "/api/v1/cases",
            "/api/v1/cases",
            expect=201,
            body={
                "case_type": "asb",
                "summary": "Loud music from the flat above most nights",
                "received_at": (now - dt.timedelta(hours=1)).isoformat(),
                "category": "nuisance",
                "reporter": {"role": "reporter", "first_name": "Load", "last_name": f"Caller {next(_cases)}"},
            },
        )
        if not created or not created.get("case"):
            return
        case = created["case"]
        reference = case["reference"]
        triaged = self.call(
            "POST",
            f"/api/v1/cases/{reference}/triage",
            "/api/v1/cases/[reference]/triage",
            body={"priority": "normal", "urgent": False, "category": "nuisance", "version": case["version"]},
        )
        if not triaged:
            return
        opened = self.call(
            "POST",
            f"/api/v1/cases/{reference}/transition",
            "/api/v1/cases/[reference]/transition",
            body={"to_status": "open", "version": triaged["case"]["version"]},
        )
        if not opened:
            return
        self.call(
            "POST",
            f"/api/v1/cases/{reference}/contacts",
            "/api/v1/cases/[reference]/contacts",
            expect=201,
            body={
                "method": "phone",
                "occurred_at": now.isoformat(),
                "summary": "Called the reporter: agreed to keep a diary for two weeks.",
            },
        )


class DeskOfficer(_Visitor):
    """An officer at the staff website: signs in (password, then the authenticator app's code), then the dashboard,
    the case list and case pages. Each has an officer of their own (an authenticator code is accepted once)."""

    weight = 1
    wait_time = between(5, 15)

    def on_start(self) -> None:
        super().on_start()
        desks = SEED["desk_officers"]
        officer = desks[next(_desks) % len(desks)]
        page = self.page("/staff/sign-in/", "/staff/sign-in/", must_show="csrfmiddlewaretoken")
        login = {"username": officer["username"], "password": DESK_PASSWORD}
        second = self.send("/staff/sign-in/", "/staff/sign-in/", login, page)
        if not second:
            return
        path = urlsplit(second).path
        page = self.page(path, "/staff/two-factor/", must_show="otp_token")
        self.send(path, "/staff/two-factor/", {"otp_token": totp(officer["key"])}, page)

    @task(1)
    def dashboard(self) -> None:
        self.page("/staff/cases/", "/staff/cases/", must_show="govuk-heading")

    @task(2)
    def case_list(self) -> None:
        self.page("/staff/cases/all/?status=new", "/staff/cases/all/", must_show="govuk-table")

    @task(3)
    def case_page(self) -> None:
        reference = random.choice(SEED["case_references"])
        self.page(f"/staff/cases/{reference}/", "/staff/cases/[reference]/", must_show=reference)
