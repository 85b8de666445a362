"""The shapes of the investigation record over the API (issue 21 part 1): incidents, notes, actions, the contact plan
and evidence files, as `api/routers/record.py` and `api/routers/evidence.py` read and write them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from ninja import Field, Schema

from saferhomes.api.schemas import LONG_TEXT_MAX, ApiIn, DbInt, EdgeDate, EdgeDatetime
from saferhomes.cases.models import ActionKind, IncidentSource
from saferhomes.cases.services.record import MAX_PLAN_FREQUENCY_DAYS
from saferhomes.housing.models import ContactMethod

# Parties named on an incident: ids of parties on the case (see the case's `parties`).
PartyIds = Annotated[list[DbInt], Field(max_length=100)]


# Incidents --------------------------------------------------------------------------------------------------------


class IncidentOut(Schema):
    """A dated occurrence on a case."""

    id: int
    occurred_at: dt.datetime
    occurred_until: dt.datetime | None
    property_reference: str | None = Field(description="The home on the case it happened at, if any")
    location_text: str
    description: str
    source: str
    parties_involved: list[int] = Field(description="Ids of the case's parties who were involved")
    witnesses: list[int] = Field(description="Ids of the case's parties who saw it")
    evidence: list[int] = Field(description="Ids of the evidence files attached to it")
    recorded_by: str
    recorded_at: dt.datetime


class IncidentIn(ApiIn):
    """An incident to record: when (and until), where, what happened, who was involved and who saw it."""

    occurred_at: EdgeDatetime
    occurred_until: EdgeDatetime | None = None
    property_reference: str = Field(
        "", max_length=40, description="One of the case's homes (see the case's `properties`); or give location_text"
    )
    location_text: str = Field("", max_length=250, description="Where, when it was not at one of the case's homes")
    description: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    source: IncidentSource = IncidentSource.OFFICER
    parties_involved: PartyIds = Field(default_factory=list)
    witnesses: PartyIds = Field(default_factory=list)

    columns: ClassVar[dict[str, str]] = {
        "location_text": "cases.Incident.location_text",
        "description": "cases.Incident.description",
        "source": "cases.Incident.source",
    }


# Notes ------------------------------------------------------------------------------------------------------------


class NoteOut(Schema):
    """A free-text note on a case."""

    id: int
    text: str
    shareable: bool = Field(description="Whether the reporter may see it on their status page")
    written_by: str
    written_at: dt.datetime


class NoteIn(ApiIn):
    """A note to add; `shareable` notes are shown to the reporter on their status page (and they are told)."""

    text: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    shareable: bool = False

    columns: ClassVar[dict[str, str]] = {"text": "cases.Note.text"}


# Actions ----------------------------------------------------------------------------------------------------------


class ActionOut(Schema):
    """An action plan item or a task on a case."""

    id: int
    kind: str
    description: str
    owner: str | None = Field(description="Username of the member of staff who owns it")
    due_date: dt.date | None
    overdue: bool = Field(description="Open, and its due date has passed")
    done_at: dt.datetime | None
    done_by: str | None = Field(description="Username of who completed it")
    done_note: str
    created_at: dt.datetime


class ActionIn(ApiIn):
    """An action plan item or task to add."""

    description: str = Field(min_length=1, max_length=300)
    kind: ActionKind = ActionKind.TASK
    owner: str = Field(
        "", max_length=150, description="Username of who owns it (staff who can work on this case); blank: you"
    )
    due_date: EdgeDate | None = Field(None, description="Today or later")

    columns: ClassVar[dict[str, str]] = {
        "description": "cases.ActionItem.description",
        "kind": "cases.ActionItem.kind",
        "owner": "accounts.User.username",
    }


class ActionCompleteIn(ApiIn):
    """Marking an action done."""

    note: str = Field("", max_length=300, description="What was done")

    columns: ClassVar[dict[str, str]] = {"note": "cases.ActionItem.done_note"}


class ActionReopenIn(ApiIn):
    """Reopening a completed action."""

    reason: str = Field(min_length=1, max_length=LONG_TEXT_MAX, description="Why it is being reopened (audited)")


# The contact plan -------------------------------------------------------------------------------------------------


class ContactPlanOut(Schema):
    """How often and how to contact the reporter (or the victim), as agreed with them."""

    party_id: int = Field(description="The party it was agreed with")
    party_name: str
    frequency_days: int
    method: str
    safe_times: str
    language: str
    format: str
    agreed_at: dt.datetime
    next_due_at: dt.datetime = Field(description="When the next contact is due")
    missed: bool = Field(description="The next contact is overdue (and the case is not closed)")
    updated_at: dt.datetime = Field(description="Send it back with a change: a plan changed since is refused (422)")


class ContactPlanIn(ApiIn):
    """The plan agreed with the reporter or victim."""

    party_id: DbInt = Field(description="The reporter or victim on this case (see the case's `parties`)")
    frequency_days: int = Field(ge=1, le=MAX_PLAN_FREQUENCY_DAYS, description="Contact them at least every N days")
    method: ContactMethod
    safe_times: str = Field("", max_length=250, description="When it is safe to contact them")
    language: str = Field("", max_length=60)
    format: str = Field("", max_length=60)

    columns: ClassVar[dict[str, str]] = {
        "method": "cases.ContactPlan.method",
        "safe_times": "cases.ContactPlan.safe_times",
        "language": "cases.ContactPlan.language",
        "format": "cases.ContactPlan.format",
    }


class ContactPlanAgreeIn(ContactPlanIn):
    """A new contact plan."""

    agreed_at: EdgeDatetime | None = Field(None, description="When it was agreed (not in the future); blank: now")


class ContactPlanUpdateIn(ContactPlanIn):
    """A change to the agreed plan."""

    updated_at: EdgeDatetime | None = Field(
        None, description="The plan's `updated_at` as you read it: a plan changed since then is refused (422)"
    )


# Evidence ---------------------------------------------------------------------------------------------------------


class EvidenceOut(Schema):
    """A file attached to a case; its bytes are at `download`."""

    id: int
    original_name: str
    content_type: str = Field(description="Detected from the content, not the name")
    size: int = Field(description="Bytes")
    sha256: str
    description: str
    incident_id: int | None
    uploaded_by: str
    uploaded_at: dt.datetime
    download: str = Field(description="The API address of the file (reads are audited)")
