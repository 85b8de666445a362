"""Steps shared by the review tests: a panel recorded, a review concluded, its outcome sent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review.models import AccountHow, Application
from saferhomes.case_review.services import letters, review
from saferhomes.referrals.models import Agency


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def record_panel(application: Application, chair: User, agencies: list[Agency], held_on: dt.date | None = None) -> None:
    review.panel_record(
        actor=chair,
        application=application,
        held_on=held_on or days_ago(3),
        chair=chair,
        information_considered="Case records and the police incident log.",
        applicant_account="The noise stops them sleeping; they feel nobody listened.",
        applicant_account_how=AccountHow.PHONE,
        attendees=[
            review.AttendeeInput(name="Cara Coordinator", role="Chair"),
            review.AttendeeInput(name="PC Jones", role="Neighbourhood officer", agency=agencies[0]),
            review.AttendeeInput(name="Sam Lee", role="Mediator", agency_name="Example Mediation"),
        ],
    )


def conclude(application: Application, chair: User, agencies: list[Agency], *, recommend: bool = True) -> Application:
    review.spoc_assign(actor=chair, application=application, spoc=chair)
    record_panel(application, chair, agencies)
    if recommend:
        review.recommendation_add(
            actor=chair,
            application=application,
            text="Patrol the car park every evening for a month.",
            due_on=days_ago(1),
            owner_agency=agencies[0],
        )
        review.recommendation_add(
            actor=chair,
            application=application,
            text="Offer mediation between the two households.",
            due_on=days_ago(-30),
            owner_user=chair,
        )
    review.review_conclude(actor=chair, application=application, outcome="More could have been done sooner.")
    return Application.objects.get(pk=application.pk)


def outcome_sent(application: Application, chair: User, agencies: list[Agency]) -> Application:
    concluded = conclude(application, chair, agencies)
    letters.outcome_letter_send(actor=chair, application=concluded)
    return Application.objects.get(pk=application.pk)
