"""Pure rules of intake: what a reporter's plain words mean, and when a report is urgent (DESIGN.md §4.1)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from saferhomes.cases.models import CaseType, Category, SubType
from saferhomes.intake.models import UrgencyReason

DESCRIPTION_MAX = 5000
TEXT_MAX = 250
# A phone number as people type one: digits, spaces, brackets and dashes, an optional leading +; 7 to 20 of them.
PHONE = re.compile(r"\+?[0-9 ()-]{7,20}")


@dataclass(frozen=True)
class Problem:
    """One answer to "What is happening?" in the reporter's words, and what it means to us."""

    key: str
    label: str
    hint: str
    case_type: str
    category: str
    sub_types: tuple[str, ...]
    urgent_because: tuple[str, ...] = ()


# The choices on the public form's "What is happening?" page, in the order shown.
PROBLEMS: tuple[Problem, ...] = (
    Problem("noise", "Noise", "Loud music, shouting, banging, parties", CaseType.ASB, Category.NUISANCE,
            (SubType.NOISE,)),
    Problem("abuse", "Abuse, harassment or intimidation", "Being shouted at, followed, insulted or made to feel "
            "afraid", CaseType.ASB, Category.PERSONAL, (SubType.VERBAL_ABUSE,)),
    Problem("threats_violence", "Threats or violence", "Someone has threatened to hurt, or has hurt, someone",
            CaseType.ASB, Category.PERSONAL, (SubType.THREATS, SubType.VIOLENCE), (UrgencyReason.VIOLENCE,)),
    Problem("hate", "Targeted because of who they are", "Because of disability, race, religion, sexual orientation, "
            "being transgender or another part of who someone is", CaseType.HATE, Category.PERSONAL,
            (SubType.VERBAL_ABUSE,), (UrgencyReason.HATE,)),
    Problem("domestic_abuse", "Abuse by a partner, ex-partner or family member", "Physical, emotional, sexual or "
            "financial abuse, or controlling behaviour, at home or from someone close", CaseType.DA, Category.PERSONAL,
            (SubType.DOMESTIC_ABUSE,), (UrgencyReason.DOMESTIC_ABUSE,)),
    Problem("drugs", "Drug dealing or drug use", "", CaseType.ASB, Category.NUISANCE, (SubType.DRUGS,)),
    Problem("damage", "Damage or vandalism", "Damage to homes, cars, doors, lifts or shared areas", CaseType.ASB,
            Category.ENVIRONMENTAL, (SubType.VANDALISM,)),
    Problem("rubbish", "Rubbish, fly-tipping or graffiti", "", CaseType.ASB, Category.ENVIRONMENTAL,
            (SubType.RUBBISH,)),
    Problem("communal", "Misuse of shared areas", "Stairwells, lifts, gardens, car parks", CaseType.ASB,
            Category.NUISANCE, (SubType.COMMUNAL,)),
    Problem("pets", "Pets or animals", "", CaseType.ASB, Category.NUISANCE, (SubType.PETS,)),
    Problem("vehicles", "Vehicles or parking", "Abandoned cars, dangerous driving, blocking access", CaseType.ASB,
            Category.NUISANCE, (SubType.VEHICLES,)),
    Problem("other", "Something else", "", CaseType.ASB, Category.NUISANCE, (SubType.OTHER,)),
)  # fmt: skip
PROBLEMS_BY_KEY = {problem.key: problem for problem in PROBLEMS}

# The API's `type` values (issue 6 part 8) and the case types they mean.
API_TYPES: dict[str, str] = {"asb": CaseType.ASB, "hate": CaseType.HATE, "domestic_abuse": CaseType.DA}
API_TYPE_OF_CASE_TYPE = {case_type: api for api, case_type in API_TYPES.items()}

# Case types that are urgent whatever else is said.
URGENT_CASE_TYPES: dict[str, str] = {CaseType.HATE: UrgencyReason.HATE, CaseType.DA: UrgencyReason.DOMESTIC_ABUSE}


def urgency_reasons(
    *, case_type: str, answers: Mapping[str, bool], problem: str = "", danger_now: bool = False
) -> list[str]:
    """Every UrgencyReason the report's answers give, in the order of UrgencyReason (empty = standard)."""
    found: set[str] = {reason for reason, yes in answers.items() if yes and reason in UrgencyReason.values}
    if danger_now:
        found.add(UrgencyReason.DANGER)
    if case_type in URGENT_CASE_TYPES:
        found.add(URGENT_CASE_TYPES[case_type])
    if problem in PROBLEMS_BY_KEY:
        found.update(PROBLEMS_BY_KEY[problem].urgent_because)
    return [reason for reason in UrgencyReason.values if reason in found]


def is_phone_number(value: str) -> bool:
    """Whether `value` reads as a phone number (the public form and `report_submit` both ask this)."""
    return PHONE.fullmatch(value) is not None


def is_urgent(reasons: Iterable[str]) -> bool:
    """A report is urgent when any reason applies."""
    return any(True for _ in reasons)


def urgency_in_words(reasons: Iterable[str]) -> str:
    """'Urgent: hate crime; a vulnerable person' or 'Standard'."""
    labels = [UrgencyReason(reason).label.lower() for reason in reasons if reason in UrgencyReason.values]
    return "Urgent: " + "; ".join(labels) if labels else "Standard"
