"""Shared pieces for the closure and survey tests: cases ready (or not) to close, and a closed case with a survey."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import ActionItem, Case, Contact, ContactPurpose, Party, PartyRole, Status
from saferhomes.cases.selectors.closure import survey_token_hash
from saferhomes.cases.services.closure import survey_invite
from saferhomes.housing.models import ContactMethod
from tests.cases.factories import CaseFactory, PartyFactory


def open_case(officer: User, **kwargs: Any) -> Case:
    """An open ASB case of the officer's, with a reporter who has an email address."""
    kwargs.setdefault("status", Status.OPEN)
    case: Case = CaseFactory.create(assigned_officer=officer, team=officer.team, **kwargs)
    PartyFactory.create(case=case, role=PartyRole.REPORTER, email="reporter@example.org")
    return case


def reporter_of(case: Case) -> Party:
    return case.parties.get(role=PartyRole.REPORTER)


def discuss_outcome(case: Case, *, successful: bool = True, party: Party | None = None) -> Contact:
    """Record an outcome discussion (or an attempt) with the reporter."""
    contact: Contact = Contact.objects.create(
        case=case,
        party=party or reporter_of(case),
        method=ContactMethod.PHONE,
        purpose=ContactPurpose.OUTCOME_DISCUSSION,
        successful=successful,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        summary="Explained the outcome." if successful else "No answer.",
    )
    return contact


def open_action(case: Case, description: str = "Visit the neighbour") -> ActionItem:
    item: ActionItem = ActionItem.objects.create(case=case, description=description)
    return item


def closing_case(officer: User, **kwargs: Any) -> Case:
    """A case put forward for closure, with the outcome discussed."""
    case = open_case(officer, **kwargs)
    discuss_outcome(case)
    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSING,
        outcome="resolved",
        outcome_summary="The noise stopped.",
        closure_requested_by=officer,
        closure_requested_at=timezone.now(),
    )
    case.refresh_from_db()
    return case


def closed_case(officer: User, **kwargs: Any) -> Case:
    """A closed case (outcome discussed), without its survey invitation."""
    case = closing_case(officer, **kwargs)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    case.refresh_from_db()
    return case


def invited(officer: User, **kwargs: Any) -> tuple[Case, str]:
    """A closed case and the raw token of its reporter's survey link."""
    case = closed_case(officer, **kwargs)
    token = survey_invite(case_id=case.pk)
    assert token is not None
    return case, token


__all__ = [
    "closed_case",
    "closing_case",
    "discuss_outcome",
    "invited",
    "open_action",
    "open_case",
    "reporter_of",
    "survey_token_hash",
]
