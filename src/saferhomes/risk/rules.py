"""Pure risk rules (DESIGN.md §4.2, issue 7): scoring an instrument's answers, bands, MARAC decisions, reassessment.

No ORM here: an instrument's validated definition (what `Instrument.definition` stores, see risk/schema.py) and the
answers go in; a score, a band, a MARAC outcome and plain-English reasons come out. Services store the results.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Question types.
CHOICE, YES_NO_UNKNOWN, NUMBER = "choice", "yes_no_unknown", "number"
QUESTION_TYPES = (CHOICE, YES_NO_UNKNOWN, NUMBER)

# Instrument kinds (mirror models.InstrumentKind without importing the ORM layer).
MATRIX, CHECKLIST, FACTORS = "matrix", "checklist", "factors"
KINDS = (MATRIX, CHECKLIST, FACTORS)

# Answers of a yes/no/not known question. "not_known" never counts as yes.
YES, NO, NOT_KNOWN = "yes", "no", "not_known"
YES_NO_UNKNOWN_OPTIONS: tuple[tuple[str, str, int], ...] = ((YES, "Yes", 1), (NO, "No", 0), (NOT_KNOWN, "Not known", 0))

# Case priorities and case types (mirror cases.models.Priority / CaseType values).
PRIORITIES = ("low", "normal", "high")
CASE_TYPES = ("asb", "hate", "da")

# MARAC grounds (mirror models.MaracGround values).
VISIBLE_HIGH_RISK = "visible_high_risk"
PROFESSIONAL_JUDGEMENT = "professional_judgement"
POTENTIAL_ESCALATION = "potential_escalation"

ALL = "__all__"


@dataclass(frozen=True)
class AnswerOption:
    value: str
    label: str
    weight: int = 0


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    type: str  # "choice" | "yes_no_unknown" | "number"
    required: bool
    options: tuple[AnswerOption, ...]
    section: str

    def option(self, value: str) -> AnswerOption | None:
        return next((o for o in self.options if o.value == value), None)

    @property
    def max_weight(self) -> int:
        return max((o.weight for o in self.options), default=0)


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    min_score: int
    reassess_days: int | None
    priority: str  # cases Priority value: "low" | "normal" | "high"
    urgent: bool  # suggests urgent handling
    contact_every_days: int | None  # suggested contact-plan frequency


@dataclass(frozen=True)
class Section:
    key: str
    title: str


@dataclass(frozen=True)
class Definition:
    key: str
    version: int
    name: str
    kind: str
    applies_to: tuple[str, ...]
    description: str
    questions: tuple[Question, ...]
    bands: tuple[Band, ...]  # ordered low → high by min_score
    marac_yes_threshold: int | None  # checklist: 14
    escalation_callouts: int | None  # checklist: 3 (police call-outs in 12 months)
    callouts_question: str | None  # id of the "number" question asking police call-outs in 12 months
    sections: tuple[Section, ...] = ()

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def band(self, key: str) -> Band | None:
        return next((b for b in self.bands if b.key == key), None)

    def section_questions(self, section_key: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.section == section_key)

    @property
    def banded(self) -> bool:
        return bool(self.bands)

    @property
    def max_score(self) -> int:
        """The highest score the instrument can give: every checklist question yes, or every top weight."""
        if self.kind == CHECKLIST:
            return sum(1 for q in self.questions if q.type == YES_NO_UNKNOWN)
        return sum(q.max_weight for q in self.questions if q.type != NUMBER)


def _options(qtype: str, raw: Any) -> tuple[AnswerOption, ...]:
    if qtype == YES_NO_UNKNOWN:
        return tuple(AnswerOption(value=v, label=label, weight=w) for v, label, w in YES_NO_UNKNOWN_OPTIONS)
    return tuple(
        AnswerOption(value=str(o["value"]), label=str(o["label"]), weight=int(o.get("weight", 0))) for o in raw or ()
    )


def definition_from_data(data: Mapping[str, Any]) -> Definition:
    """The Definition for an already validated instrument file as data (`Instrument.definition`)."""
    questions: list[Question] = []
    sections: list[Section] = []
    for section in data.get("sections", ()):
        sections.append(Section(key=str(section["key"]), title=str(section.get("title", ""))))
        for q in section.get("questions", ()):
            qtype = str(q["type"])
            questions.append(
                Question(
                    id=str(q["id"]),
                    text=str(q["text"]),
                    help=str(q.get("help") or ""),
                    type=qtype,
                    required=bool(q.get("required", data.get("kind") != FACTORS)),
                    options=_options(qtype, q.get("options")),
                    section=str(section["key"]),
                )
            )
    bands = sorted(
        (
            Band(
                key=str(b["key"]),
                label=str(b["label"]),
                min_score=int(b["min_score"]),
                reassess_days=None if b.get("reassess_days") is None else int(b["reassess_days"]),
                priority=str(b["priority"]),
                urgent=bool(b.get("urgent", False)),
                contact_every_days=None if b.get("contact_every_days") is None else int(b["contact_every_days"]),
            )
            for b in data.get("bands") or ()
        ),
        key=lambda b: b.min_score,
    )
    marac = data.get("marac") or {}
    return Definition(
        key=str(data["key"]),
        version=int(data["version"]),
        name=str(data["name"]),
        kind=str(data["kind"]),
        applies_to=tuple(str(t) for t in data.get("applies_to", ())),
        description=str(data.get("description") or ""),
        questions=tuple(questions),
        bands=tuple(bands),
        marac_yes_threshold=marac.get("yes_threshold"),
        escalation_callouts=marac.get("escalation_callouts"),
        callouts_question=marac.get("callouts_question"),
        sections=tuple(sections),
    )


# --- answers ----------------------------------------------------------------------------------------------------


def _whole_number(value: Any) -> int | None:
    """`value` as a whole number >= 0, or None when it is not one ("3" and 3 are; "3.5", "-1", "" and True are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value).strip()
    if not text.isdigit() or not text.isascii():
        return None
    return int(text)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_answers(definition: Definition, answers: Mapping[str, Any]) -> dict[str, str]:
    """Problems with `answers`, keyed by question id (or "__all__"); an empty dict means they are valid.

    Unknown question ids, missing required answers, values that are not among the question's options, and numbers
    that are not whole numbers of 0 or more are all problems.
    """
    problems: dict[str, str] = {}
    if not isinstance(answers, Mapping):
        return {ALL: "Answers must be given as question id: answer pairs"}
    known = {q.id for q in definition.questions}
    unknown = sorted(str(k) for k in answers if k not in known)
    if unknown:
        problems[ALL] = f"{definition.name} has no question {', '.join(repr(u) for u in unknown)}"
    for q in definition.questions:
        value = answers.get(q.id)
        if _blank(value):
            if q.required:
                problems[q.id] = f"Answer '{q.text}'"
            continue
        if q.type == NUMBER:
            if _whole_number(value) is None:
                problems[q.id] = f"'{q.text}' must be a whole number, 0 or more"
        elif q.option(str(value)) is None:
            allowed = ", ".join(repr(o.value) for o in q.options)
            problems[q.id] = f"'{value}' is not an answer to '{q.text}': choose one of {allowed}"
    return problems


