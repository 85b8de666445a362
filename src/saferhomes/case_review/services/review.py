"""Running an ASB Case Review once its threshold is met (issue 17 part 4; DESIGN.md §4.3; ADR 0014).

Every write is one transaction on the locked application, permission-checked (`case_review.decide_case_review`) and
audited: the single point of contact, the agencies invited, the panel meeting record, the recommendations (the
action plan) and their progress, concluding the review, then an appeal heard by a different chair.

The status moves on when the applicant is told (`services.letters`): a concluded review stays "review under way" until
its outcome letter is sent, and a concluded appeal stays "appeal under way" until its outcome letter is sent. So the
dashboard's "outcome letters due" is every concluded review or appeal whose letter has not gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review import review_rules as rules
from saferhomes.case_review.models import (
    AccountHow,
    Appeal,
    AppealResult,
    Application,
    ApplicationStatus,
    PanelAttendee,
    Recommendation,
    RecommendationStatus,
    ReviewInvitation,
    ReviewPanel,
    Stage,
)
from saferhomes.case_review.selectors.applications import applications_visible_to
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.edge import text_problem
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Agency

DECIDE_CASE_REVIEW = "case_review.decide_case_review"
TEXT_MAX = 10_000
NAME_MAX = 200


# Timescales -------------------------------------------------------------------------------------------------------


def review_due_at_for(application: Application) -> dt.datetime | None:
    """When the panel should meet: N working days after the threshold decision (None until it is met)."""
    if not application.threshold_met or application.decided_at is None:
        return None
    definition = application.rule_set.definition if application.rule_set_id and application.rule_set else None
    days = rules.timescale_days(definition, "review_working_days", settings.CASE_REVIEW_REVIEW_WORKING_DAYS)
    return rules.review_due(application.decided_at, days, calendar_current())


def outcome_due_at_for(application: Application, held_on: dt.date) -> dt.datetime:
    """When the outcome letter should go: M working days after the panel met."""
    definition = application.rule_set.definition if application.rule_set_id and application.rule_set else None
    days = rules.timescale_days(definition, "outcome_working_days", settings.CASE_REVIEW_OUTCOME_WORKING_DAYS)
    return rules.outcome_due(held_on, days, calendar_current())


# Shared checks ----------------------------------------------------------------------------------------------------


def _locked(actor: User, application: Application) -> Application:
    """The application locked for this change, once the actor may run reviews and see it (else 403/404)."""
    require(actor, DECIDE_CASE_REVIEW)
    if not applications_visible_to(actor=actor).filter(pk=application.pk).exists():
        raise Http404("No such Case Review application")
    return Application.objects.select_for_update(of=("self",)).select_related("rule_set").get(pk=application.pk)


def _in_review(application: Application) -> None:
    if application.status != ApplicationStatus.REVIEW:
        raise DomainError(
            f"{application.reference} is not at the review stage ({application.get_status_display().lower()})"
        )
    if application.review_held_at is not None:
        raise DomainError(f"The review of {application.reference} is concluded: it can no longer be changed")


def _text(errors: dict[str, str], field: str, value: str, label: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            errors[field] = f"Enter {label}"
        return value
    problem = text_problem(value, label.capitalize())
    if problem:
        errors[field] = problem
    elif len(value) > TEXT_MAX:
        errors[field] = f"{label.capitalize()} must be {TEXT_MAX:,} characters or fewer"
    return value


def _day(errors: dict[str, str], field: str, value: dt.date | None, label: str, *, not_before: dt.date | None) -> None:
    today = timezone.localdate()
    if value is None:
        errors[field] = f"Enter {label}"
    elif value > today:
        errors[field] = f"{label.capitalize()} cannot be in the future"
    elif not_before is not None and value < not_before:
        errors[field] = f"{label.capitalize()} cannot be before {not_before:%-d %B %Y}"


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(LONDON).date() if moment is not None else None


def _staff_problem(user: User | None, what: str) -> str:
    if user is None:
        return f"Select {what}"
    if not user.is_active or not user.has_perm(DECIDE_CASE_REVIEW):
        return f"{user.get_full_name() or user.get_username()} cannot run Case Reviews: select someone who can"
    return ""


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


# Single point of contact ------------------------------------------------------------------------------------------


def spoc_assign(
    *, actor: User, application: Application, spoc: User | None, request: HttpRequest | None = None
) -> Application:
    """Name the applicant's single point of contact (any open application); the review deadline is set if missing."""
    with transaction.atomic():
        locked = _locked(actor, application)
        if locked.status not in (ApplicationStatus.RECEIVED, ApplicationStatus.REVIEW, ApplicationStatus.APPEAL):
            raise DomainError(f"{locked.reference} is closed ({locked.get_status_display().lower()})")
        problem = _staff_problem(spoc, "the single point of contact")
        if problem:
            raise DomainError(field_errors={"spoc": problem})
        assert spoc is not None
        before = {"spoc": _name(locked.spoc)}
        locked.spoc = spoc
        if locked.review_due_at is None:
            locked.review_due_at = review_due_at_for(locked)
        locked.version += 1
        locked.save(update_fields=["spoc", "review_due_at", "updated_at", "version"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_SPOC_ASSIGNED,
            obj=locked,
            object_label=locked.reference,
            before=before,
            after={"spoc": _name(spoc)},
            request=request,
        )
    return locked


# Agencies invited -------------------------------------------------------------------------------------------------


def agency_invite(
    *,
    actor: User,
    application: Application,
    agency: Agency | None = None,
    name: str = "",
    request: HttpRequest | None = None,
) -> ReviewInvitation:
    """Invite an agency from the directory, or one not listed by its name (not both, not the same one twice)."""
    with transaction.atomic():
        locked = _locked(actor, application)
        _in_review(locked)
        name = (name or "").strip()
        if agency is None and not name:
            raise DomainError(field_errors={"agency": "Select an agency from the directory, or type its name"})
        if agency is not None and name:
            raise DomainError(field_errors={"name": "Select an agency or type a name, not both"})
        if agency is not None and not agency.active:
            raise DomainError(field_errors={"agency": f"{agency.name} is no longer in use: select another"})
        problem = text_problem(name, "The agency's name") if name else None
        if problem or len(name) > NAME_MAX:
            raise DomainError(
                field_errors={"name": problem or f"The agency's name must be {NAME_MAX} characters or fewer"}
            )
        invited_name = agency.name if agency is not None else name
        if locked.invitations.filter(name__iexact=invited_name).exists() or (
            agency is not None and locked.invitations.filter(agency=agency).exists()
        ):
            raise DomainError(field_errors={"agency" if agency else "name": f"{invited_name} is already invited"})
        invitation = ReviewInvitation.objects.create(
            application=locked, agency=agency, name=invited_name, invited_by=actor
        )
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_AGENCY_INVITED,
            obj=invitation,
            object_label=f"{locked.reference}: {invited_name}"[:200],
            after={"agency": agency.code if agency else None, "name": invited_name},
            request=request,
        )
    return invitation


