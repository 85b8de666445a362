"""The shapes of the cases API (django-ninja/pydantic): what a case, a party, a page of cases looks like, and what
each operation of `api/routers/cases.py` takes. Split from the operations so each file reads as one thing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints, model_validator

from saferhomes.api.cursor import CURSOR_MAX_LENGTH
from saferhomes.api.schemas import LONG_TEXT_MAX, ApiIn, DbInt, EdgeDate, EdgeDatetime
from saferhomes.cases.models import (
    CaseType,
    Category,
    HateStrand,
    LinkReason,
    PartyRole,
    Priority,
    Sensitivity,
    Status,
    SubType,
)
from saferhomes.core.edge import MAX_INTEGER
from saferhomes.housing.models import ContactMethod, PreferredFormat

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


# Shapes -----------------------------------------------------------------------------------------------------------


class CaseSummaryOut(Schema):
    """A case as a list shows it."""

    reference: str
    case_type: str
    summary: str
    status: str
    priority: str
    sensitivity: str
    urgent: bool
    assigned_officer: str | None = Field(None, description="Username of the assigned officer")
    team: str | None
    estate: str | None = Field(None, description="Estate code")
    received_at: dt.datetime
    response_due_at: dt.datetime | None = Field(
        None,
        description="When the first response is due: ISO 8601 in Europe/London local time with its offset "
        "('Z' in winter (GMT), '+01:00' in summer (BST)), e.g. 2026-01-05T23:59:59Z for the end of Mon 5 Jan 2026",
    )
    response_status: str | None = Field(
        None, description="on_track, due_soon, overdue, met or met_late; null when there is no deadline"
    )
    responded_at: dt.datetime | None
    version: int = Field(description="Send it back with a change: a stale version is refused (422)")


class PartyOut(Schema):
    """A person on a case."""

    id: int
    role: str
    name: str
    person_reference: str | None = Field(None, description="Housing register reference, if they are on it")
    date_of_birth: dt.date | None
    is_minor: bool = Field(description="Under 18 on the incident date")
    anonymous: bool
    safe_contact_notes: str
    safe_times: str = ""
    contact_methods: list[str] = Field(default_factory=list, description="Ways of contact they chose as safe")
    contact_avoid: list[str] = Field(
        default_factory=list, description="Ways never to use to contact them (the case's and the register's)"
    )
    preferred_language: str = ""
    preferred_format: str = ""
    vulnerabilities: str
    reasonable_adjustments: str


class PromptOut(Schema):
    """Something the officer should do or consider."""

    code: str
    message: str


class CaseOut(CaseSummaryOut):
    """One case in full."""

    category: str
    sub_types: list[str]
    hate_strands: list[str]
    description: str
    stage: str
    urgent_reason: str
    criminal: bool
    location_text: str
    properties: list[str] = Field(description="Property references")
    triaged_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome: str
    parties: list[PartyOut]
    linked_cases: list[str] = Field(description="References of linked cases you can see")
    prompts: list[PromptOut]


class CasePageOut(Schema):
    """A page of cases in the list's order (newest first, or `sort=response_due`). There is no count: follow
    `next_cursor` until it is null (issue 21: counting every match was most of the request at a million cases)."""

    page_size: int
    next_cursor: str | None = Field(
        description="Send it back as `cursor` (with the same filters) for the next page; null on the last page"
    )
    results: list[CaseSummaryOut]


ResponseStatusValue = Literal["on_track", "due_soon", "overdue", "met", "met_late"]
ResponseValue = Literal["on_track", "due_soon", "overdue", "met", "met_late", "awaiting", "responded"]
SortValue = Literal["newest", "response_due"]
PropertyReference = Annotated[str, StringConstraints(max_length=40)]


def _empty_is_documented(schema: dict[str, Any]) -> None:
    """Say in the schema that an empty value (`?priority=`) is taken as no filter (issue 21 part 2: the fuzz found the
    schema calling it invalid while the API, like the staff list, took it)."""
    for prop in schema.get("properties", {}).values():
        if prop.get("type") in ("array", "string") and "enum" not in prop and "format" not in prop:
            continue  # lists and free text already take it
        options = prop.pop("anyOf", None)
        if options is None:
            options = [{key: prop.pop(key) for key in list(prop) if key not in ("title", "description", "default")}]
        prop["anyOf"] = [*options, {"type": "string", "maxLength": 0}]


class CaseFilterIn(ApiIn):
    """The case list's filters; all optional (an empty parameter is the same as none)."""

    model_config = ConfigDict(json_schema_extra=_empty_is_documented)

    q: str = Field("", max_length=100, description="Reference, party name, address or postcode")
    status: list[Status] = Field([], description="One or more statuses")
    case_type: CaseType | None = None
    officer: str = Field("", max_length=150, description="Username of the assigned officer")
    team: str = Field("", max_length=100, description="Team name")
    estate: str = Field("", max_length=20, description="Estate code")
    priority: Priority | None = None
    sensitivity: Sensitivity | None = None
    response: ResponseValue | None = Field(
        None, description="Deprecated alias of response_status (also takes awaiting, responded)"
    )
    response_status: ResponseStatusValue | None = None
    sort: SortValue | None = Field(None, description="newest (default) or response_due (soonest deadline first)")
    received_from: EdgeDate | None = Field(None, description="YYYY-MM-DD, 1900 to 2100")
    received_to: EdgeDate | None = Field(None, description="YYYY-MM-DD, 1900 to 2100")
    cursor: str = Field(
        "",
        max_length=CURSOR_MAX_LENGTH,
        description="Where to start: the `next_cursor` of the page before (opaque); blank for the first page",
    )
    page: int | None = Field(
        None,
        ge=1,
        le=MAX_INTEGER,
        description="No longer used: pages are not numbered (follow `next_cursor`); only 1 is accepted",
    )
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    columns: ClassVar[dict[str, str]] = {
        "officer": "accounts.User.username",
        "team": "accounts.Team.name",
        "estate": "housing.Estate.code",
    }

    @model_validator(mode="before")
    @classmethod
    def _empty_is_not_given(cls, data: Any) -> Any:
        """`?case_type=` means no filter, as on the staff list."""
        if not isinstance(data, dict):
            return data
        return {key: value for key, value in data.items() if value != "" and value != [""]}


