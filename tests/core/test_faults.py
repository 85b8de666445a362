"""Faults: a database outage answers 503 with "try again" and the help-lines, never a 500; a session that cannot be
saved after the work is done does not turn the page into an error; the API's 500 and 503 are problem+json."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from pytest_django.fixtures import Settings

from saferhomes.config import urls as project_urls
from saferhomes.core.views import server_error


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in our code")


@pytest.fixture
def broken_view_urls(settings: Settings) -> Iterator[None]:
    """The project's URLs plus two that fail: one in a page, one under the API."""
    module = types.ModuleType("broken_urls")
    module.urlpatterns = [path("broken/", _boom), path("api/v1/broken/", _boom), *project_urls.urlpatterns]  # type: ignore[attr-defined]
    module.handler500 = project_urls.handler500  # type: ignore[attr-defined]
    sys.modules["broken_urls"] = module
    settings.ROOT_URLCONF = "broken_urls"
    yield
    del sys.modules["broken_urls"]


@pytest.fixture
def database_down() -> Iterator[None]:
    """Every new query fails as it does when PostgreSQL has gone away."""
    with mock.patch.object(
        connection, "ensure_connection", side_effect=OperationalError("server closed the connection unexpectedly")
    ):
        yield


@pytest.fixture
def quiet_client(db: None) -> Client:
    return Client(raise_request_exception=False)


def _with_session(client: Client) -> Client:
    """A visitor part-way through a report: they hold a session cookie, so every page loads their session."""
    session = client.session
    session["started"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key or ""
    return client


@pytest.mark.parametrize("url", ["/", "/report/", "/accessibility/", "/staff/", "/staff/cases/"])
def test_during_a_database_outage_a_visitor_with_a_session_gets_503_with_the_help_lines(
    quiet_client: Client, url: str
) -> None:
    client = _with_session(quiet_client)
    with mock.patch.object(SessionStore, "load", side_effect=OperationalError("could not connect to server")):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "999" in html
    assert "0808 2000 247" in html  # National Domestic Abuse Helpline
    assert "<script" not in html


def test_when_every_query_fails_the_public_pages_answer_503_not_500(quiet_client: Client, database_down: None) -> None:
    response = quiet_client.get("/report/status/a-private-status-link-token/")  # the status page reads the database
    assert response.status_code == 503
    assert "Try again in a few minutes" in response.content.decode()


def test_a_fault_in_our_code_is_still_a_500(quiet_client: Client, broken_view_urls: None) -> None:
    response = quiet_client.get("/broken/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_an_api_fault_is_problem_json_not_an_html_page(quiet_client: Client, broken_view_urls: None) -> None:
    response = quiet_client.get("/api/v1/broken/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == 500
    assert body["title"] == "Internal Server Error"
    assert body["errors"] == []


def test_an_api_request_during_an_outage_is_a_503_problem(quiet_client: Client, database_down: None) -> None:
    response = quiet_client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["detail"].startswith("The service cannot reach its database")


def test_a_session_that_cannot_be_saved_does_not_turn_a_page_into_an_error(quiet_client: Client) -> None:
    client = _with_session(quiet_client)
    session = client.session
    with mock.patch.object(SessionStore, "save", side_effect=DatabaseError("connection dropped")):
        response = client.post("/report/safety/", {"danger_now": "no"})  # answering a question writes the session
    assert response.status_code in (200, 302)
    assert session.session_key == client.cookies["sessionid"].value


@pytest.mark.parametrize("url", ["/", "/report/", "/api/v1/docs", "/staff/sign-in/"])
def test_every_response_switches_off_browser_features_we_never_use(client: Client, db: None, url: str) -> None:
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "browsing-topics=()"):
        assert feature in policy


def test_the_error_page_falls_back_to_plain_words_if_its_template_fails() -> None:
    with mock.patch("saferhomes.core.views.loader.get_template", side_effect=RuntimeError("no templates")):
        response = server_error(RequestFactory().get("/broken/"))
    assert response.status_code == 500
    assert "999" in response.content.decode()