# The panel meeting ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendeeInput:
    name: str
    role: str
    agency: Agency | None = None
    agency_name: str = ""


def panel_record(
    *,
    actor: User,
    application: Application,
    held_on: dt.date | None,
    chair: User | None,
    information_considered: str,
    applicant_account: str,
    applicant_account_how: str,
    attendees: Sequence[AttendeeInput],
    request: HttpRequest | None = None,
) -> ReviewPanel:
    """Record (or correct, until the review is concluded) the panel meeting: all of it, or nothing."""
    with transaction.atomic():
        locked = _locked(actor, application)
        _in_review(locked)
        errors: dict[str, str] = {}
        _day(errors, "held_on", held_on, "the date the panel met", not_before=_local_date(locked.decided_at))
        problem = _staff_problem(chair, "who chaired the panel")
        if problem:
            errors["chair"] = problem
        information_considered = _text(
            errors, "information_considered", information_considered, "the information the panel considered"
        )
        applicant_account = _text(errors, "applicant_account", applicant_account, "the applicant's own account")
        if applicant_account_how not in AccountHow.values:
            errors["applicant_account_how"] = "Select how the panel heard the applicant's account"
        people = [a for a in attendees if a.name.strip() or a.role.strip() or a.agency or a.agency_name.strip()]
        if not people:
            errors["attendees"] = "Enter at least one person who attended"
        for each in people:
            if not each.name.strip() or not each.role.strip():
                errors["attendees"] = "Enter the name and role of everyone who attended"
            elif any(text_problem(v, "An attendee") for v in (each.name, each.role, each.agency_name)):
                errors["attendees"] = "An attendee's details contain a character we cannot store"
            elif max(len(each.name.strip()), len(each.role.strip()), len(each.agency_name.strip())) > NAME_MAX:
                errors["attendees"] = f"Each attendee's name, agency and role must be {NAME_MAX} characters or fewer"
        if errors:
            raise DomainError(field_errors=errors)
        assert held_on is not None
        assert chair is not None
        panel = ReviewPanel.objects.filter(application=locked).first()
        before: dict[str, Any] | None = None
        if panel is None:
            panel = ReviewPanel(application=locked, recorded_by=actor)
        else:
            before = {"held_on": panel.held_on.isoformat(), "chair": _name(panel.chair)}
        panel.held_on, panel.chair = held_on, chair
        panel.information_considered, panel.applicant_account = information_considered, applicant_account
        panel.applicant_account_how = applicant_account_how
        panel.recorded_by, panel.recorded_at = actor, timezone.now()
        panel.save()
        panel.attendees.all().delete()
        PanelAttendee.objects.bulk_create(
            PanelAttendee(
                panel=panel,
                name=each.name.strip(),
                role=each.role.strip(),
                agency=each.agency,
                agency_name="" if each.agency else each.agency_name.strip(),
            )
            for each in people
        )
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_PANEL_RECORDED,
            obj=panel,
            object_label=locked.reference,
            before=before,
            after={"held_on": held_on.isoformat(), "chair": _name(chair), "attendees": len(people)},
            request=request,
        )
    return panel


