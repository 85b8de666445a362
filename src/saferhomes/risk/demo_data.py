"""Demo risk assessments: most working demo cases (triaged, open, reopened, closing) are assessed, many reassessed.

`seed_risk` is a step of `saferhomes seed`, after the cases (registered from `RiskConfig.ready` through
`risk.extensions.register`). ASB and hate cases get the ASB/hate matrix, DA cases the DA checklist (some with 14 or
more 'yes' answers and a MARAC referral required: most recorded as made, one or two left outstanding on open cases,
one declined by a manager, and repeat referrals where a case was referred before), some cases the household factors
too; a few bands are overridden with a reason; about a quarter of the latest assessments are overdue for
reassessment, so the dashboard's panel has something true to show. Every score, band, reason and MARAC decision is
worked out by the instrument's own rules (`risk.rules`), exactly as the services would. Closed and new cases are left
alone, so the demo's closures still obey the closure rules. Deterministic: one random stream per seed, `ctx.today`.
Rows are bulk-inserted; the cases' priorities follow their latest band.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, Party, PartyRole, Status
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.risk import rules
from saferhomes.risk.models import (
    Assessment,
    ChecklistWaiver,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    MaracConsent,
    MaracDecision,
)
from saferhomes.risk.selectors.assessments import WORKING_STATUSES, instrument_definition

LONDON = ZoneInfo("Europe/London")
ASSESSED_SHARE = 0.85  # "most" working cases have been assessed
OVERDUE_SHARE = 0.25
OVERRIDE_SHARE = 0.06
FACTORS_SHARE = 0.2
OVERRIDE_REASONS = (
    "The score does not reflect the threats made since: the family is moving out at weekends.",
    "Second-hand answers from the reporter's daughter; the risk to the reporter looks higher in person.",
    "Police intelligence shared at the partnership meeting points to a higher risk.",
)
NOT_REFERRED_REASON = "The case was heard at MARAC last month and the action plan is in place; no new referral."
PROFESSIONAL_JUDGEMENT = "Visible injuries at the home visit and she would not talk while he was in the flat."


@dataclass
class _Built:
    assessments: list[Assessment] = field(default_factory=list)
    decisions: list[tuple[int, MaracDecision]] = field(default_factory=list)  # (index in assessments, decision)
    priorities: dict[int, str] = field(default_factory=dict)


class _Maker:
    """Builds the assessments of one case after another from one random stream."""

    def __init__(self, ctx: SeedContext, instruments: dict[str, Instrument], manager: User | None) -> None:
        self.rng: random.Random = ctx.faker("risk").random  # the step's own stream: seed and step name
        self.today = ctx.today
        self.now = dt.datetime.combine(ctx.today, dt.time(9, 0), tzinfo=LONDON)
        self.instruments = instruments
        self.definitions = {key: instrument_definition(instrument) for key, instrument in instruments.items()}
        self.manager = manager
        self.built = _Built()
        # The last MARAC referral made, by case and by register person (repeat referrals, as the service finds them).
        self.referred_case: dict[int, dt.date] = {}
        self.referred_person: dict[int, dt.date] = {}
        self.da_stories = ["repeat", "outstanding", "escalation", "judgement", "medium", "standard"]
        self.fate = "made"  # what becomes of the current case's required MARAC referral

    def _matrix_answers(self, level: int) -> dict[str, str]:
        answers = {}
        for question in self.definitions["asb-hate-matrix"].questions:
            options = sorted(question.options, key=lambda option: option.weight)
            # Level 0 leans to the harmless answers, level 2 to the most serious.
            weights = [(index + 1) ** (level * 1.2) if level else 1 / (index + 1) ** 2 for index in range(len(options))]
            answers[question.id] = self.rng.choices(options, weights=weights)[0].value
        return answers

    def _checklist_answers(self, yes: int, callouts: int) -> dict[str, str]:
        """The DA checklist with `yes` questions (chosen at random) answered 'yes', a few 'not known', the rest 'no'."""
        definition = self.definitions["da-checklist"]
        asked = [question for question in definition.questions if question.type == rules.YES_NO_UNKNOWN]
        chosen = set(self.rng.sample([question.id for question in asked], yes))
        answers = {}
        for question in asked:
            if question.id in chosen:
                answers[question.id] = rules.YES
            else:
                answers[question.id] = rules.NOT_KNOWN if self.rng.random() < 0.08 else rules.NO
        if definition.callouts_question:
            answers[definition.callouts_question] = str(callouts)
        return answers

    def _factors_answers(self) -> dict[str, str]:
        answers = {}
        for question in self.definitions["household-factors"].questions:
            if self.rng.random() < 0.3:
                continue  # optional questions: not every one is asked
            if question.type == rules.NUMBER:
                answers[question.id] = str(self.rng.randint(0, 3))
            else:
                answers[question.id] = self.rng.choice(question.options).value
        return answers

    def _at(self, day: dt.date, case: Case) -> dt.datetime:
        """A time in office hours on `day`, after the report came in and not after the seed's 'now'."""
        moment = dt.datetime.combine(day, dt.time(self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45))), LONDON)
        return min(max(moment, case.received_at + dt.timedelta(hours=2)), self.now)

    def _da_plan(self, count: int) -> tuple[list[tuple[int, int]], str]:
        """(yes answers, police call-outs) for each checklist, oldest first, and what becomes of a required referral.

        The first DA cases follow set stories, so that even a small demo has each kind of MARAC decision: a repeat
        referral, one left outstanding, potential escalation, professional judgement declined by a manager, medium
        and standard risk. Later ones are drawn at random."""
        story = self.da_stories.pop(0) if self.da_stories else ""
        if story == "repeat":
            return [(15, 1), (16, 2)], "made"
        if story == "outstanding":
            return [(11, 1), (15, 2)], "outstanding"
        if story == "escalation":
            return [(8, 4)], "made"
        if story == "judgement":
            return [(12, 1)], "declined"
        if story == "medium":
            return [(11, 0), (10, 1)], "made"
        if story == "standard":
            return [(5, 0)], "made"
        yes = self.rng.randint(2, 18)
        plan = []
        for _ in range(count):
            plan.append((yes, self.rng.choices(range(6), weights=[30, 20, 20, 15, 10, 5])[0]))
            yes = max(0, min(24, yes + self.rng.randint(-4, 3)))
        return plan, "made"

    def make(self, case: Case, subject: Party | None) -> None:
        """The case's assessments, oldest first: one to four, spaced by their bands' intervals."""
        da = case.case_type == CaseType.DA
        key = "da-checklist" if da else "asb-hate-matrix"
        definition = self.definitions[key]
        count = self.rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
        overdue = self.rng.random() < OVERDUE_SHARE
        answer_sets: list[dict[str, str]] = []
        self.fate = "made"
        if da:
            plan, self.fate = self._da_plan(count)
            answer_sets = [self._checklist_answers(yes, callouts) for yes, callouts in plan]
        else:
            level = self.rng.choices((0, 1, 2), weights=(45, 35, 20))[0]
            for _ in range(count):
                answer_sets.append(self._matrix_answers(level))
                level = max(0, min(2, level + self.rng.choice((-1, 0, 0, 1))))
        bands = [rules.score(definition, answers).band for answers in answer_sets]
        days = self._days(case, [(band.reassess_days if band else None) or 28 for band in bands], overdue=overdue)
        answer_sets = answer_sets[len(answer_sets) - len(days) :]
        if self.rng.random() < FACTORS_SHARE:
            self._add(case, subject, "household-factors", self._factors_answers(), days[0])
        for index, answers in enumerate(answer_sets):
            self._add(case, subject, key, answers, days[index], latest=index == len(answer_sets) - 1)

    def _days(self, case: Case, intervals: list[int], *, overdue: bool) -> list[dt.date]:
        """The days of the assessments, laid out back from the latest (overdue for reassessment, or not), each an
        interval (give or take) before the next, none before the case was triaged."""
        first_day = min((case.triaged_at or case.received_at).astimezone(LONDON).date(), self.today)
        back = intervals[-1] + self.rng.randint(1, 10) if overdue else self.rng.randint(0, max(0, intervals[-1] - 1))
        days = [max(self.today - dt.timedelta(days=back), first_day)]
        for interval in reversed(intervals[:-1]):
            earlier = days[-1] - dt.timedelta(days=interval + self.rng.randint(-2, 3))
            if earlier < first_day:
                if days[-1] > first_day:
                    days.append(first_day)
                break
            days.append(earlier)
        days.reverse()
        return days

    def _add(
        self, case: Case, subject: Party | None, key: str, answers: dict[str, str], day: dt.date, latest: bool = False
    ) -> None:
        definition = self.definitions[key]
        scored = rules.score(definition, answers)
        assessed_at = self._at(day, case)
        assessed_on = assessed_at.astimezone(LONDON).date()
        assessment = Assessment(
            case=case,
            instrument=self.instruments[key],
            subject=subject,
            answers=answers,
            score=scored.score,
            yes_count=scored.yes_count,
            computed_band=scored.band.key if scored.band else "",
            band=scored.band.key if scored.band else "",
            reasons=list(scored.reasons),
            reassess_by=rules.reassess_by(band=scored.band, assessed_on=assessed_on),
            assessed_by=case.assigned_officer,
            assessed_at=assessed_at,
        )
        band = scored.band
        if latest and band is not None and self.rng.random() < OVERRIDE_SHARE:
            higher = [b for b in definition.bands if b.min_score > band.min_score]
            if higher:
                band = higher[0]
                assessment.band = band.key
                assessment.override_reason = self.rng.choice(OVERRIDE_REASONS)
                assessment.overridden_by = case.assigned_officer
                assessment.overridden_at = assessed_at + dt.timedelta(hours=1)
                assessment.reassess_by = rules.reassess_by(band=band, assessed_on=assessed_on)
        self.built.assessments.append(assessment)
        if definition.kind == rules.CHECKLIST:
            self._decide(case, subject, definition, scored, answers, assessment, assessed_on, latest)
        if band is not None:
            self.built.priorities[case.pk] = band.priority

    def _decide(
        self,
        case: Case,
        subject: Party | None,
        definition: rules.Definition,
        scored: rules.Scored,
        answers: dict[str, str],
        assessment: Assessment,
        assessed_on: dt.date,
        latest: bool,
    ) -> None:
        judgement = latest and self.fate == "declined"
        person = subject.person_id if subject is not None else None
        earlier = [self.referred_case.get(case.pk), self.referred_person.get(person) if person is not None else None]
        previous = max((day for day in earlier if day is not None), default=None)
        callouts = rules.police_callouts(definition, answers)
        outcome = rules.marac_decision(
            definition=definition,
            scored=scored,
            police_callouts_12m=callouts,
            professional_judgement=judgement,
            last_referral_on=previous,
            today=assessed_on,
        )
        assessment.reasons = [*assessment.reasons, *outcome.reasons]
        decision = MaracDecision(
            case=case,
            required=outcome.required,
            grounds=list(outcome.grounds),
            professional_judgement_reason=PROFESSIONAL_JUDGEMENT if judgement else "",
            police_callouts_12m=callouts,
            consent=self.rng.choice(MaracConsent.values),
            repeat=outcome.repeat,
            previous_referral_on=previous,
            decided_at=assessment.assessed_at,
        )
        if outcome.required:
            may_stay_open = latest and case.status != Status.CLOSING  # a case put forward for closure has no blocker
            if may_stay_open and self.fate == "outstanding":
                pass
            elif may_stay_open and self.fate == "declined" and self.manager is not None:
                decision.not_referred_reason = NOT_REFERRED_REASON
                decision.not_referred_by = self.manager
                decision.not_referred_at = assessment.assessed_at + dt.timedelta(days=1)
            else:
                made_on = min(assessed_on + dt.timedelta(days=self.rng.randint(0, 3)), self.today)
                decision.referral_made_on = made_on
                decision.referral_recorded_by = case.assigned_officer
                self.referred_case[case.pk] = made_on
                if person is not None:
                    self.referred_person[person] = made_on
        self.built.decisions.append((len(self.built.assessments) - 1, decision))