# --- scoring ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    score: int
    yes_count: int | None
    band: Band | None
    reasons: tuple[str, ...]


def band_for(definition: Definition, score_value: int) -> Band | None:
    """The highest band whose min_score is at or below `score_value`; None for an unbanded instrument."""
    found: Band | None = None
    for band in definition.bands:
        if band.min_score <= score_value:
            found = band
    return found


def band_range(definition: Definition, band: Band) -> str:
    """The scores a band covers, in words: "10 to 13", or "14 or more" for the highest."""
    bands = list(definition.bands)
    following = bands[bands.index(band) + 1] if bands.index(band) + 1 < len(bands) else None
    if following is None:
        return f"{band.min_score} or more"
    return f"{band.min_score} to {following.min_score - 1}"


def _chosen(definition: Definition, answers: Mapping[str, Any]) -> list[tuple[Question, AnswerOption]]:
    chosen = []
    for q in definition.questions:
        if q.type == NUMBER or _blank(answers.get(q.id)):
            continue
        option = q.option(str(answers[q.id]))
        if option is not None:
            chosen.append((q, option))
    return chosen


def score(definition: Definition, answers: Mapping[str, Any]) -> Scored:
    """Score valid `answers` (see validate_answers) with the instrument's counting rule.

    matrix: the sum of the chosen options' weights, banded. checklist: the number of "yes" answers ("not known" never
    counts), banded. factors: the sum of the weights, recorded but not banded.
    """
    chosen = _chosen(definition, answers)
    reasons: list[str] = []
    yes_count: int | None = None
    if definition.kind == CHECKLIST:
        yes_questions = [q for q, o in chosen if q.type == YES_NO_UNKNOWN and o.value == YES]
        not_known = [q for q, o in chosen if q.type == YES_NO_UNKNOWN and o.value == NOT_KNOWN]
        yes_count = len(yes_questions)
        total = yes_count
        reasons.append(f"{yes_count} of {definition.max_score} questions answered 'Yes'")
        reasons.extend(f"'Yes' to '{q.text}'" for q in yes_questions)
        if not_known:
            reasons.append(f"{len(not_known)} answered 'Not known' (never counted as 'Yes')")
    else:
        total = sum(o.weight for _, o in chosen)
        if definition.kind == FACTORS:
            reasons.append(f"{len(chosen)} factors recorded")
        else:
            reasons.append(f"Score {total} of {definition.max_score}")
        for q, o in chosen:
            if o.weight or definition.kind == FACTORS:
                suffix = f" (+{o.weight})" if o.weight else ""
                reasons.append(f"'{q.text}' answered '{o.label}'{suffix}")
    band = band_for(definition, total)
    if band is not None:
        reasons.append(f"Band: {band.label} ({band_range(definition, band)})")
    return Scored(score=total, yes_count=yes_count, band=band, reasons=tuple(reasons))


