"""Reads for closure and the satisfaction survey: a case's closure facts and blockers, and a survey link's invitation.

Closure blockers come from the pure rules in `rules.py` plus every check registered in `CLOSURE_CHECKS`.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.extensions import CLOSURE_CHECKS
from saferhomes.cases.models import (
    ActionItem,
    Case,
    Contact,
    ContactPurpose,
    Party,
    PartyRole,
    Status,
    SurveyInvitation,
)
from saferhomes.cases.rules import (
    APPROVAL_CASE_TYPES,
    APPROVAL_PRIORITIES,
    APPROVAL_SENSITIVITIES,
    Blocker,
    ClosureFacts,
    closure_blockers,
)
from saferhomes.cases.selectors.case import cases_visible_to

DISCUSSION_ROLES = (PartyRole.REPORTER, PartyRole.VICTIM)
APPROVE_CLOSURE = "cases.approve_closure"


def closure_facts(*, case: Case) -> ClosureFacts:
    """The facts the closure rules need, read from the case in a handful of queries."""
    parties = list(Party.objects.filter(case=case, role__in=DISCUSSION_ROLES).only("role", "anonymous"))
    reporters = [p for p in parties if p.role == PartyRole.REPORTER]
    discussions = Contact.objects.filter(
        case=case, purpose=ContactPurpose.OUTCOME_DISCUSSION, party__role__in=DISCUSSION_ROLES
    )
    open_actions = ActionItem.objects.filter(case=case, done_at__isnull=True).order_by("due_date", "id")
    return ClosureFacts(
        case_type=case.case_type,
        priority=case.priority,
        sensitivity=case.sensitivity,
        has_reporter_or_victim=bool(parties),
        reporter_anonymous=bool(reporters) and all(p.anonymous for p in reporters),
        outcome_discussed=discussions.filter(successful=True).exists(),
        failed_discussion_attempts=discussions.filter(successful=False).count(),
        not_discussed_reason=case.outcome_not_discussed_reason,
        open_actions=tuple(open_actions.values_list("description", flat=True)),
        approved=case.closure_approved_at is not None,
    )


def case_closure_blockers(*, case: Case) -> list[Blocker]:
    """Every reason the case cannot close yet: the rules' own, then each registered check's."""
    blockers = closure_blockers(closure_facts(case=case))
    for check in CLOSURE_CHECKS:
        blockers.extend(check(case))
    return blockers


def closures_awaiting_approval(*, actor: User) -> QuerySet[Case]:
    """Cases put forward for closure that need a manager's approval the actor may give (not their own requests)."""
    if not actor.has_perm(APPROVE_CLOSURE):
        return Case.objects.none()
    needs = (
        Q(priority__in=APPROVAL_PRIORITIES)
        | Q(case_type__in=APPROVAL_CASE_TYPES)
        | Q(sensitivity__in=APPROVAL_SENSITIVITIES)
    )
    return (
        cases_visible_to(actor=actor)
        .filter(needs, status=Status.CLOSING, closure_approved_at__isnull=True)
        .exclude(closure_requested_by_id=actor.pk)
        .select_related("assigned_officer")
        .order_by("closure_requested_at", "id")
    )


class SurveyLinkProblem(StrEnum):
    """Why a survey link does not open the survey."""

    UNKNOWN = "unknown"
    ANSWERED = "answered"
    EXPIRED = "expired"


class SurveyLinkError(Exception):
    """The survey link is unknown, already used or expired."""

    def __init__(self, problem: SurveyLinkProblem) -> None:
        self.problem = problem
        super().__init__(problem.value)


def survey_token_hash(token: str) -> str:
    """The stored form of a survey token: its SHA-256 hex digest (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def survey_invitation_for_token(*, token: str) -> SurveyInvitation:
    """The invitation a survey link opens; raises SurveyLinkError if it is unknown, answered or expired."""
    invitation = (
        SurveyInvitation.objects.select_related("case")
        .filter(token_hash=survey_token_hash(token))
        .only("id", "case__reference", "expires_at", "answered_at", "sent_at", "token_hash", "party_id")
        .first()
    )
    if invitation is None:
        raise SurveyLinkError(SurveyLinkProblem.UNKNOWN)
    if invitation.answered_at is not None:
        raise SurveyLinkError(SurveyLinkProblem.ANSWERED)
    if invitation.expires_at <= timezone.now():
        raise SurveyLinkError(SurveyLinkProblem.EXPIRED)
    return invitation


def case_latest_survey(*, case: Case) -> SurveyInvitation | None:
    """The most recent survey invitation for a case, if any."""
    return SurveyInvitation.objects.filter(case=case).order_by("-sent_at", "-id").first()