def _subjects(cases: list[Case]) -> dict[int, Party]:
    """The person each case's assessments are about: its first named victim, else its first named reporter."""
    found: dict[int, Party] = {}
    parties = Party.objects.filter(case__in=cases, role__in=(PartyRole.VICTIM, PartyRole.REPORTER), anonymous=False)
    for party in parties.order_by("case_id", "-role", "id"):  # "victim" sorts after "reporter": victims first
        found.setdefault(party.case_id, party)
    return found


def _closed_da_waivers() -> int:
    """Closed demo DA cases were never assessed here: the approving manager recorded why (issue 14 item 8)."""
    closed = Case.objects.filter(
        case_type=CaseType.DA, status=Status.CLOSED, closure_approved_by__isnull=False, da_checklist_waiver__isnull=True
    ).exclude(risk_assessments__instrument__kind=InstrumentKind.CHECKLIST)
    waivers = [
        ChecklistWaiver(
            case=case,
            reason="The victim chose to work with the IDVA, who completed the risk assessment with her.",
            recorded_by_id=approver,
            recorded_at=case.closure_approved_at or case.closed_at or case.received_at,
        )
        for case in closed
        if (approver := case.closure_approved_by_id) is not None
    ]
    ChecklistWaiver.objects.bulk_create(waivers)
    return len(waivers)