# Recommendations (the action plan) ---------------------------------------------------------------------------------


def _stage_for_new_recommendation(application: Application) -> tuple[str, dt.date]:
    """Which stage a new recommendation belongs to, and the earliest date it may be due."""
    if application.status == ApplicationStatus.REVIEW and application.review_held_at is None:
        panel = ReviewPanel.objects.filter(application=application).first()
        if panel is None:
            raise DomainError("Record the panel meeting before its recommendations")
        return Stage.REVIEW, panel.held_on
    if application.status == ApplicationStatus.APPEAL:
        appeal = Appeal.objects.filter(application=application).first()
        if appeal is not None and appeal.concluded_at is None:
            return Stage.APPEAL, appeal.requested_on
    raise DomainError(
        f"Recommendations are made by the review panel or an appeal: {application.reference} is "
        f"{application.get_status_display().lower()}"
    )


def _owner_errors(
    errors: dict[str, str], owner_agency: Agency | None, owner_agency_name: str, owner_user: User | None
) -> None:
    if owner_agency is None and not owner_agency_name and owner_user is None:
        errors["owner_agency"] = "Select the agency or the member of staff who will do it (or both)"
    if owner_agency is not None and owner_agency_name:
        errors["owner_agency_name"] = "Select an agency or type its name, not both"
    if owner_agency_name and (text_problem(owner_agency_name, "The agency") or len(owner_agency_name) > NAME_MAX):
        errors["owner_agency_name"] = f"Enter the agency's name in {NAME_MAX} characters or fewer"
    if owner_user is not None and not owner_user.is_active:
        errors["owner_user"] = f"{_name(owner_user)} no longer works here: select someone else"


