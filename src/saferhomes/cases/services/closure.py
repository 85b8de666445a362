"""Closing a case (DESIGN.md §3) and the satisfaction survey it sends (§4.4).

open/reopened --case_request_closure--> closing --[case_approve_closure]--> case_close --> closed --case_reopen-->
reopened. Closing is refused with every reason at once (`ClosureBlockedError`, from `selectors_closure`). Once the
closure is committed, `survey_invite` makes the reporter's private survey link: emailed when that is safe, otherwise
recorded as one the officer must give (`survey_link_issue` shows a fresh link once). Only the token's SHA-256 is
stored. The email goes straight from the on-commit hook, not through the task queue, because a queued task would
keep the raw token in the database.
"""

from __future__ import annotations

import logging
import secrets
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases import rules
from saferhomes.cases.models import (
    SURVEY_VALID_FOR,
    Case,
    CaseType,
    Outcome,
    Party,
    PartyRole,
    SatisfactionScore,
    Sensitivity,
    Status,
    SurveyDelivery,
    SurveyInvitation,
)
from saferhomes.cases.notifications import closure_approval_requested
from saferhomes.cases.rules import Blocker, needs_manager_approval
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.cases.selectors.closure import (
    SurveyLinkError,
    SurveyLinkProblem,
    case_closure_blockers,
    case_latest_survey,
    survey_invitation_for_token,
    survey_token_hash,
)
from saferhomes.cases.services.locking import check_version
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.links import public_url
from saferhomes.core.permissions import require

logger = logging.getLogger(__name__)

CLOSURE_FIELDS = [
    "status",
    "outcome",
    "outcome_summary",
    "outcome_shareable",
    "outcome_not_discussed_reason",
    "closure_requested_by_id",
    "closure_requested_at",
    "closure_approved_by_id",
    "closure_approved_at",
    "closed_at",
    "version",
]
SURVEY_FIELDS = ["case_id", "party_id", "sent_at", "expires_at", "delivery", "delivery_note", "answered_at"]
OUTCOME_SUMMARY_MAX = 5000
DO_BETTER_MAX = 5000


class ClosureBlockedError(DomainError):
    """The case cannot close yet; `blockers` say why and where to put each right."""

    def __init__(self, blockers: list[Blocker]) -> None:
        self.blockers = blockers
        super().__init__([blocker.message for blocker in blockers])


def _locked(*, actor: User, case: Case) -> Case:
    """The case re-read under a row lock, if the actor may see it (Http404 otherwise: never confirm it exists)."""
    if not cases_visible_to(actor=actor).filter(pk=case.pk).exists():
        raise Http404("No such case.")
    return Case.objects.select_for_update().get(pk=case.pk)


def _save(case: Case, fields: list[str]) -> Case:
    """Save the closure fields with the version bumped, and return the fresh row."""
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    case.refresh_from_db()
    return case


def _closure_snapshot(case: Case) -> dict[str, Any]:
    return snapshot(case, CLOSURE_FIELDS)


