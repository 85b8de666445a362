"""The Case Review's review over the API (issue 17 parts 4 and 5): what the review page shows — the single point of
contact and deadlines, the agencies invited, the panel meeting, the action plan, the appeal and the letters sent.
Read-only here (the review is run on its pages, where each step is a form the officer checks); 404 for an application
that does not exist or the token holder may not see, as `GET /case-reviews/{reference}`."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from saferhomes.accounts.http import actor_of
from saferhomes.api.schemas import COMMON_ERRORS, ProblemOut, RecordReference
from saferhomes.case_review.review_rules import recommendation_overdue
from saferhomes.case_review.selectors.applications import application_get_for_actor
from saferhomes.case_review.selectors.review import review_record

router = Router(tags=["Case Review"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 404: ProblemOut}


def _name(user: object | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


class InvitationOut(Schema):
    name: str
    agency_code: str | None
    invited_at: dt.datetime


class AttendeeOut(Schema):
    name: str
    agency: str
    role: str


class PanelOut(Schema):
    held_on: dt.date
    chair: str
    attendees: list[AttendeeOut]
    information_considered: str
    applicant_account: str
    applicant_account_how: str
    outcome: str
    concluded_at: dt.datetime | None


class RecommendationOut(Schema):
    id: int
    stage: str
    text: str
    owner: str
    due_on: dt.date
    status: str
    completed_on: dt.date | None
    overdue: bool


class AppealOut(Schema):
    requested_on: dt.date
    grounds: str
    chair: str
    held_on: dt.date | None
    result: str
    outcome: str
    concluded_at: dt.datetime | None
    outcome_sent_at: dt.datetime | None


class ApplicationLetterOut(Schema):
    id: int
    kind: str
    variant: str
    language: str
    sent_at: dt.datetime
    sha256: str


class ReviewOut(Schema):
    reference: str
    status: str
    spoc: str
    review_due_at: dt.datetime | None
    review_held_at: dt.datetime | None
    recommendations_made: bool | None
    outcome_due_at: dt.datetime | None
    outcome_sent_at: dt.datetime | None
    invitations: list[InvitationOut]
    panel: PanelOut | None
    recommendations: list[RecommendationOut]
    appeal: AppealOut | None
    letters: list[ApplicationLetterOut]


@router.get(
    "/case-reviews/{reference}/review",
    response={200: ReviewOut, **READ_ERRORS},
    summary="Read a Case Review's review",
    operation_id="case_reviews_review_read",
    url_name="case-reviews-review-read",
)
def review_read(request: HttpRequest, reference: RecordReference) -> ReviewOut:
    """The review of an application: contact, deadlines, agencies, panel, action plan (each recommendation with
    whether it is overdue), appeal and letters sent."""
    application = application_get_for_actor(actor=actor_of(request), reference=reference)
    record = review_record(application=application)
    today = timezone.localdate()
    panel = record.panel
    appeal = record.appeal
    return ReviewOut(
        reference=application.reference,
        status=application.status,
        spoc=_name(application.spoc),
        review_due_at=application.review_due_at,
        review_held_at=application.review_held_at,
        recommendations_made=application.recommendations_made,
        outcome_due_at=application.outcome_due_at,
        outcome_sent_at=application.outcome_sent_at,
        invitations=[
            InvitationOut(name=i.name, agency_code=i.agency.code if i.agency else None, invited_at=i.invited_at)
            for i in record.invitations
        ],
        panel=None
        if panel is None
        else PanelOut(
            held_on=panel.held_on,
            chair=_name(panel.chair),
            attendees=[
                AttendeeOut(name=a.name, agency=a.agency.name if a.agency else a.agency_name, role=a.role)
                for a in panel.attendees.all()
            ],
            information_considered=panel.information_considered,
            applicant_account=panel.applicant_account,
            applicant_account_how=panel.applicant_account_how,
            outcome=panel.outcome,
            concluded_at=panel.concluded_at,
        ),
        recommendations=[
            RecommendationOut(
                id=r.pk,
                stage=r.stage,
                text=r.text,
                owner=", ".join(
                    part
                    for part in ((r.owner_agency.name if r.owner_agency else r.owner_agency_name), _name(r.owner_user))
                    if part
                ),
                due_on=r.due_on,
                status=r.status,
                completed_on=r.completed_on,
                overdue=recommendation_overdue(status=r.status, due_on=r.due_on, today=today),
            )
            for r in record.recommendations
        ],
        appeal=None
        if appeal is None
        else AppealOut(
            requested_on=appeal.requested_on,
            grounds=appeal.grounds,
            chair=_name(appeal.chair),
            held_on=appeal.held_on,
            result=appeal.result,
            outcome=appeal.outcome,
            concluded_at=appeal.concluded_at,
            outcome_sent_at=appeal.outcome_sent_at,
        ),
        letters=[
            ApplicationLetterOut(
                id=letter.pk,
                kind=letter.kind,
                variant=letter.variant,
                language=letter.language,
                sent_at=letter.sent_at,
                sha256=letter.sha256,
            )
            for letter in record.letters
        ],
    )
