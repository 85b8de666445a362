"""Demo reports (a step of `saferhomes seed`, after the cases): a triage queue to work, and email drafts.

- a dozen reports awaiting triage, by phone, letter, in person, from partners, out of hours, the web form and the
  API, received over the last fortnight — some overdue, some due soon, one DA (only DA specialists and managers see
  it), one anonymous, some from people on the housing register — and two drafts from the intake mailbox;
Reports are not linked to the demo cases: `Report.case` protects a case from deletion, and the seed's own tests
clear cases directly (a triaged demo report would need those clean-ups to delete reports first).
Deterministic for a seed: everything is drawn from the step's own random stream. Everyone is made up.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.utils import timezone

from saferhomes.cases.models import CaseType, HateStrand
from saferhomes.cases.references import reference_next
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar_config import case_response_due
from saferhomes.core.seed import seed_step_register
from saferhomes.housing.demo_data import SeedContext
from saferhomes.housing.models import Person
from saferhomes.intake import rules
from saferhomes.intake.models import REPORT_PREFIX, Channel, InboundEmail, Report, ReportStatus

LONDON = ZoneInfo("Europe/London")
STEP = "reports"

# (channel, problem, description, hours before 09:00 today it arrived)
QUEUE: tuple[tuple[str, str, str, int], ...] = (
    (Channel.PHONE, "noise", "Loud music and shouting from the flat below every night this week, until 3am.", 2),
    (Channel.WEB, "rubbish", "Mattresses and bin bags dumped by the garages again; rats seen this morning.", 5),
    (Channel.LETTER, "communal", "Young people gathering in the stairwell, smoking and blocking the way up.", 30),
    (Channel.IN_PERSON, "abuse", "My neighbour shouts at me when I go out and calls me names in front of my kids", 54),
    (Channel.PARTNER, "drugs", "Police report: suspected drug dealing from a flat, cars coming and going.", 75),
    (Channel.OUT_OF_HOURS, "threats_violence", "Out of hours: a resident was threatened with a knife.", 14),
    (Channel.WEB, "hate", "Someone wrote racist graffiti on our front door and shouted abuse at my husband.", 20),
    (Channel.PHONE, "domestic_abuse", "Caller says her ex-partner keeps coming to the flat and will not leave.", 8),
    (Channel.API, "vehicles", "Abandoned van blocking the emergency access road for two weeks.", 170),
    (Channel.PHONE, "pets", "Dog left barking on a balcony all day, every day.", 200),
    (Channel.IN_PERSON, "damage", "The entry door glass has been smashed for the third time this month.", 26),
    (Channel.LETTER, "noise", "Banging and drilling late at night from the maisonette next door.", 240),
)  # fmt: skip
DRAFTS: tuple[tuple[str, str, str], ...] = (
    ("Noise again", "Dear housing team,\n\nThe people upstairs were up until 4am again with music. Please help.", "jo"),
    ("Fly tipping", "Hello, someone has dumped an old sofa by the bins at the back of block C.", "sam"),
)


def _at(ctx: SeedContext, hours_before: int) -> dt.datetime:
    nine = dt.datetime.combine(ctx.today, dt.time(9, 0), tzinfo=LONDON)
    return min((nine - dt.timedelta(hours=hours_before)).astimezone(dt.UTC), timezone.now())


def _report(
    *, received_at: dt.datetime, channel: str, problem_key: str, description: str, status: str = ReportStatus.NEW
) -> Report:
    problem = rules.PROBLEMS_BY_KEY[problem_key]
    reasons = rules.urgency_reasons(case_type=problem.case_type, answers={}, problem=problem_key)
    urgent = rules.is_urgent(reasons)
    reference = reference_next(prefix=REPORT_PREFIX, received_at=received_at)
    while Report.objects.filter(reference=reference).exists():  # a re-seed after the counters were cleared
        reference = reference_next(prefix=REPORT_PREFIX, received_at=received_at)
    return Report(
        reference=reference,
        channel=channel,
        status=status,
        received_at=received_at,
        response_due_at=case_response_due(received_at, urgent=urgent),
        case_type=problem.case_type,
        problem=problem.key,
        category=problem.category,
        sub_types=list(problem.sub_types),
        hate_strands=[HateStrand.RACE] if problem.case_type == CaseType.HATE else [],
        description=description,
        urgent=urgent,
        urgent_reasons=reasons,
        created_at=received_at,
    )


def _reporter(report: Report, rng: random.Random, people: list[Person], ctx: SeedContext) -> None:
    roll = rng.random()
    if roll < 0.1:
        report.anonymous = True
    elif roll < 0.55 and people:
        person = rng.choice(people)
        report.person = person
        report.first_name, report.last_name, report.email = person.first_name, person.last_name, person.email
        report.phone = person.phone or person.mobile
    else:
        fake = ctx.faker(STEP)
        report.first_name, report.last_name = fake.first_name(), fake.last_name()
        report.email = f"{report.first_name}.{report.last_name}@example.org".lower()
        report.phone = f"07700 900{rng.randrange(0, 1000):03d}"  # Ofcom's drama range


def seed_reports(ctx: SeedContext) -> None:
    """The triage queue and two email drafts (see the module docstring)."""
    rng = ctx.faker(STEP).random
    people = list(ctx.people[:500]) or list(Person.objects.order_by("pk")[:500])
    made = 0
    for channel, problem, description, hours in QUEUE:
        report = _report(received_at=_at(ctx, hours), channel=channel, problem_key=problem, description=description)
        _reporter(report, rng, people, ctx)
        if report.case_type == CaseType.DA:
            report.safe_contact_notes = "Only call her mobile between 10am and 2pm; never leave a voicemail."
        report.location_text = rng.choice(("Block B stairwell", "Garages behind the flats", "The landing, 3rd floor"))
        report.save()
        made += 1
    for index, (subject, body, sender) in enumerate(DRAFTS):
        received = _at(ctx, 1 + index * 3)
        report = _report(
            received_at=received,
            channel=Channel.EMAIL,
            problem_key="other",
            description=f"Subject: {subject}\n\n{body}",
            status=ReportStatus.DRAFT,
        )
        report.first_name, report.email = sender, f"{sender}@example.org"
        report.save()
        InboundEmail.objects.update_or_create(
            message_id=f"<demo-{ctx.seed}-{index}@example.org>",
            defaults={
                "source": "imap",
                "from_address": report.email,
                "subject": subject,
                "body_text": body,
                "received_at": received,
                "report": report,
            },
        )
        made += 1
    ctx.counts["reports_awaiting_triage"] = made
    audit(
        actor=None,
        verb=AuditVerb.REPORTS_SEEDED,
        object_type="intake.report",
        object_label=f"Demo reports, seed {ctx.seed}",
        after={"awaiting_triage": made, "seed": ctx.seed},
    )


def register_seed_step() -> None:
    """Add `seed_reports` to the demo seed's steps, once, after the cases (and their risk assessments)."""
    seed_step_register(STEP, seed_reports, order=70)
