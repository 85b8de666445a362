"""API fixtures: tokens made the way staff make them (accounts.services.token_create)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.services import token_create

PROBLEM = "application/problem+json"


@pytest.fixture
def token_for(db: None) -> Callable[[User], str]:
    """A fresh raw API token for `user`."""

    def _make(user: User) -> str:
        _token, raw = token_create(actor=None, user=user, name="tests")
        return raw

    return _make


@pytest.fixture
def api_client() -> Client:
    """A client with no session: the API must work from the token alone."""
    return Client()


def bearer(raw: str) -> dict[str, str]:
    """Headers for `Authorization: Bearer <raw>`."""
    return {"Authorization": f"Bearer {raw}"}


def assert_problem(response, status: int) -> dict:
    """The response is a problem+json document with this status; returns it."""
    assert response.status_code == status
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["errors"], list)
    return body