def case_request_closure(
    *,
    actor: User,
    case: Case,
    outcome: str,
    outcome_summary: str,
    not_discussed_reason: str = "",
    outcome_shareable: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Move an open or reopened case to closing with its outcome (and, if given, the words the reporter may read on
    their status page once it closes); asking again while closing updates the details."""
    require(actor, "cases.close_case")
    outcome_summary = outcome_summary.strip()
    not_discussed_reason = not_discussed_reason.strip()
    outcome_shareable = outcome_shareable.strip()
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the outcome of the case"
    if not outcome_summary:
        errors["outcome_summary"] = "Enter a summary of the outcome"
    elif len(outcome_summary) > OUTCOME_SUMMARY_MAX:
        errors["outcome_summary"] = f"Summary of the outcome must be {OUTCOME_SUMMARY_MAX:,} characters or fewer"
    if len(outcome_shareable) > OUTCOME_SUMMARY_MAX:
        errors["outcome_shareable"] = f"What the reporter may read must be {OUTCOME_SUMMARY_MAX:,} characters or fewer"
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        case = _locked(actor=actor, case=case)
        check_version(case, version)
        if case.status != Status.CLOSING and (problem := rules.transition_problem(case.status, Status.CLOSING)):
            raise DomainError(problem)
        before = _closure_snapshot(case)
        details_changed = (
            case.outcome,
            case.outcome_summary,
            case.outcome_not_discussed_reason,
            case.outcome_shareable,
        ) != (outcome, outcome_summary, not_discussed_reason, outcome_shareable)
        if case.status != Status.CLOSING or details_changed:
            # An approval covers the closure a manager saw; new details need a fresh look.
            case.closure_approved_by, case.closure_approved_at = None, None
        case.status = Status.CLOSING
        case.outcome, case.outcome_summary = outcome, outcome_summary
        case.outcome_not_discussed_reason = not_discussed_reason
        case.outcome_shareable = outcome_shareable
        case.closure_requested_by, case.closure_requested_at = actor, timezone.now()
        case = _save(case, [f.removesuffix("_id") for f in CLOSURE_FIELDS if f != "version"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_CLOSURE_REQUESTED,
            obj=case,
            before=before,
            after=_closure_snapshot(case),
            request=request,
        )
        if case.closure_approved_at is None and needs_manager_approval(
            case_type=case.case_type, priority=case.priority, sensitivity=case.sensitivity
        ):
            transaction.on_commit(partial(closure_approval_requested, case_id=case.pk), robust=True)
    return case


def case_approve_closure(
    *, actor: User, case: Case, version: int | None = None, request: HttpRequest | None = None
) -> Case:
    """A manager approves closing a high-risk or domestic abuse case (not one they put forward themselves)."""
    require(actor, "cases.approve_closure")
    with transaction.atomic():
        case = _locked(actor=actor, case=case)
        check_version(case, version)
        if case.status != Status.CLOSING:
            raise DomainError("Only a case put forward for closure can be approved")
        if not needs_manager_approval(case_type=case.case_type, priority=case.priority, sensitivity=case.sensitivity):
            raise DomainError("This case does not need a manager's approval to close")
        if case.closure_approved_at is not None:
            raise DomainError("Closing this case has already been approved")
        if case.closure_requested_by_id == actor.pk:
            raise DomainError("Another manager must approve this closure, because you put the case forward for closure")
        before = _closure_snapshot(case)
        case.closure_approved_by, case.closure_approved_at = actor, timezone.now()
        case = _save(case, ["closure_approved_by", "closure_approved_at"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_CLOSURE_APPROVED,
            obj=case,
            before=before,
            after=_closure_snapshot(case),
            request=request,
        )
    return case


def case_close(*, actor: User, case: Case, version: int | None = None, request: HttpRequest | None = None) -> Case:
    """Close a case once nothing blocks it; once committed, the reporter is invited to the satisfaction survey."""
    require(actor, "cases.close_case")
    with transaction.atomic():
        case = _locked(actor=actor, case=case)
        check_version(case, version)
        if problem := rules.transition_problem(case.status, Status.CLOSED):
            raise DomainError(problem)
        blockers = case_closure_blockers(case=case)
        if blockers:
            raise ClosureBlockedError(blockers)
        before = _closure_snapshot(case)
        case.status, case.closed_at = Status.CLOSED, timezone.now()
        case = _save(case, ["status", "closed_at"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_CLOSED,
            obj=case,
            before=before,
            after=_closure_snapshot(case),
            request=request,
        )
        transaction.on_commit(partial(survey_invite, case_id=case.pk))
    return case


def case_reopen(
    *, actor: User, case: Case, reason: str, version: int | None = None, request: HttpRequest | None = None
) -> Case:
    """Reopen a closed case with a reason; its outcome and approval are cleared for the next closure."""
    require(actor, "cases.close_case")
    reason = reason.strip()
    if not reason:
        raise DomainError(field_errors={"reason": "Enter why the case is being reopened"})
    with transaction.atomic():
        case = _locked(actor=actor, case=case)
        check_version(case, version)
        if problem := rules.transition_problem(case.status, Status.REOPENED):
            raise DomainError(problem)
        before = _closure_snapshot(case)
        case.status, case.closed_at = Status.REOPENED, None
        case.outcome, case.outcome_summary, case.outcome_not_discussed_reason = "", "", ""
        case.outcome_shareable = ""
        case.closure_requested_by, case.closure_requested_at = None, None
        case.closure_approved_by, case.closure_approved_at = None, None
        case = _save(case, [f.removesuffix("_id") for f in CLOSURE_FIELDS if f != "version"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REOPENED,
            obj=case,
            before=before,
            after=_closure_snapshot(case),
            reason=reason,
            request=request,
        )
    return case


# --- The satisfaction survey -----------------------------------------------------------------------------------


def _survey_reporter(case: Case) -> Party | None:
    return Party.objects.filter(case=case, role=PartyRole.REPORTER).select_related("person").order_by("id").first()


def survey_delivery_for(*, case: Case, party: Party) -> tuple[str, str, str]:
    """(delivery, note, email address): email only when it is safe; otherwise the officer gives the link."""
    person = party.person
    safe_contact = (party.safe_contact_notes or (person.safe_contact_notes if person else "")).strip()
    email = (person.email if person else party.email).strip()
    if case.case_type == CaseType.DA or case.sensitivity == Sensitivity.DA:
        return SurveyDelivery.OFFICER, "Domestic abuse case: give the link only when it is safe to", ""
    if safe_contact:
        return SurveyDelivery.OFFICER, "The reporter has safe-contact instructions: follow them to give the link", ""
    if not email:
        return SurveyDelivery.OFFICER, "The reporter has no email address: give them the link another way", ""
    return SurveyDelivery.EMAIL, "", email


def survey_url(token: str) -> str:
    """The full private survey link for a token."""
    return public_url(reverse("survey:answer", args=[token]))


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _send_survey_email(*, invitation: SurveyInvitation, token: str, email: str) -> None:
    context = {
        "reference": invitation.case.reference,
        "landlord_name": settings.LANDLORD_NAME,
        "survey_url": survey_url(token),
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("cases/survey/email_subject.txt", context).strip()
    body = render_to_string("cases/survey/email_invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)


def survey_invite(*, case_id: int) -> str | None:
    """Invite a closed case's reporter to the survey (run on commit); returns the raw token, or None if no reporter."""
    case = Case.objects.get(pk=case_id)
    reporter = _survey_reporter(case)
    if reporter is None:
        audit(actor=None, verb=AuditVerb.CASE_SURVEY_NOT_SENT, obj=case, reason="There is no reporter on the case")
        return None
    delivery, note, email = survey_delivery_for(case=case, party=reporter)
    token = _new_token()
    now = timezone.now()
    with transaction.atomic():
        invitation = SurveyInvitation.objects.create(
            case=case,
            party=reporter,
            token_hash=survey_token_hash(token),
            sent_at=now,
            expires_at=now + SURVEY_VALID_FOR,
            delivery=delivery,
            delivery_note=note,
        )
        audit(actor=None, verb=AuditVerb.SURVEY_INVITED, obj=invitation, after=snapshot(invitation, SURVEY_FIELDS))
    if delivery == SurveyDelivery.EMAIL:
        try:
            _send_survey_email(invitation=invitation, token=token, email=email)
        except Exception:  # the case is closed whatever the mail server says; the officer gives the link instead
            logger.exception("Could not email the survey invitation for case %s", case.reference)
            before = snapshot(invitation, SURVEY_FIELDS)
            invitation.delivery = SurveyDelivery.OFFICER
            invitation.delivery_note = "The email could not be sent: give the reporter the link another way"
            invitation.save(update_fields=["delivery", "delivery_note"])
            audit(
                actor=None,
                verb=AuditVerb.SURVEY_EMAIL_FAILED,
                obj=invitation,
                before=before,
                after=snapshot(invitation, SURVEY_FIELDS),
            )
    return token


def survey_link_issue(*, actor: User, case: Case, request: HttpRequest | None = None) -> tuple[SurveyInvitation, str]:
    """A fresh private survey link for the officer to give the reporter; any earlier link for the case stops working."""
    require(actor, "cases.close_case")
    with transaction.atomic():
        case = _locked(actor=actor, case=case)
        if case.status != Status.CLOSED:
            raise DomainError("The survey is only for closed cases")
        invitation = case_latest_survey(case=case)
        if invitation is not None and invitation.answered_at is not None:
            raise DomainError("The reporter has already answered the survey")
        token = _new_token()
        now = timezone.now()
        if invitation is None:
            reporter = _survey_reporter(case)
            if reporter is None:
                raise DomainError("Add the reporter to the case before giving them a survey link")
            invitation = SurveyInvitation(case=case, party=reporter, sent_at=now)
        before = snapshot(invitation, SURVEY_FIELDS) if invitation.pk else None
        invitation.token_hash = survey_token_hash(token)
        invitation.delivery = SurveyDelivery.OFFICER
        invitation.delivery_note = invitation.delivery_note or "Given to the reporter by the officer"
        invitation.expires_at = now + SURVEY_VALID_FOR
        invitation.save()
        audit(
            actor=actor,
            verb=AuditVerb.SURVEY_LINK_ISSUED,
            obj=invitation,
            before=before,
            after=snapshot(invitation, SURVEY_FIELDS),
            request=request,
        )
    return invitation, token


def _score(value: object) -> int | None:
    """A whole-number answer (1 to 5 once checked); anything else, 3.5 or 'very' included, is no answer."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def survey_answer(
    *, token: str, satisfaction: object, could_do_better: str = "", request: HttpRequest | None = None
) -> SurveyInvitation:
    """Record the reporter's answer through their private link: once only, within 90 days of the link being made."""
    score = _score(satisfaction)
    could_do_better = (could_do_better or "").strip()
    errors: dict[str, str] = {}
    if score not in SatisfactionScore.values:
        errors["satisfaction"] = "Select how satisfied or dissatisfied you are"
    if len(could_do_better) > DO_BETTER_MAX:
        errors["could_do_better"] = f"What we could have done better must be {DO_BETTER_MAX:,} characters or fewer"
    with transaction.atomic():
        invitation = survey_invitation_for_token(token=token)
        if errors:
            raise DomainError(field_errors=errors)
        now = timezone.now()
        # Only the first answer counts, even if two arrive at once: the update matches an unanswered row or nothing.
        answered = SurveyInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
            answered_at=now, satisfaction=score, could_do_better=could_do_better
        )
        if not answered:
            raise SurveyLinkError(SurveyLinkProblem.ANSWERED)
        invitation.refresh_from_db()
        audit(
            actor=AnonymousUser(),
            verb=AuditVerb.SURVEY_ANSWERED,
            obj=invitation,
            after={"satisfaction": score, "answered_at": now.isoformat()},
            request=request,
        )
    return invitation