def recommendation_add(
    *,
    actor: User,
    application: Application,
    text: str,
    due_on: dt.date | None,
    owner_agency: Agency | None = None,
    owner_agency_name: str = "",
    owner_user: User | None = None,
    request: HttpRequest | None = None,
) -> Recommendation:
    """Add an action to the plan: what, who owns it, by when (not before the meeting that made it)."""
    with transaction.atomic():
        locked = _locked(actor, application)
        stage, earliest = _stage_for_new_recommendation(locked)
        errors: dict[str, str] = {}
        text = _text(errors, "text", text, "what will be done")
        owner_agency_name = (owner_agency_name or "").strip()
        _owner_errors(errors, owner_agency, owner_agency_name, owner_user)
        if due_on is None:
            errors["due_on"] = "Enter the date it is due"
        elif due_on < earliest:
            errors["due_on"] = f"The date it is due cannot be before {earliest:%-d %B %Y}"
        if errors:
            raise DomainError(field_errors=errors)
        assert due_on is not None
        item = Recommendation.objects.create(
            application=locked,
            stage=stage,
            text=text,
            owner_agency=owner_agency,
            owner_agency_name=owner_agency_name,
            owner_user=owner_user,
            due_on=due_on,
            created_by=actor,
        )
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_RECOMMENDATION_ADDED,
            obj=item,
            object_label=f"{locked.reference}: {item}"[:200],
            after={"stage": stage, "owner": item.owner_in_words, "due_on": due_on.isoformat()},
            request=request,
        )
    return item


def _made_on(item: Recommendation) -> dt.date | None:
    """The date of the meeting that made the recommendation (the panel, or the appeal's request)."""
    if item.stage == Stage.APPEAL:
        appeal = Appeal.objects.filter(application_id=item.application_id).first()
        return appeal.requested_on if appeal else None
    panel = ReviewPanel.objects.filter(application_id=item.application_id).first()
    return panel.held_on if panel else None


