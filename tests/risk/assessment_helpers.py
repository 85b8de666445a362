"""Helpers for tests of assessments on cases: the shipped instruments (published after migrate) and answer sets that
give a known score, band or number of 'yes' answers."""

from __future__ import annotations

from typing import Any

from saferhomes.cases.models import Case, CaseType, Party, PartyRole
from saferhomes.risk import rules
from saferhomes.risk.models import Instrument, InstrumentStatus
from saferhomes.risk.selectors.assessments import instrument_definition
from tests.cases.factories import CaseFactory, PartyFactory, force_status

MATRIX = "asb-hate-matrix"
CHECKLIST = "da-checklist"
FACTORS = "household-factors"
CALLOUTS = "police_callouts_12m"

# Matrix answers worth 26 (high: 24 or more); every other question at its weight-0 option.
MATRIX_HIGH = {
    "physical_harm": "serious",  # 6
    "threats": "weapon_or_kill",  # 5
    "property_targeted": "serious",  # 3
    "disability": "yes",  # 3
    "mental_health": "severe",  # 4
    "frequency": "most_days",  # 5
}
# 12 exactly: the first medium score.
MATRIX_MEDIUM = {"physical_harm": "serious", "threats": "weapon_or_kill", "property_targeted": "minor"}


def published(key: str) -> Instrument:
    """The published version of a shipped instrument."""
    return Instrument.objects.get(key=key, status=InstrumentStatus.PUBLISHED)


def matrix_answers(**chosen: str) -> dict[str, str]:
    """An answer to every matrix question: `chosen` ones as given, the rest at their weight-0 option."""
    definition = instrument_definition(published(MATRIX))
    answers = {}
    for question in definition.questions:
        zero = next(option.value for option in question.options if option.weight == 0)
        answers[question.id] = chosen.get(question.id, zero)
    return answers


def checklist_answers(*, yes: int, not_known: int = 0, callouts: int | None = 0) -> dict[str, str]:
    """The DA checklist with the first `yes` questions 'yes', the next `not_known` 'not known', the rest 'no'."""
    definition = instrument_definition(published(CHECKLIST))
    questions = [q for q in definition.questions if q.type == rules.YES_NO_UNKNOWN]
    assert yes + not_known <= len(questions)
    answers = {}
    for index, question in enumerate(questions):
        answers[question.id] = "yes" if index < yes else ("not_known" if index < yes + not_known else "no")
    if callouts is not None:
        answers[CALLOUTS] = str(callouts)
    return answers


def working_case(*, status: str = "open", **fields: Any) -> Case:
    """A case in a working status (open by default), built by the factory and walked there with force_status."""
    case = CaseFactory.create(**fields)
    return force_status(case, status)


def da_case(**fields: Any) -> Case:
    """An open domestic abuse case (DA-sensitive)."""
    return working_case(case_type=CaseType.DA, **fields)


def victim(case: Case, **fields: Any) -> Party:
    """A victim on the case."""
    party: Party = PartyFactory.create(case=case, role=PartyRole.VICTIM, **fields)
    return party
