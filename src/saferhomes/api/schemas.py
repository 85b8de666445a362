"""Request and response shapes for the API (pydantic, via django-ninja)."""

from __future__ import annotations

from ninja import Schema


class FieldErrorOut(Schema):
    """One problem with one value in the request."""

    field: str
    message: str


class ProblemOut(Schema):
    """The error shape for every 4xx response (application/problem+json, RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut]


class MeOut(Schema):
    """The signed-in (token-holding) member of staff."""

    username: str
    full_name: str
    email: str
    role: str
    role_label: str
    team: str | None
    permissions: list[str]


# Error responses every authenticated endpoint can give; spread into `response=` so the docs list them.
COMMON_ERRORS: dict[int, type[Schema]] = {401: ProblemOut, 429: ProblemOut}