def recommendation_update(
    *,
    actor: User,
    recommendation: Recommendation,
    status: str,
    completed_on: dt.date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Recommendation:
    """Record progress: in progress, completed (with the date), or could not be completed (with the date and why)."""
    with transaction.atomic():
        locked_app = _locked(actor, recommendation.application)
        item = Recommendation.objects.select_for_update(of=("self",)).get(pk=recommendation.pk, application=locked_app)
        errors: dict[str, str] = {}
        if status not in RecommendationStatus.values:
            errors["status"] = "Select where the recommendation has got to"
        note = _text(errors, "note", note, "a note", required=status == RecommendationStatus.NOT_DONE)
        if status == RecommendationStatus.NOT_DONE and "note" in errors and not note:
            errors["note"] = "Say why it could not be completed"
        finished = status in (RecommendationStatus.DONE, RecommendationStatus.NOT_DONE)
        if finished:
            _day(errors, "completed_on", completed_on, "the date it was finished", not_before=_made_on(item))
        if errors:
            raise DomainError(field_errors=errors)
        before = {"status": item.status, "completed_on": item.completed_on.isoformat() if item.completed_on else None}
        item.status = status
        item.completed_on = completed_on if finished else None
        if note:
            item.note = note
        item.save(update_fields=["status", "completed_on", "note", "updated_at"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_RECOMMENDATION_UPDATED,
            obj=item,
            object_label=f"{locked_app.reference}: {item}"[:200],
            before=before,
            after={"status": status, "completed_on": item.completed_on.isoformat() if item.completed_on else None},
            request=request,
        )
    return item


# Concluding the review ---------------------------------------------------------------------------------------------


def review_conclude(
    *, actor: User, application: Application, outcome: str, request: HttpRequest | None = None
) -> Application:
    """Conclude the review: its outcome in plain English, when it was held, whether it made recommendations, and the
    outcome letter's deadline. The status moves on when the outcome letter is sent."""
    with transaction.atomic():
        locked = _locked(actor, application)
        _in_review(locked)
        panel = ReviewPanel.objects.filter(application=locked).first()
        if panel is None:
            raise DomainError("Record the panel meeting before concluding the review")
        errors: dict[str, str] = {}
        outcome = _text(errors, "outcome", outcome, "what the panel concluded")
        if errors:
            raise DomainError(field_errors=errors)
        now = timezone.now()
        panel.outcome, panel.concluded_at = outcome, now
        panel.save(update_fields=["outcome", "concluded_at"])
        locked.review_held_at = dt.datetime.combine(panel.held_on, dt.time(0), tzinfo=LONDON)
        locked.recommendations_made = locked.recommendations.filter(stage=Stage.REVIEW).exists()
        locked.outcome_due_at = outcome_due_at_for(locked, panel.held_on)
        locked.version += 1
        locked.save(update_fields=["review_held_at", "recommendations_made", "outcome_due_at", "updated_at", "version"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_CONCLUDED,
            obj=locked,
            object_label=locked.reference,
            after={
                "held_on": panel.held_on.isoformat(),
                "recommendations_made": locked.recommendations_made,
                "outcome_due_at": locked.outcome_due_at.isoformat(),
            },
            request=request,
        )
    return locked


# The appeal --------------------------------------------------------------------------------------------------------


def appeal_request(
    *,
    actor: User,
    application: Application,
    requested_on: dt.date | None,
    grounds: str,
    chair: User | None,
    request: HttpRequest | None = None,
) -> Appeal:
    """Record the applicant's appeal against the review's outcome, and who will chair it: never the review's chair."""
    with transaction.atomic():
        locked = _locked(actor, application)
        if locked.status != ApplicationStatus.OUTCOME_SENT:
            raise DomainError(
                "An appeal is against a review's outcome, once the applicant has been told it: "
                f"{locked.reference} is {locked.get_status_display().lower()}"
            )
        panel = ReviewPanel.objects.select_related("chair").get(application=locked)
        errors: dict[str, str] = {}
        _day(
            errors, "requested_on", requested_on, "the date they asked", not_before=_local_date(locked.outcome_sent_at)
        )
        grounds = _text(errors, "grounds", grounds, "why the applicant is appealing")
        problem = _staff_problem(chair, "who chairs the appeal") or rules.appeal_chair_problem(
            chair_id=chair.pk if chair else None, review_chair_id=panel.chair_id
        )
        if problem:
            errors["chair"] = problem
        if errors:
            raise DomainError(field_errors=errors)
        assert chair is not None
        assert requested_on is not None
        appeal = Appeal.objects.create(
            application=locked,
            requested_on=requested_on,
            grounds=grounds,
            chair=chair,
            original_chair=panel.chair,
            recorded_by=actor,
        )
        locked.status = ApplicationStatus.APPEAL
        locked.version += 1
        locked.save(update_fields=["status", "updated_at", "version"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_APPEAL_REQUESTED,
            obj=appeal,
            object_label=locked.reference,
            before={"status": ApplicationStatus.OUTCOME_SENT},
            after={"status": locked.status, "chair": _name(chair), "requested_on": requested_on.isoformat()},
            request=request,
        )
    return appeal


def appeal_conclude(
    *,
    actor: User,
    application: Application,
    held_on: dt.date | None,
    information_considered: str,
    result: str,
    outcome: str,
    request: HttpRequest | None = None,
) -> Appeal:
    """Record the appeal's own outcome. The status moves on when the appeal outcome letter is sent."""
    with transaction.atomic():
        locked = _locked(actor, application)
        appeal = Appeal.objects.select_for_update(of=("self",)).filter(application=locked).first()
        if locked.status != ApplicationStatus.APPEAL or appeal is None:
            raise DomainError(f"{locked.reference} has no appeal under way")
        if appeal.concluded_at is not None:
            raise DomainError(f"The appeal on {locked.reference} is already concluded")
        errors: dict[str, str] = {}
        _day(errors, "held_on", held_on, "the date the appeal was heard", not_before=appeal.requested_on)
        information_considered = _text(
            errors, "information_considered", information_considered, "the information the appeal considered"
        )
        if result not in AppealResult.values:
            errors["result"] = "Select the appeal's result"
        outcome = _text(errors, "outcome", outcome, "the appeal's outcome")
        if errors:
            raise DomainError(field_errors=errors)
        appeal.held_on, appeal.information_considered = held_on, information_considered
        appeal.result, appeal.outcome, appeal.concluded_at = result, outcome, timezone.now()
        appeal.save(update_fields=["held_on", "information_considered", "result", "outcome", "concluded_at"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REVIEW_APPEAL_CONCLUDED,
            obj=appeal,
            object_label=locked.reference,
            after={"result": result, "held_on": appeal.held_on.isoformat() if appeal.held_on else None},
            request=request,
        )
    return appeal