class PartyIn(ApiIn):
    """A person to put on a case: `person_reference` from the housing register, or their details."""

    role: PartyRole = PartyRole.REPORTER
    person_reference: str = Field("", max_length=40)
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    date_of_birth: EdgeDate | None = None
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=250)
    organisation: str = Field("", max_length=150)
    anonymous: bool = False
    safe_contact_notes: str = Field("", max_length=LONG_TEXT_MAX)
    safe_times: str = Field("", max_length=250)
    contact_methods: list[ContactMethod] = Field(default_factory=list, max_length=10)
    contact_avoid: list[ContactMethod] = Field(
        default_factory=list, max_length=10, description='Ways never to use to contact them, e.g. ["phone"]'
    )
    preferred_language: str = Field("", max_length=60)
    preferred_format: PreferredFormat | Literal[""] = ""
    vulnerabilities: str = Field("", max_length=LONG_TEXT_MAX)
    reasonable_adjustments: str = Field("", max_length=LONG_TEXT_MAX)
    notes: str = Field("", max_length=LONG_TEXT_MAX)

    columns: ClassVar[dict[str, str]] = {
        "role": "cases.Party.role",
        "person_reference": "housing.Person.reference",
        **{
            name: f"cases.Party.{name}"
            for name in (
                *("first_name", "last_name", "phone", "email", "address", "organisation"),
                *("safe_contact_notes", "vulnerabilities", "reasonable_adjustments", "notes"),
                *("safe_times", "preferred_language"),
            )
        },
    }


class CaseCreateIn(ApiIn):
    """A new case from a report."""

    case_type: CaseType = Field(description="asb, hate or da")
    summary: str = Field(min_length=1, max_length=200)
    received_at: EdgeDatetime = Field(
        description="When the report reached us (ISO 8601; not in the future; a time without offset is Europe/London)"
    )
    description: str = Field("", max_length=LONG_TEXT_MAX)
    category: Category | Literal[""] = ""
    sub_types: list[SubType] = []
    hate_strands: list[HateStrand] = Field([], description="Needed for hate cases")
    urgent: bool = False
    urgent_reason: str = Field("", max_length=LONG_TEXT_MAX)
    restricted: bool = Field(False, description="Only named staff may see it (DA cases are restricted anyway)")
    property_references: list[PropertyReference] = Field([], max_length=50)
    location_text: str = Field("", max_length=250)
    reporter: PartyIn | None = None

    columns: ClassVar[dict[str, str]] = {
        name: f"cases.Case.{name}" for name in ("summary", "description", "urgent_reason", "location_text")
    }


class CaseCreatedOut(Schema):
    """The new case's reference, and the case itself if you may see it (a DA case goes to the DA team)."""

    reference: str
    visible: bool
    case: CaseOut | None


class TriageIn(ApiIn):
    """Triage: priority, urgency (a change needs a reason), criminal or not, category."""

    priority: Priority
    urgent: bool
    urgent_reason: str = Field("", max_length=LONG_TEXT_MAX)
    criminal: bool = False
    category: Category | Literal[""] | None = None
    sub_types: list[SubType] | None = None
    hate_strands: list[HateStrand] | None = None
    version: DbInt | None = None

    columns: ClassVar[dict[str, str]] = {"urgent_reason": "cases.Case.urgent_reason"}


class TriageOut(Schema):
    """The triaged case and what to do next."""

    case: CaseOut
    prompts: list[PromptOut]


class AssignIn(ApiIn):
    """Who works the case now; a reason when it already has an officer."""

    officer: str = Field(min_length=1, max_length=150, description="Username")
    reason: str = Field("", max_length=LONG_TEXT_MAX)
    version: DbInt | None = None

    columns: ClassVar[dict[str, str]] = {"officer": "accounts.User.username"}


class TransitionIn(ApiIn):
    """A status move (see the lifecycle in the documentation)."""

    to_status: Status
    reason: str = Field("", max_length=LONG_TEXT_MAX)
    version: DbInt | None = None


class LinkIn(ApiIn):
    """Another case that belongs with this one."""

    other_reference: str = Field(min_length=1, max_length=20)
    reason: LinkReason = Field(description="same_perpetrator, same_location, same_victim or other")
    note: str = Field("", max_length=250)
    version: DbInt | None = None

    columns: ClassVar[dict[str, str]] = {"other_reference": "cases.Case.reference", "note": "cases.CaseLink.note"}
