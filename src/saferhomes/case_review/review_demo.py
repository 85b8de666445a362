"""Demo Case Reviews at every stage after the threshold decision (issue 17 parts 4, 5 and 7).

`seed_case_review_reviews` is the demo seed's step "case_review_reviews" (order 73, after the reports and the Case
Review applications step), registered from CaseReviewConfig.ready. Synthetic applicants (Faker en_GB). The threshold
decision is written directly (the demo's stand-in for the decision service); everything after it goes through the
review and letter services as the coordinator (the review's chair) and the manager (the appeal's chair), so the demo
obeys every rule those services enforce and holds real letters:

- threshold not met, the decision letter sent;
- review under way: contact named and agencies invited, no meeting yet;
- review under way: the panel has met, recommendations added, not concluded;
- review concluded, its outcome letter due;
- outcome sent (a Welsh-speaking applicant who asked for large print), one recommendation done and one overdue;
- appeal under way, chaired by the manager;
- appeal concluded, its letter sent.

Last April-to-March year also gets a handful of decided applications (rows only) so the public statistics page has
figures above the small-number threshold to show.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import (
    APPLICATION_PREFIX,
    AccountHow,
    Application,
    ApplicationChannel,
    ApplicationStatus,
    Recommendation,
    RecommendationStatus,
)
from saferhomes.case_review.review_rules import statistics_year_of
from saferhomes.case_review.services import letters, review
from saferhomes.cases.references import reference_next
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.referrals.models import Agency

if TYPE_CHECKING:
    from faker import Faker

STEP = "case_review_reviews"
ORDER = 73
PROBLEMS = (
    "Drug dealing from the flat below, with people coming and going all night. We have reported it again and again.",
    "Motorbikes ridden across the green and along the footpath every evening. Nothing changes.",
    "A neighbour shouts abuse at my family because of our religion. We reported it three times this year.",
    "Groups gather in the stairwell, smoke cannabis and leave needles. The landlord says it is a police matter.",
    "Loud music and parties every weekend until 4am. We have diaries going back months.",
    "Our car has been damaged four times and bins set on fire outside our home.",
    "Youths throw stones at our windows and shout at my son, who is disabled.",
)


@dataclass
class _Demo:
    ctx: SeedContext
    rng: random.Random
    fake: Faker


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def _application(
    demo: _Demo, *, received: dt.date, met: bool | None, decided_after: int = 6, **extra: Any
) -> Application:
    rng, fake = demo.rng, demo.fake
    first, last = fake.first_name(), fake.last_name()
    received_at = _at(received, rng.choice((9, 11, 14, 16)))
    application = Application(
        reference=reference_next(prefix=APPLICATION_PREFIX, received_at=received_at),
        channel=rng.choice([ApplicationChannel.WEB, ApplicationChannel.PHONE, ApplicationChannel.LETTER]),
        received_at=received_at,
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@example.com".lower().replace(" ", "").replace("'", ""),
        phone=f"07700 900{rng.randint(100, 999)}",
        address=fake.street_address().replace("\n", ", "),
        postcode=fake.postcode(),
        contact_methods=["letter", "phone"],  # the demo never emails anybody
        description=rng.choice(PROBLEMS),
        location_text=fake.street_name(),
    )
    for name, value in extra.items():
        setattr(application, name, value)
    if met is not None:
        application.threshold_met = met
        application.threshold_suggested_met = met
        application.decided_at = _at(received + dt.timedelta(days=decided_after), 15)
        application.decision_reasons = (
            "Three complaints about the same behaviour in the six months before you applied, each made within a "
            "month of what happened."
            if met
            else "We found two complaints about this behaviour in the six months before you applied. The threshold "
            "is three."
        )
        application.status = ApplicationStatus.REVIEW if met else ApplicationStatus.THRESHOLD_NOT_MET
    application.save()
    if met:
        application.review_due_at = review.review_due_at_for(application)
        application.save(update_fields=["review_due_at"])
    return application


def _panel(application: Application, chair: User, agencies: list[Agency], held_on: dt.date) -> None:
    attendees = [
        review.AttendeeInput(name=chair.get_full_name(), role="Chair"),
        *(
            review.AttendeeInput(name=f"{agency.name} representative", role="Partner", agency=agency)
            for agency in agencies[:2]
        ),
    ]
    review.panel_record(
        actor=chair,
        application=application,
        held_on=held_on,
        chair=chair,
        information_considered="The case records, the police incident log, the council's noise diary and the "
        "history of the applicant's reports.",
        applicant_account="The applicant told the single point of contact how the behaviour has affected their "
        "sleep and health, and that they no longer feel safe using the stairwell.",
        applicant_account_how=AccountHow.MET_SPOC,
        attendees=attendees,
    )


def _recommend(application: Application, actor: User, agencies: list[Agency], due: list[dt.date]) -> None:
    texts = (
        "Patrol the estate every evening for four weeks and share what is found with the landlord.",
        "Offer mediation between the households, and support for the applicant.",
        "Fit better lighting and a secure door entry system to the block.",
    )
    for index, due_on in enumerate(due):
        agency = agencies[index % len(agencies)] if agencies and index % 2 == 0 else None
        review.recommendation_add(
            actor=actor,
            application=application,
            text=texts[index % len(texts)],
            due_on=due_on,
            owner_agency=agency,
            owner_user=None if agency else actor,
        )


def _to_review(demo: _Demo, chair: User, agencies: list[Agency], days_ago: int, **extra: Any) -> Application:
    application = _application(demo, received=demo.ctx.today - dt.timedelta(days=days_ago), met=True, **extra)
    review.spoc_assign(actor=chair, application=application, spoc=chair)
    for agency in agencies[:3]:
        review.agency_invite(actor=chair, application=application, agency=agency)
    letters.decision_letter_send(actor=chair, application=application)
    return application


def _concluded(demo: _Demo, chair: User, agencies: list[Agency], days_ago: int, **extra: Any) -> Application:
    application = _to_review(demo, chair, agencies, days_ago, **extra)
    today = demo.ctx.today
    held_on = today - dt.timedelta(days=max(days_ago - 20, 1))
    _panel(application, chair, agencies, held_on)
    _recommend(application, chair, agencies, [held_on + dt.timedelta(days=14), today + dt.timedelta(days=30)])
    review.review_conclude(
        actor=chair,
        application=application,
        outcome="The panel found that the reports were not joined up between the landlord and the police, and "
        "that more could have been done sooner. It has agreed the actions below.",
    )
    return Application.objects.get(pk=application.pk)


def _historic_year(demo: _Demo) -> int:
    """Last April-to-March year: 8 applications, 3 not met, 5 reviews held, 4 with recommendations (rows only)."""
    last = statistics_year_of(demo.ctx.today)
    start = dt.date(last.start_year - 1, 4, 1)
    made = 0
    for index in range(8):
        received = start + dt.timedelta(days=20 + index * 35)
        met = index >= 3
        application = _application(demo, received=received, met=met)
        application.applicant_told_at = application.decided_at
        if met:
            held = received + dt.timedelta(days=30)
            application.review_held_at = _at(held, 0)
            application.recommendations_made = index != 3
            application.outcome_sent_at = _at(held + dt.timedelta(days=4), 12)
            application.status = ApplicationStatus.OUTCOME_SENT
        application.save()
        made += 1
    return made


def seed_case_review_reviews(ctx: SeedContext) -> None:
    """Applications at each stage of the review (see the module docstring)."""
    chair = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("username").first()
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("username").first()
    if chair is None or manager is None:
        ctx.counts["case_review_reviews"] = 0
        return
    rng = random.Random(f"{ctx.seed}:{STEP}")  # noqa: S311 (demo data, not secrets)
    demo = _Demo(ctx=ctx, rng=rng, fake=ctx.faker(STEP))
    agencies = list(Agency.objects.filter(active=True).order_by("name")[:4])
    with transaction.atomic():
        made = _historic_year(demo)

        not_met = _application(demo, received=ctx.today - dt.timedelta(days=20), met=False)
        letters.decision_letter_send(actor=chair, application=not_met)

        _to_review(demo, chair, agencies, 10)

        meeting = _to_review(demo, chair, agencies, 35)
        _panel(meeting, chair, agencies, ctx.today - dt.timedelta(days=2))
        _recommend(meeting, chair, agencies, [ctx.today + dt.timedelta(days=21)])

        _concluded(demo, chair, agencies, 45)

        told = _concluded(demo, chair, agencies, 70, preferred_language="Welsh", preferred_format="large_print")
        letters.outcome_letter_send(actor=chair, application=told)
        first = Recommendation.objects.filter(application=told).order_by("due_on").first()
        if first is not None and first.due_on <= ctx.today:
            review.recommendation_update(
                actor=chair,
                recommendation=first,
                status=RecommendationStatus.DONE,
                completed_on=ctx.today,
                note="Patrols done; findings shared at the monthly meeting.",
            )
        overdue = _concluded(demo, chair, agencies, 90)
        letters.outcome_letter_send(actor=chair, application=overdue)  # its first action is past due: overdue

        # Letters are sent now, so an appeal (asked for after its outcome letter) is dated today by the clock.
        asked_on = max(ctx.today, timezone.localdate())
        appealing = _concluded(demo, chair, agencies, 80)
        letters.outcome_letter_send(actor=chair, application=appealing)
        review.appeal_request(
            actor=chair,
            application=appealing,
            requested_on=asked_on,
            grounds="The applicant says the panel did not look at the council's noise records.",
            chair=manager,
        )

        appealed = _concluded(demo, chair, agencies, 100)
        letters.outcome_letter_send(actor=chair, application=appealed)
        review.appeal_request(
            actor=chair,
            application=appealed,
            requested_on=asked_on,
            grounds="The applicant feels the recommendations do not deal with the drug dealing.",
            chair=manager,
        )
        review.appeal_conclude(
            actor=manager,
            application=appealed,
            held_on=asked_on,
            information_considered="The review's record, the applicant's letter and the police's intelligence report.",
            result="partly_upheld",
            outcome="The appeal agreed that the police should be asked to add a further action on drug dealing.",
        )
        letters.appeal_outcome_letter_send(actor=manager, application=appealed)
        made += 8
        ctx.counts["case_review_reviews"] = made
        audit(
            actor=None,
            verb=AuditVerb.CASE_REVIEW_REVIEWS_SEEDED,
            object_type="case_review.application",
            object_label=f"Demo Case Reviews, seed {ctx.seed}",
            after={"applications": made, "seed": ctx.seed},
        )


def register_seed_step() -> None:
    """Make `seed_case_review_reviews` a step of the demo seed (73: after the reports and Case Review applications)."""
    seed_step_register(STEP, seed_case_review_reviews, order=ORDER)
