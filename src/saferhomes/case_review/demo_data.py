"""Demo Case Review applications (issue 17): applications at the received and decided stages.

`seed_case_review_applications` is the step "case_review_applications" of `saferhomes seed` (order 72: after the
cases and reports, so the threshold engine finds real complaints). Applicants are register people who reported ASB
or hate on a case (Faker en_GB people only: the register is synthetic), applying by each staff channel and online,
one on a neighbour's behalf with their consent. They go through the same services as staff would:
`application_submit` (numbered, deadline set, complaints searched for) and `threshold_decide` (met or not met, with
reasons). One waits with its decision overdue and one due soon, so the dashboard and the list show both.
`demo_application_decided` makes one decided application for later seed steps (the review stages).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application, ApplicationChannel
from saferhomes.case_review.services.applications import ApplicationDetails, application_submit
from saferhomes.case_review.services.threshold import threshold_decide
from saferhomes.cases.models import CaseType, Party, PartyRole
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.housing.models import ContactMethod, Person

STEP = "case_review_applications"
STORY = (
    "Music and shouting from the flat above most nights after midnight for months. I have reported it again and "
    "again and nothing has changed. I am asking for a review of how my reports were handled."
)
MET_REASONS = (
    "You made three complaints about the same noise in the six months before you applied, each within a month of "
    "the behaviour. The threshold is met, so the partnership will review how your reports were handled."
)
NOT_MET_REASONS = (
    "We found one complaint in the six months before you applied. The threshold is three complaints about the same "
    "problem, so it is not met. We will keep working on your case and you can apply again if it continues."
)


def _staff(role: str) -> User | None:
    return User.objects.filter(role=role, is_active=True).order_by("username").first()


def _applicants(limit: int, today: dt.date) -> list[Person]:
    """Register people who reported ASB or hate on a case received one to five months before `today` (so every
    demo application, received in the last month, finds their complaints), most recent first (one each)."""
    rows = (
        Party.objects.filter(
            role__in=[PartyRole.REPORTER, PartyRole.VICTIM],
            person__isnull=False,
            case__case_type__in=[CaseType.ASB, CaseType.HATE],
            case__received_at__gte=_received(today, 150),
            case__received_at__lt=_received(today, 31),
        )
        .exclude(person__case_review_applications__isnull=False)
        .select_related("person")
        .order_by("-case__received_at", "pk")
    )
    people: list[Person] = []
    for party in rows[: limit * 5]:
        if party.person is not None and party.person not in people:
            people.append(party.person)
        if len(people) == limit:
            break
    return people


def _details(person: Person, *, on_behalf_of: Person | None = None) -> ApplicationDetails:
    return ApplicationDetails(
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        phone=person.phone or person.mobile,
        person=person,
        contact_methods=(ContactMethod.PHONE, ContactMethod.LETTER),
        description=STORY,
        on_behalf=on_behalf_of is not None,
        victim_first_name=on_behalf_of.first_name if on_behalf_of else "",
        victim_last_name=on_behalf_of.last_name if on_behalf_of else "",
        victim_person=on_behalf_of,
        victim_consent=True if on_behalf_of else None,
    )


def _received(today: dt.date, days_ago: int) -> dt.datetime:
    now = timezone.now()
    moment = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(11), tzinfo=LONDON)
    return min(moment, now)


def demo_application_decided(
    *, person: Person, taker: User, decider: User, met: bool, today: dt.date, days_ago: int = 30
) -> Application:
    """One application taken by phone `days_ago` days ago and decided (met or not) with reasons: for seed steps."""
    submitted = application_submit(
        details=_details(person), channel=ApplicationChannel.PHONE, actor=taker, received_at=_received(today, days_ago)
    )
    rule_key = "three_complaints"
    return threshold_decide(
        actor=decider,
        application=submitted.application,
        rule_key=rule_key,
        met=met,
        reasons=MET_REASONS if met else NOT_MET_REASONS,
    )


def seed_case_review_applications(ctx: SeedContext) -> None:
    """Applications waiting for a decision (one overdue, one due soon, one on behalf, one online) and decided."""
    taker, decider = _staff(Role.OFFICER), _staff(Role.COORDINATOR)
    people = _applicants(7, ctx.today)
    if taker is None or decider is None or len(people) < 7:
        ctx.counts["case_review_applications"] = 0
        return
    made: list[Application] = []
    waiting = [(ApplicationChannel.LETTER, 20), (ApplicationChannel.PHONE, 12), (ApplicationChannel.EMAIL, 2)]
    for person, (channel, days_ago) in zip(people[:3], waiting, strict=True):
        made.append(
            application_submit(
                details=_details(person), channel=channel, actor=taker, received_at=_received(ctx.today, days_ago)
            ).application
        )
    made.append(
        application_submit(
            details=_details(people[3], on_behalf_of=people[4]),
            channel=ApplicationChannel.PARTNER,
            actor=taker,
            received_at=_received(ctx.today, 3),
        ).application
    )
    for person, met in ((people[5], True), (people[6], False)):
        made.append(demo_application_decided(person=person, taker=taker, decider=decider, met=met, today=ctx.today))
    audit(
        actor=None,
        verb=AuditVerb.CASE_REVIEW_SEEDED,
        object_type="case_review.application",
        after={"applications": [a.reference for a in made]},
    )
    ctx.counts["case_review_applications"] = len(made)


def register_seed_step() -> None:
    """Make `seed_case_review_applications` a step of the demo seed (72: after the reports)."""
    seed_step_register(STEP, seed_case_review_applications, order=72)
