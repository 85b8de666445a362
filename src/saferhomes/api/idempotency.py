"""`Idempotency-Key` for every POST that creates something: the header, its check, and the replay marker.

The work is done once, in core.idempotency.create_once; a router passes the key, a scope naming the operation (and
the record it works on) and a function that makes the object and returns its primary key, then answers with the
object's current representation either way."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Header

from saferhomes.core.edge import text_problem
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import KEY_MAX_LENGTH, Created

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
FIELD = f"header.{HEADER}"

DESCRIPTION = (
    f"Up to {KEY_MAX_LENGTH} characters, to retry safely: a repeat with the same key from the same token holder "
    f"creates nothing and answers with the same status and the current representation of what the first request "
    f"made, plus `{REPLAYED_HEADER}: true`. The key names what was made; a repeat's body is not compared with the "
    "first. Keys of different token holders are independent."
)


def key_header() -> Any:
    """The `Idempotency-Key` header parameter, documented on each operation that takes it."""
    return Header("", alias=HEADER, max_length=KEY_MAX_LENGTH, description=DESCRIPTION)


def key_of(raw: str) -> str:
    """The key as sent (spaces around it ignored), or a 422 naming the header."""
    key = raw.strip()
    if len(key) > KEY_MAX_LENGTH:
        raise DomainError(field_errors={FIELD: f"Must be {KEY_MAX_LENGTH} characters or fewer"})
    problem = text_problem(key, f"The {HEADER} header")
    if problem:
        raise DomainError(field_errors={FIELD: problem})
    return key


def mark_replayed(response: HttpResponse, created: Created) -> None:
    """Say so when the answer is a replay."""
    if created.replayed:
        response[REPLAYED_HEADER] = "true"
