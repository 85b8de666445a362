"""Demo rights requests (issue 19 part 4; seed order 85): about demo people on the register who are on cases, a
subject access request in progress and due soon, an overdue rectification request, and an erasure request completed
and refused in part (the case file is kept for legal claims; a closed case handed to the retention job)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Party, PartyRole
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.housing.models import Person
from saferhomes.privacy.models_rights import RightsDecision, RightsKind
from saferhomes.privacy.services.rights import (
    RequestDetails,
    rights_request_decide,
    rights_request_record,
    rights_request_start,
)

STEP = "rights_requests"
ORDER = 85


def _people(limit: int) -> list[Person]:
    rows = (
        Party.objects.filter(role__in=[PartyRole.REPORTER, PartyRole.VICTIM], person__isnull=False)
        .select_related("person")
        .order_by("pk")
    )
    people: list[Person] = []
    for party in rows[: limit * 5]:
        if party.person is not None and party.person not in people:
            people.append(party.person)
        if len(people) == limit:
            break
    return people


def _details(person: Person, kind: str, received_on: dt.date, details: str) -> RequestDetails:
    return RequestDetails(
        kind=kind,
        requester_name=f"{person.first_name} {person.last_name}",
        requester_email=person.email,
        received_on=received_on,
        identity_verified_how="Photo ID seen at the neighbourhood office",
        person=person,
        subject_names=[f"{person.first_name} {person.last_name}"],
        subject_dob=person.date_of_birth,
        subject_emails=[person.email] if person.email else [],
        details=details,
    )


def seed_rights_requests(ctx: SeedContext) -> None:
    """Three requests about demo people: one SAR due soon, one overdue, one erasure decided in part."""
    dpo = User.objects.filter(role=Role.DPO, is_active=True).order_by("username").first()
    people = _people(3)
    # Dates count back from the seed's day, never from a day after the clock's (a request is never received later).
    today = min(ctx.today, timezone.localdate())
    if dpo is None or len(people) < 3:
        ctx.counts["rights_requests"] = 0
        return
    sar = rights_request_record(
        actor=dpo,
        details=_details(
            people[0], RightsKind.ACCESS, today - dt.timedelta(days=24), "A copy of everything about my case."
        ),
    )
    rights_request_start(actor=dpo, rights_request=sar)
    rights_request_record(
        actor=dpo,
        details=_details(
            people[1],
            RightsKind.RECTIFICATION,
            today - dt.timedelta(days=40),
            "My date of birth is wrong on your records.",
        ),
    )
    erasure = rights_request_record(
        actor=dpo,
        details=_details(people[2], RightsKind.ERASURE, today - dt.timedelta(days=15), "Please delete my complaint."),
    )
    rights_request_decide(
        actor=dpo,
        rights_request=erasure,
        decision=RightsDecision.PARTLY,
        reason="The case file is kept for the establishment or defence of legal claims (Article 17(3)(e)) until "
        "its retention date; contact details no longer needed were removed.",
        action_taken="Anonymise early: the closed case is handed to the retention job.",
    )
    ctx.counts["rights_requests"] = 3


def register_seed_step() -> None:
    """Make `seed_rights_requests` a step of the demo seed (85: after insights)."""
    seed_step_register(STEP, seed_rights_requests, order=ORDER)
