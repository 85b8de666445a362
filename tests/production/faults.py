"""The fault tests' clients and installation (issue 21 part 4): a production deployment on a throwaway PostgreSQL
cluster of its own (scripts/throwaway_postgres.py: restarting the machine's shared server would break everyone
else's tests), and reporters who behave as people and partner systems do during an outage — a person waits and
presses the button again, a partner system resends with the same Idempotency-Key — recording every answer they get.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import secrets
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from faker import Faker
from scripts.throwaway_postgres import Cluster

from tests.production.nodes import CLI, PASSWORD, ROOT, Deployment

CHECK_ANSWERS = "/report/check-answers/"
REFERENCE = re.compile(r"RPT-\d{4}-\d{6}")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAUSE = 0.2  # how long a client waits before trying again after a 503 or a dropped connection
# Information pages (no question): Continue, or carry on with no files.
NO_QUESTION = {"call-999": {}, "domestic-abuse": {}, "evidence": {"continue": "1"}}


@dataclass
class ClusterDeployment(Deployment):
    """A production deployment whose database lives on a throwaway cluster; processes log to files (a full pipe
    would stall them)."""

    cluster: Cluster | None = None
    logs: list[Path] = field(default_factory=list)
    token: str = ""  # a manager's API token

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        assert self.cluster is not None
        return self.cluster.sql(self.database, query, *params)

    def start(self, *args: str, **extra_env: str) -> subprocess.Popen[str]:
        log = self.var_dir.parent / f"{args[0]}-{len(self.processes)}.log"
        self.logs.append(log)
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [*CLI, *args],
            env={**self.env, **extra_env},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def log_text(self) -> str:
        return "\n".join(log.read_text(errors="replace") for log in self.logs if log.exists())


# A manager with an API token, made in one Django start-up (createstaff and createtoken would take two).
MANAGER_WITH_TOKEN = f"""
from io import StringIO
from django.core.management import call_command
call_command("createstaff", "manager_faults", "--role", "manager", "--password", "{PASSWORD}", stdout=StringIO())
out = StringIO()
call_command("createtoken", "manager_faults", stdout=out)
print(out.getvalue().strip().splitlines()[-1])
"""


@contextmanager
def deployment_on(cluster: Cluster, tmp_path: Path, **settings: str) -> Iterator[ClusterDeployment]:
    """Like tests.production.nodes.deployment, on `cluster`: migrated, static files collected, a manager with an API
    token; X-Forwarded-For believed from one proxy, so each simulated visitor has an address of their own (the
    public form's limits are per address)."""
    database = "saferhomes_faults"
    cluster.create_database(database)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SAFERHOMES_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="saferhomes.config.settings",
        SAFERHOMES_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=cluster.url(database),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="9",
        SAFERHOMES_BASE_URL="https://casework.calico.example",
        SAFERHOMES_PUBLIC_URL="https://report.calico.example",
        SECURE_SSL_REDIRECT="false",
        SAFERHOMES_VAR_DIR=str(tmp_path / "var"),
        SAFERHOMES_STATIC_ROOT=str(tmp_path / "static"),
        SAFERHOMES_STATIC_COMPRESS="false",
        SAFERHOMES_TRUSTED_PROXY_COUNT="1",
        PYTHONPATH=str(ROOT),
        **settings,
    )
    live = ClusterDeployment(database=database, var_dir=tmp_path / "var", env=env, cluster=cluster)
    try:
        # collectstatic needs no database: it runs while the database is migrated (each is a Django start-up).
        static = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [*CLI, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        live.run("migrate", "--noinput", "-v", "0")
        assert static.wait(timeout=600) == 0, "collectstatic failed"
        live.token = live.python(MANAGER_WITH_TOKEN)
        yield live
    finally:
        for process in live.processes:
            live.stop(process)


# What the clients saw ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Every answer the clients got, shared by their threads."""

    acknowledged: list[str] = field(default_factory=list)  # references shown on a confirmation page or in a 201
    statuses: Counter[str] = field(default_factory=Counter)  # "form 503", "api 201", ...
    retry_pages: int = 0  # 503 pages on the form that offered the way back to the report
    dropped: int = 0  # connections refused or cut (the web server itself should never do this)
    unexpected: list[str] = field(default_factory=list)  # anything that is not a success or a friendly 503
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, status: int) -> None:
        with self.lock:
            self.statuses[f"{kind} {status}"] += 1

    def fault(self, what: str) -> None:
        with self.lock:
            self.unexpected.append(what[:500])

    def acknowledge(self, reference: str) -> None:
        with self.lock:
            self.acknowledged.append(reference)

    def outages(self) -> int:
        return sum(count for key, count in self.statuses.items() if key.endswith(" 503"))