def police_callouts(definition: Definition, answers: Mapping[str, Any]) -> int | None:
    """The answer to the instrument's police call-outs question, or None when it has none or it was not answered."""
    if not definition.callouts_question:
        return None
    value = answers.get(definition.callouts_question)
    return None if _blank(value) else _whole_number(value)


# --- MARAC ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaracOutcome:
    required: bool
    grounds: tuple[str, ...]  # MaracGround values
    repeat: bool
    reasons: tuple[str, ...]


def year_before(day: dt.date) -> dt.date:
    """The same date a year before `day`; 29 February goes to 28 February of a year without one."""
    year = day.year - 1
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def within_twelve_months(earlier: dt.date, today: dt.date) -> bool:
    """True when `earlier` is on or after the same date a year before `today` (12 calendar months)."""
    return earlier >= year_before(today)


def marac_decision(
    *,
    definition: Definition,
    scored: Scored,
    police_callouts_12m: int | None,
    professional_judgement: bool,
    last_referral_on: dt.date | None,
    today: dt.date,
) -> MaracOutcome:
    """Whether a MARAC referral is required, on which grounds, and whether it would be a repeat referral.

    visible high risk: yes answers at or above the instrument's threshold (DASH practice: 14); potential escalation:
    police call-outs in the last 12 months at or above its escalation number (default 3); professional judgement when
    the assessor flags it (the service checks the written reason). Repeat: the last referral was within 12 months.
    """
    grounds: list[str] = []
    reasons: list[str] = []
    threshold = definition.marac_yes_threshold
    if threshold is not None and scored.yes_count is not None:
        if scored.yes_count >= threshold:
            grounds.append(VISIBLE_HIGH_RISK)
            reasons.append(f"{scored.yes_count} 'Yes' answers: {threshold} or more means visible high risk")
        else:
            reasons.append(f"{scored.yes_count} 'Yes' answers: below the visible high risk threshold of {threshold}")
    escalation = definition.escalation_callouts
    if escalation is not None and police_callouts_12m is not None:
        calls = "call-out" if police_callouts_12m == 1 else "call-outs"
        if police_callouts_12m >= escalation:
            grounds.append(POTENTIAL_ESCALATION)
            reasons.append(
                f"{police_callouts_12m} police {calls} in the last 12 months: "
                f"{escalation} or more means potential escalation"
            )
        else:
            reasons.append(
                f"{police_callouts_12m} police {calls} in the last 12 months: "
                f"below the escalation number of {escalation}"
            )
    if professional_judgement:
        grounds.append(PROFESSIONAL_JUDGEMENT)
        reasons.append("Referral on professional judgement")
    required = bool(grounds)
    repeat = required and last_referral_on is not None and within_twelve_months(last_referral_on, today)
    if required:
        reasons.insert(0, "A MARAC referral is required")
        if repeat and last_referral_on is not None:
            reasons.append(
                f"Repeat referral: the last referral was on {last_referral_on.day} {last_referral_on:%B %Y}, "
                "within 12 months"
            )
    else:
        reasons.insert(0, "No MARAC referral is required")
    return MaracOutcome(required=required, grounds=tuple(grounds), repeat=repeat, reasons=tuple(reasons))


# --- reassessment -----------------------------------------------------------------------------------------------


def reassess_by(*, band: Band | None, assessed_on: dt.date) -> dt.date | None:
    """When the next assessment is due: `assessed_on` plus the band's reassessment interval (None without one)."""
    if band is None or band.reassess_days is None:
        return None
    return assessed_on + dt.timedelta(days=band.reassess_days)
