"""The edge check on what arrives outside forms and JSON bodies (core.middleware.EdgeMiddleware): a NUL or other
control character in the address or query string, or a body in another charset, is a 400 naming the part — a page
for people, problem+json for the API — before any view or query runs (these were 500s on PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


def _problem(response: Any) -> dict[str, Any]:
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    return json.loads(response.content)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/cases?team=%00", "query.team"),
        ("/api/v1/cases?q=loud%07music", "query.q"),
        ("/api/v1/cases/ASB-2026-000001%00", "path"),
        ("/api/v1/reports/R%00", "path"),
    ],
)
def test_a_control_character_in_an_api_address_or_query_is_a_400_problem_naming_it(
    client: Client, db: None, url: str, field: str
) -> None:
    body = _problem(client.get(url))
    assert body["errors"][0]["field"] == field
    assert "hidden control character" in body["detail"]


@pytest.mark.parametrize(
    "url",
    ["/staff/cases/all/?team=%00", "/staff/cases/ASB-2026-000001%00/", "/report/status/abc%00/", "/?x=%1b"],
)
def test_a_control_character_in_a_page_address_is_a_400_page_saying_so(
    staff_client: Callable[..., Client], url: str
) -> None:
    response = staff_client().get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "hidden control character" in html
    assert "Sorry, there is a problem with that request" in html


def test_a_body_declared_in_another_charset_is_refused_with_what_to_send(client: Client, db: None) -> None:
    response = client.generic(
        "POST", "/api/v1/reports", data="{}".encode("utf-16"), content_type="application/json; charset=utf-16"
    )
    body = _problem(response)
    assert body["detail"] == "Send the request body as UTF-8 (the Content-Type header says utf-16)"


def test_an_unknown_charset_on_a_form_post_is_a_400_page(client: Client, db: None) -> None:
    response = client.generic(
        "POST",
        "/report/safety/",
        data=b"danger_now=no",
        content_type="application/x-www-form-urlencoded; charset=x-nonsense",
    )
    assert response.status_code == 400
    assert "Send the request body as UTF-8" in response.content.decode()


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8"])
def test_utf8_bodies_pass(client: Client, db: None, charset: str) -> None:
    response = client.post("/api/v1/reports", data=b"{}", content_type=f"application/json; charset={charset}")
    assert response.status_code == 401  # reached the API, which asks for a token


def test_ordinary_queries_pass(staff_client: Callable[..., Client]) -> None:
    assert staff_client().get("/staff/cases/all/?q=Flat%203%0A&status=open").status_code == 200