def seed_risk(ctx: SeedContext) -> None:
    """Assessments and reassessments on most working demo cases (see the module docstring)."""
    ctx.counts["da_checklist_waivers"] = _closed_da_waivers()
    instruments = {
        instrument.key: instrument
        for instrument in Instrument.objects.filter(
            status=InstrumentStatus.PUBLISHED, key__in=["asb-hate-matrix", "da-checklist", "household-factors"]
        )
    }
    cases = list(
        Case.objects.filter(status__in=WORKING_STATUSES, assigned_officer__isnull=False)
        .select_related("assigned_officer")
        .order_by("received_at", "pk")
    )
    if len(instruments) < 3 or not cases:
        ctx.counts["risk_assessments"] = 0
        return
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("username").first()
    maker = _Maker(ctx, instruments, manager)
    subjects = _subjects(cases)
    for case in cases:
        if maker.rng.random() < ASSESSED_SHARE:
            maker.make(case, subjects.get(case.pk))
    built = maker.built
    Assessment.objects.bulk_create(built.assessments, batch_size=1000)
    for index, decision in built.decisions:
        decision.assessment = built.assessments[index]
    MaracDecision.objects.bulk_create([decision for _index, decision in built.decisions], batch_size=1000)
    by_priority: dict[str, list[int]] = {}
    for case_id, priority in built.priorities.items():
        by_priority.setdefault(priority, []).append(case_id)
    for priority, ids in by_priority.items():
        Case.objects.filter(pk__in=ids).update(priority=priority)
    counts: dict[str, Any] = {
        "risk_assessments": len(built.assessments),
        "marac_required": sum(1 for _i, d in built.decisions if d.required),
        "marac_outstanding": sum(1 for _i, d in built.decisions if d.outstanding),
        "marac_repeat": sum(1 for _i, d in built.decisions if d.repeat),
    }
    ctx.counts.update(counts)
    audit(
        actor=None,
        verb=AuditVerb.RISK_SEEDED,
        object_type="risk.assessment",
        object_label=f"Demo risk assessments, seed {ctx.seed}",
        after={**counts, "seed": ctx.seed},
    )


def register_seed_step() -> None:
    """Make `seed_risk` a step of the demo seed, right after the cases (50) and before the reports (70)."""
    seed_step_register("risk", seed_risk, order=60)
