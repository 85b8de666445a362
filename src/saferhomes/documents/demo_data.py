"""Demo letters (seed step 69, after risk 60 and the referrals 65-67, before the reports 70): on a few working ASB
cases, a warning letter to the alleged perpetrator and an outcome letter to the reporter, sent through `letter_send`
by the case's officer (so each is merged, checked by the perpetrator rule, drawn, recorded as a contact and audited).
A case whose letter the rule or the party's safe-contact instructions refuse is skipped, as an officer would have to."""

from __future__ import annotations

import datetime as dt

from saferhomes.cases.models import Case, CaseType, PartyRole, Sensitivity
from saferhomes.core.calendar import LONDON, add_working_days
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.errors import DomainError
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.documents.models import LetterTemplate
from saferhomes.documents.services.letters import letter_send

DEMO_CASES = 3
WORKING = ("triaged", "open", "reopened")


def seed_letters(ctx: SeedContext) -> None:
    """A warning letter and an outcome letter on up to DEMO_CASES working ASB cases."""
    templates = {t.key: t for t in LetterTemplate.objects.filter(key__in=["warning-letter", "outcome-letter-reporter"])}
    sent = 0
    if len(templates) < 2:
        ctx.counts["letters"] = 0
        return
    cases = (
        Case.objects.filter(
            case_type=CaseType.ASB,
            sensitivity=Sensitivity.NORMAL,
            status__in=WORKING,
            assigned_officer__isnull=False,
            parties__role=PartyRole.ALLEGED_PERPETRATOR,
            incidents__isnull=False,
        )
        .select_related("assigned_officer")
        .distinct()
        .order_by("received_at", "pk")
    )
    # The working day before the seed's today, mid-morning: in the past however late the seed runs, in office hours.
    sent_at = dt.datetime.combine(add_working_days(ctx.today, -1, calendar_current()), dt.time(11, 0), tzinfo=LONDON)
    done = 0
    for case in cases[:30]:
        if done >= DEMO_CASES:
            break
        officer = case.assigned_officer
        assert officer is not None
        perpetrator = case.parties.filter(role=PartyRole.ALLEGED_PERPETRATOR, anonymous=False).first()
        reporter = case.parties.filter(role=PartyRole.REPORTER, anonymous=False).first()
        sent_here = 0
        for party, key in ((perpetrator, "warning-letter"), (reporter, "outcome-letter-reporter")):
            if party is None:
                continue
            try:
                letter_send(actor=officer, case=case, party=party, template=templates[key], sent_at=sent_at)
            except DomainError:
                continue  # refused by the rule or the party's safe-contact instructions: skipped
            sent_here += 1
        sent += sent_here
        done += 1 if sent_here else 0
        ctx.report("letters", done, DEMO_CASES)
    ctx.counts["letters"] = sent


def register_seed_step() -> None:
    """Make `seed_letters` a step of the demo seed at order 69."""
    seed_step_register("letters", seed_letters, order=69)