class Browser:
    """One visitor's browser: cookies (Secure ones too: the test talks plain HTTP on loopback behind a pretend TLS
    proxy), the last form's CSRF token, and an address of its own."""

    def __init__(self, port: int, tally: Tally) -> None:
        self.port, self.tally = port, tally
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.ip = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> tuple[int, str, str]:
        """(status, Location, body); a dropped connection is counted and tried again after a pause."""
        headers = {"Host": "127.0.0.1", "X-Forwarded-For": self.ip}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.csrf}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                text = response.read().decode(errors="replace")
                for header in response.msg.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(header).items():
                        self.cookies[name] = morsel.value
                if token := CSRF.search(text):
                    self.csrf = token.group(1)
                return response.status, response.getheader("Location") or "", text
            except OSError:
                with self.tally.lock:
                    self.tally.dropped += 1
                time.sleep(PAUSE)
            finally:
                connection.close()

    def friendly_outage(self, body: str, *, path: str) -> None:
        """A 503 on the form: the page must be the friendly one, with the way back to the report."""
        if "Sorry, the service is unavailable" not in body or "Traceback" in body:
            self.tally.fault(f"503 on {path} was not the friendly page: {body[:300]}")
        elif f'href="{CHECK_ANSWERS}"' in body and "answers you have already given are kept" in body:
            with self.tally.lock:
                self.tally.retry_pages += 1
        else:
            self.tally.fault(f"503 on {path} offered no way back to the report")
        time.sleep(PAUSE)


def answers_for(fake: Faker) -> dict[str, dict[str, Any]]:
    """A named noise report with a synthetic person (Faker en_GB), as the public form's tests answer it."""
    from tests.intake.public_journey import full_answers

    answers = full_answers()
    answers["what-happened"] = {"description": f"Music until 3am again ({fake.uuid4()})"}
    answers["your-details"] = {
        **answers["your-details"],
        "first_name": fake.first_name(),
        "last_name": fake.last_name(),
        "email": f"{uuid.uuid4().hex[:12]}@example.org",
    }
    return answers


def report_through_the_form(port: int, tally: Tally, fake: Faker) -> str | None:
    """One visitor sends one report, whatever happens on the way: a 503 is read (it must be the friendly page), and
    they try the same page again; they stop at the confirmation page, whose reference they keep."""
    browser, answers = Browser(port, tally), answers_for(fake)
    path = "/report/safety/"
    for _ in range(400):
        status, location, body = browser.request("GET", path)
        tally.note("form", status)
        if status == 503:
            browser.friendly_outage(body, path=path)
            continue
        if status == 302:
            path = location
            continue
        if status != 200:
            tally.fault(f"GET {path}: {status} {body[:300]}")
            return None
        slug = urlsplit(path).path.strip("/").split("/")[-1]
        if slug == "confirmation":
            found = REFERENCE.search(body)
            if found is None:
                tally.fault(f"a confirmation page without a reference: {body[:300]}")
                return None
            tally.acknowledge(found.group(0))
            return found.group(0)
        if slug == "report":  # the start page: the session lost its place (an outage as the answer was saved)
            path = CHECK_ANSWERS
            continue
        data = {} if slug == "check-answers" else NO_QUESTION.get(slug, answers.get(slug))
        if data is None:
            tally.fault(f"an unexpected page {path}")
            return None
        status, location, body = browser.request("POST", path, data)
        tally.note("form", status)
        if status == 503:
            browser.friendly_outage(body, path=path)
        elif status == 302:
            path = location
        else:
            tally.fault(f"POST {path}: {status} {body[:300]}")
            return None
    tally.fault("a visitor gave up after 400 pages")
    return None


def report_through_the_api(port: int, token: str, tally: Tally) -> str | None:
    """A partner system sends one report, resending with the same Idempotency-Key until it gets its 201."""
    key = str(uuid.uuid4())
    payload = json.dumps({"type": "asb", "description": f"Shouting on the stairs ({key[:8]})", "anonymous": True})
    headers = {
        "Host": "127.0.0.1",
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": key,
    }
    for _ in range(400):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("POST", "/api/v1/reports", body=payload, headers=headers)
            response = connection.getresponse()
            status, body = response.status, response.read().decode(errors="replace")
            content_type = response.getheader("Content-Type") or ""
        except OSError:
            with tally.lock:
                tally.dropped += 1
            time.sleep(PAUSE)
            continue
        finally:
            connection.close()
        tally.note("api", status)
        if status == 201:
            reference = str(json.loads(body)["reference"])
            tally.acknowledge(reference)
            return reference
        if status == 503 and content_type.startswith("application/problem+json"):
            time.sleep(PAUSE)
            continue
        tally.fault(f"API: {status} {content_type} {body[:300]}")
        return None
    tally.fault("a partner system gave up after 400 tries")
    return None


def keep_reporting(stop: threading.Event, send: Any) -> None:
    """Send reports one after another until told to stop (a report in hand is always finished)."""
    while not stop.is_set():
        if send() is None:
            return
