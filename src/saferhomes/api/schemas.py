"""Request and response shapes for the API (pydantic, via django-ninja), and the base every input shape inherits."""

from __future__ import annotations

import datetime as dt
import re
import types
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from django.utils import timezone
from ninja import Path, Schema
from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, model_validator
from pydantic.functional_validators import ModelWrapValidatorHandler

from saferhomes.api.parser import from_json_body
from saferhomes.core.calendar import LONDON
from saferhomes.core.edge import MAX_DATE, MAX_INTEGER, MIN_DATE

# Longest free text any input takes where the column itself is unbounded (TextField).
LONG_TEXT_MAX = 5000

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_FORMAT_MESSAGE = "Enter a date as YYYY-MM-DD, for example 2026-01-31"
DATETIME_FORMAT_MESSAGE = "Enter a date and time in ISO 8601, for example 2026-01-31T14:30:00+00:00"
RANGE_MESSAGE = f"Enter a date between {MIN_DATE.year} and {MAX_DATE.year}"


def _nullable(annotation: Any) -> bool:
    """Whether a field's type takes None (`X | None`, Optional[X], Any)."""
    if annotation is None or annotation is type(None) or annotation is Any:
        return True
    if get_origin(annotation) is Annotated:
        return _nullable(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_nullable(arg) for arg in get_args(annotation))
    return False


class ApiIn(Schema):
    """The base of every input shape: JSON `null` for an optional field that is not nullable means "not given", so its
    default applies (clients commonly send null for absent values); a nullable field keeps null's meaning, and a
    required field sent as null is still refused (422).

    `columns` names, per field, the model column ("app_label.Model.field") a value is written to, so a test can check
    each field's `max_length` fits it."""

    columns: ClassVar[dict[str, str]] = {}

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        """Replaces ninja's (which wraps values for reading ORM objects, as output shapes do): input is plain JSON."""
        if isinstance(values, dict) and from_json_body((info.context or {}).get("request"), values):
            values = cls._json_types_only(values)
        return handler(cls._null_is_not_given(values) if isinstance(values, dict) else values)

    @classmethod
    def _json_types_only(cls, data: dict[str, Any]) -> dict[str, Any]:
        """In a JSON body a boolean is `true`/`false` and a number is a number, as the schema says: pydantic's lax
        mode would take `0` for false and `"5"` for 5, so such values are handed on wrapped in a list, which the
        field then refuses with its usual message ("Input should be a valid boolean"). Issue 21 part 2 (fuzz)."""
        changed = dict(data)
        for name, field in cls.model_fields.items():
            key = field.alias or name
            if key not in data:
                continue
            kind, many = _scalar_kind(field.annotation)
            if kind is None:
                continue
            value = data[key]
            if many and isinstance(value, list):
                changed[key] = [item if _json_fits(item, kind) else [item] for item in value]
            elif not many and not _json_fits(value, kind):
                changed[key] = [value]
        return changed

    @classmethod
    def _null_is_not_given(cls, data: dict[str, Any]) -> dict[str, Any]:
        dropped = {
            key
            for name, field in cls.model_fields.items()
            if not field.is_required() and not _nullable(field.annotation)
            for key in {name, field.alias or name}
            if key in data and data[key] is None
        }
        return {key: value for key, value in data.items() if key not in dropped} if dropped else data


def _scalar_kind(annotation: Any) -> tuple[type | None, bool]:
    """(bool, int or float, whether it is a list of them) for a field typed so, optionally nullable; else None."""
    if get_origin(annotation) is Annotated:
        return _scalar_kind(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        options = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _scalar_kind(options[0]) if len(options) == 1 else (None, False)
    if get_origin(annotation) is list:
        (item,) = get_args(annotation) or (Any,)
        kind, many = _scalar_kind(item)
        return (kind, True) if kind is not None and not many else (None, False)
    return (annotation, False) if annotation in (bool, int, float) else (None, False)


def _json_fits(value: Any, kind: type) -> bool:
    if value is None:
        return True  # null's meaning is decided by the field (not given, or refused)
    if kind is bool:
        return isinstance(value, bool)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _iso_only(message: str) -> Any:
    """A before-validator that lets through only text starting YYYY-MM-DD (or a parsed value): no Unix timestamps."""

    def check(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
            raise ValueError(message)
        return value.strip()

    return BeforeValidator(check)


def _date_in_range(value: dt.date) -> dt.date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(RANGE_MESSAGE)
    return value


def _london_in_range(value: dt.datetime) -> dt.datetime:
    """A time in range; one without an offset is Europe/London local time."""
    _date_in_range(value.date())
    return value if timezone.is_aware(value) else timezone.make_aware(value, LONDON)


# A calendar date, as YYYY-MM-DD only (never a Unix timestamp such as `0`), 1900 to 2100.
EdgeDate = Annotated[dt.date, _iso_only(DATE_FORMAT_MESSAGE), AfterValidator(_date_in_range)]
# A date and time in ISO 8601, 1900 to 2100, always timezone-aware (no offset: Europe/London).
EdgeDatetime = Annotated[dt.datetime, _iso_only(DATETIME_FORMAT_MESSAGE), AfterValidator(_london_in_range)]
# A case or report reference in an address (ASB-2026-000123, RPT-2026-000042).
RecordReference = Annotated[str, Path(max_length=20, description="The record's reference, e.g. ASB-2026-000123")]
# A row's version, an id or a count as the database holds it.
DbInt = Annotated[int, Field(ge=0, le=MAX_INTEGER)]


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
