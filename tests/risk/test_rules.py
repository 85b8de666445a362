"""Pure risk rules: worked examples on the shipped instruments (every band edge, DA 13 vs 14, "not known", escalation
at exactly 3, repeat MARAC at 364/365/366 days and across 29 February) and hypothesis properties (monotone scores,
monotone bands)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhomes.risk import rules
from saferhomes.risk.rules import Definition, band_for, definition_from_data, marac_decision, reassess_by, score
from saferhomes.risk.schema import parse_instrument
from saferhomes.risk.services.instruments import SHIPPED_DIR


@cache
def shipped(key: str) -> Definition:
    return definition_from_data(parse_instrument((Path(SHIPPED_DIR) / f"{key}.yaml").read_text()))


MATRIX = "asb-hate-matrix"
CHECKLIST = "da-checklist"
FACTORS = "household-factors"


def lowest_answers(definition: Definition) -> dict[str, str]:
    """Every question answered with its lowest-weight option (number questions: 0)."""
    return {
        q.id: "0" if q.type == rules.NUMBER else min(q.options, key=lambda o: o.weight).value
        for q in definition.questions
    }


def matrix_answers_scoring(total: int) -> dict[str, str]:
    """Answers to the shipped matrix whose weights add up to exactly `total`."""
    definition = shipped(MATRIX)
    questions = [q for q in definition.questions if q.type == rules.CHOICE]

    def search(index: int, remaining: int) -> dict[str, str] | None:
        if index == len(questions):
            return {} if remaining == 0 else None
        if remaining > sum(q.max_weight for q in questions[index:]):
            return None
        for option in sorted(questions[index].options, key=lambda o: -o.weight):
            if option.weight <= remaining:
                rest = search(index + 1, remaining - option.weight)
                if rest is not None:
                    return {questions[index].id: option.value, **rest}
        return None

    found = search(0, total)
    assert found is not None, total
    return found


def checklist_answers(yes: int, *, not_known: int = 0, callouts: int | None = 0) -> dict[str, str]:
    """`yes` questions answered yes, the next `not_known` answered not known, the rest no."""
    definition = shipped(CHECKLIST)
    counted = [q for q in definition.questions if q.type == rules.YES_NO_UNKNOWN]
    assert yes + not_known <= len(counted)
    answers = {
        q.id: rules.YES if i < yes else rules.NOT_KNOWN if i < yes + not_known else rules.NO
        for i, q in enumerate(counted)
    }
    if callouts is not None:
        answers["police_callouts_12m"] = str(callouts)
    return answers


# --- the shipped instruments -----------------------------------------------------------------------------------------


def test_shipped_instruments_have_the_documented_shape() -> None:
    matrix, checklist, factors = shipped(MATRIX), shipped(CHECKLIST), shipped(FACTORS)
    assert 10 <= len(matrix.questions) <= 14
    assert matrix.max_score == 47
    assert [(b.key, b.min_score, b.reassess_days, b.priority, b.urgent) for b in matrix.bands] == [
        ("low", 0, 28, "low", False),
        ("medium", 12, 14, "normal", False),
        ("high", 24, 7, "high", True),
    ]
    assert sum(q.type == rules.YES_NO_UNKNOWN for q in checklist.questions) == 24
    assert [q.type for q in checklist.questions].count(rules.NUMBER) == 1
    assert [(b.key, b.min_score, b.reassess_days, b.priority, b.urgent) for b in checklist.bands] == [
        ("standard", 0, 28, "normal", False),
        ("medium", 10, 14, "high", False),
        ("high", 14, 7, "high", True),
    ]
    assert (checklist.marac_yes_threshold, checklist.escalation_callouts) == (14, 3)
    assert factors.bands == ()
    assert not any(q.required for q in factors.questions)
    assert set(factors.applies_to) == {"asb", "hate", "da"}


# --- matrix worked examples ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "low"), (11, "low"), (12, "medium"), (23, "medium"), (24, "high"), (47, "high")],
)
def test_matrix_band_edges(total: int, band: str) -> None:
    definition = shipped(MATRIX)
    answers = matrix_answers_scoring(total)
    assert rules.validate_answers(definition, answers) == {}
    scored = score(definition, answers)
    assert scored.score == total
    assert scored.yes_count is None
    assert scored.band is not None
    assert scored.band.key == band


def test_matrix_reasons_name_each_weighted_answer_and_the_band() -> None:
    definition = shipped(MATRIX)
    answers = {
        **lowest_answers(definition),
        "physical_harm": "serious",
        "threats": "weapon_or_kill",
        "property_targeted": "minor",
    }
    scored = score(definition, answers)
    assert scored.score == 12
    assert scored.reasons == (
        "Score 12 of 47",
        "'Has the person been physically hurt because of what has happened?' answered "
        "'Yes, an injury that needed medical treatment' (+6)",
        "'Have they been threatened with violence?' answered 'Yes, threats with a weapon or threats to kill' (+5)",
        "'Has their home, car or other property been damaged or targeted?' answered 'Yes, minor damage' (+1)",
        "Band: Medium (12 to 23)",
    )


# --- checklist worked examples ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "band"),
    [(0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (24, "high")],
)
def test_checklist_band_edges(yes: int, band: str) -> None:
    definition = shipped(CHECKLIST)
    scored = score(definition, checklist_answers(yes))
    assert scored.score == yes
    assert scored.yes_count == yes
    assert scored.band is not None
    assert scored.band.key == band


def test_not_known_never_counts_as_yes() -> None:
    definition = shipped(CHECKLIST)
    scored = score(definition, checklist_answers(13, not_known=11))
    assert scored.yes_count == 13
    assert scored.band is not None
    assert scored.band.key == "medium"
    assert "11 answered 'Not known' (never counted as 'Yes')" in scored.reasons
    everything_unknown = score(definition, checklist_answers(0, not_known=24))
    assert everything_unknown.yes_count == 0
    assert everything_unknown.band == definition.bands[0]


def test_the_callouts_number_is_not_counted_in_the_score() -> None:
    definition = shipped(CHECKLIST)
    assert score(definition, checklist_answers(5, callouts=30)).score == 5


def test_checklist_reasons_list_each_yes() -> None:
    scored = score(shipped(CHECKLIST), checklist_answers(2))
    assert scored.reasons == (
        "2 of 24 questions answered 'Yes'",
        "'Yes' to 'Were you injured this time, even slightly?'",
        "'Yes' to 'Are you very scared of them at the moment?'",
        "Band: Standard (0 to 9)",
    )


def test_factors_are_recorded_not_banded() -> None:
    definition = shipped(FACTORS)
    scored = score(definition, {"minors_in_household": "yes", "perpetrator_is_minor": "yes", "pets": "no"})
    assert scored.band is None
    assert scored.score == 2
    assert scored.reasons[0] == "3 factors recorded"
    assert "'Is the alleged perpetrator under 18?' answered 'Yes' (+1)" in scored.reasons
    assert rules.validate_answers(definition, {}) == {}  # every factor is optional


# --- MARAC -----------------------------------------------------------------------------------------------------------

TODAY = dt.date(2026, 6, 15)


def decide(answers: Mapping[str, str], *, judgement: bool = False, last: dt.date | None = None, today: dt.date = TODAY):
    definition = shipped(CHECKLIST)
    return marac_decision(
        definition=definition,
        scored=score(definition, answers),
        police_callouts_12m=rules.police_callouts(definition, answers),
        professional_judgement=judgement,
        last_referral_on=last,
        today=today,
    )


def test_13_yes_is_not_a_marac_referral_and_14_is() -> None:
    thirteen = decide(checklist_answers(13))
    assert not thirteen.required
    assert thirteen.grounds == ()
    assert thirteen.reasons == (
        "No MARAC referral is required",
        "13 'Yes' answers: below the visible high risk threshold of 14",
        "0 police call-outs in the last 12 months: below the escalation number of 3",
    )
    fourteen = decide(checklist_answers(14))
    assert fourteen.required
    assert fourteen.grounds == (rules.VISIBLE_HIGH_RISK,)
    assert fourteen.reasons[:2] == (
        "A MARAC referral is required",
        "14 'Yes' answers: 14 or more means visible high risk",
    )


def test_13_yes_and_a_not_known_is_still_not_a_referral() -> None:
    assert not decide(checklist_answers(13, not_known=1)).required


@pytest.mark.parametrize(("callouts", "escalation"), [(0, False), (2, False), (3, True), (4, True)])
def test_potential_escalation_at_exactly_3_police_callouts(callouts: int, escalation: bool) -> None:
    outcome = decide(checklist_answers(2, callouts=callouts))
    assert outcome.required is escalation
    assert (rules.POTENTIAL_ESCALATION in outcome.grounds) is escalation


def test_unanswered_callouts_are_not_escalation() -> None:
    outcome = decide(checklist_answers(2, callouts=None))
    assert not outcome.required
    assert all("call-out" not in reason for reason in outcome.reasons)


def test_professional_judgement_alone_requires_a_referral() -> None:
    outcome = decide(checklist_answers(1), judgement=True)
    assert outcome.required
    assert outcome.grounds == (rules.PROFESSIONAL_JUDGEMENT,)
    assert "Referral on professional judgement" in outcome.reasons


def test_every_ground_together() -> None:
    outcome = decide(checklist_answers(20, callouts=5), judgement=True)
    assert outcome.grounds == (rules.VISIBLE_HIGH_RISK, rules.POTENTIAL_ESCALATION, rules.PROFESSIONAL_JUDGEMENT)


def test_a_matrix_has_no_marac_threshold_but_judgement_still_counts() -> None:
    definition = shipped(MATRIX)
    scored = score(definition, matrix_answers_scoring(47))

    def decide_matrix(judgement: bool) -> rules.MaracOutcome:
        return marac_decision(
            definition=definition,
            scored=scored,
            police_callouts_12m=9,
            professional_judgement=judgement,
            last_referral_on=None,
            today=TODAY,
        )

    assert not decide_matrix(False).required
    assert decide_matrix(True).grounds == (rules.PROFESSIONAL_JUDGEMENT,)


@pytest.mark.parametrize(
    ("today", "days_ago", "repeat"),
    [
        # No 29 February in the year before: 12 months = 365 days.
        (dt.date(2026, 6, 15), 0, True),
        (dt.date(2026, 6, 15), 364, True),
        (dt.date(2026, 6, 15), 365, True),  # the same date a year before
        (dt.date(2026, 6, 15), 366, False),
        # 29 February 2028 in the year before 1 March 2028: the same date a year before is 366 days back.
        (dt.date(2028, 3, 1), 364, True),
        (dt.date(2028, 3, 1), 365, True),
        (dt.date(2028, 3, 1), 366, True),
        (dt.date(2028, 3, 1), 367, False),
        # From 29 February 2028 a year back is 28 February 2027 (there is no 29 February 2027).
        (dt.date(2028, 2, 29), 366, True),
        (dt.date(2028, 2, 29), 367, False),
        # A referral on 29 February 2028, seen a year later.
        (dt.date(2029, 2, 28), 365, True),  # 29 Feb 2028
        (dt.date(2029, 3, 1), 366, False),  # 29 Feb 2028 is before 1 March 2028
        (dt.date(2029, 3, 1), 365, True),  # 1 March 2028
    ],
)
def test_repeat_referral_within_12_months(today: dt.date, days_ago: int, repeat: bool) -> None:
    last = today - dt.timedelta(days=days_ago)
    outcome = decide(checklist_answers(14), last=last, today=today)
    assert outcome.required
    assert outcome.repeat is repeat
    assert any(r.startswith("Repeat referral") for r in outcome.reasons) is repeat


def test_repeat_reason_names_the_date() -> None:
    outcome = decide(checklist_answers(14), last=dt.date(2026, 3, 2))
    assert outcome.reasons[-1] == "Repeat referral: the last referral was on 2 March 2026, within 12 months"


def test_no_referral_required_is_never_a_repeat() -> None:
    assert not decide(checklist_answers(3), last=TODAY - dt.timedelta(days=10)).repeat


def test_year_before_clamps_29_february() -> None:
    assert rules.year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    assert rules.year_before(dt.date(2029, 2, 28)) == dt.date(2028, 2, 28)
    assert rules.year_before(dt.date(2026, 1, 1)) == dt.date(2025, 1, 1)


# --- reassessment ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "band", "days"),
    [
        (MATRIX, "low", 28),
        (MATRIX, "medium", 14),
        (MATRIX, "high", 7),
        (CHECKLIST, "standard", 28),
        (CHECKLIST, "medium", 14),
        (CHECKLIST, "high", 7),
    ],
)
def test_reassess_by_the_band_interval(key: str, band: str, days: int) -> None:
    assessed = dt.date(2028, 2, 25)
    assert reassess_by(band=shipped(key).band(band), assessed_on=assessed) == assessed + dt.timedelta(days=days)


def test_no_band_or_no_interval_means_no_reassessment_date() -> None:
    assert reassess_by(band=None, assessed_on=TODAY) is None
    band = rules.Band("x", "X", 0, None, "low", False, None)
    assert reassess_by(band=band, assessed_on=TODAY) is None


# --- validate_answers ------------------------------------------------------------------------------------------------


def test_valid_answers_have_no_problems() -> None:
    assert rules.validate_answers(shipped(CHECKLIST), checklist_answers(5)) == {}
    assert rules.validate_answers(shipped(MATRIX), matrix_answers_scoring(20)) == {}


def test_answer_problems_are_keyed_by_question() -> None:
    definition = shipped(CHECKLIST)
    answers: dict[str, object] = {**checklist_answers(3), "bogus": "yes", "ghost": "no"}
    del answers["injury"]
    answers["frightened"] = "maybe"
    answers["police_callouts_12m"] = "2.5"
    problems = rules.validate_answers(definition, answers)
    assert problems == {
        "__all__": f"{definition.name} has no question 'bogus', 'ghost'",
        "injury": "Answer 'Were you injured this time, even slightly?'",
        "frightened": "'maybe' is not an answer to 'Are you very scared of them at the moment?': choose one of "
        "'yes', 'no', 'not_known'",
        "police_callouts_12m": f"'{definition.question('police_callouts_12m').text}' must be a whole number, 0 or more",
    }


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0", True),
        ("3", True),
        (3, True),
        (" 12 ", True),
        ("-1", False),
        (-1, False),
        ("3.0", False),
        ("three", False),
        (True, False),
        ("٣", False),
    ],
)
def test_numbers_must_be_whole_and_not_negative(value: object, ok: bool) -> None:
    definition = shipped(CHECKLIST)
    problems = rules.validate_answers(definition, {**checklist_answers(1), "police_callouts_12m": value})
    assert ("police_callouts_12m" not in problems) is ok


def test_blank_required_answers_are_missing() -> None:
    definition = shipped(MATRIX)
    answers = {**matrix_answers_scoring(3), "fear": "  "}
    assert rules.validate_answers(definition, answers)["fear"].startswith("Answer '")


def test_answers_must_be_a_mapping() -> None:
    not_a_mapping: object = ["yes"]
    assert rules.validate_answers(shipped(MATRIX), not_a_mapping) == {  # type: ignore[arg-type]
        "__all__": "Answers must be given as question id: answer pairs"
    }


# --- properties ------------------------------------------------------------------------------------------------------


@st.composite
def checklist_answer_sets(draw: st.DrawFn) -> dict[str, str]:
    definition = shipped(CHECKLIST)
    answers = {
        q.id: draw(st.sampled_from([rules.YES, rules.NO, rules.NOT_KNOWN]))
        for q in definition.questions
        if q.type == rules.YES_NO_UNKNOWN
    }
    answers["police_callouts_12m"] = str(draw(st.integers(0, 20)))
    return answers


@given(checklist_answer_sets(), st.data())
def test_checklist_score_never_falls_when_an_answer_becomes_yes(answers: dict[str, str], data: st.DataObject) -> None:
    definition = shipped(CHECKLIST)
    qid = data.draw(st.sampled_from([q.id for q in definition.questions if q.type == rules.YES_NO_UNKNOWN]))
    before = score(definition, answers)
    after = score(definition, {**answers, qid: rules.YES})
    assert after.score >= before.score
    assert after.score == before.score + (answers[qid] != rules.YES)
    assert after.band is not None
    assert before.band is not None
    assert after.band.min_score >= before.band.min_score
    # and a 'no' becoming 'not known' changes nothing
    if answers[qid] == rules.NO:
        assert score(definition, {**answers, qid: rules.NOT_KNOWN}).score == before.score


@st.composite
def matrix_answer_sets(draw: st.DrawFn) -> dict[str, str]:
    definition = shipped(MATRIX)
    return {q.id: draw(st.sampled_from([o.value for o in q.options])) for q in definition.questions}


@given(matrix_answer_sets(), st.data())
def test_matrix_score_never_falls_when_an_answer_is_replaced_by_a_heavier_one(
    answers: dict[str, str], data: st.DataObject
) -> None:
    definition = shipped(MATRIX)
    question = data.draw(st.sampled_from(definition.questions))
    current = question.option(answers[question.id])
    assert current is not None
    heavier = [o for o in question.options if o.weight >= current.weight]
    replacement = data.draw(st.sampled_from(heavier))
    before = score(definition, answers)
    after = score(definition, {**answers, question.id: replacement.value})
    assert after.score == before.score + replacement.weight - current.weight
    assert after.score >= before.score
    assert after.band is not None
    assert before.band is not None
    assert after.band.min_score >= before.band.min_score


@given(matrix_answer_sets())
def test_matrix_score_is_the_sum_of_the_weights_and_within_range(answers: dict[str, str]) -> None:
    definition = shipped(MATRIX)
    assert rules.validate_answers(definition, answers) == {}
    scored = score(definition, answers)
    expected = 0
    for qid, value in answers.items():
        option = definition.question(qid).option(value)
        assert option is not None
        expected += option.weight
    assert scored.score == expected
    assert 0 <= scored.score <= definition.max_score


@st.composite
def banded_definitions(draw: st.DrawFn) -> Definition:
    steps = draw(st.lists(st.integers(1, 20), min_size=1, max_size=5))
    starts = [0]
    for step in steps:
        starts.append(starts[-1] + step)
    bands = tuple(rules.Band(f"b{i}", f"B{i}", start, 7, "normal", False, None) for i, start in enumerate(starts))
    return Definition("k", 1, "K", rules.MATRIX, ("asb",), "", (), bands, None, None, None)


@given(banded_definitions(), st.integers(0, 200), st.integers(0, 200))
def test_band_is_monotone_in_score(definition: Definition, a: int, b: int) -> None:
    low, high = sorted((a, b))
    band_low, band_high = band_for(definition, low), band_for(definition, high)
    assert band_low is not None
    assert band_high is not None
    assert definition.bands.index(band_low) <= definition.bands.index(band_high)
    assert band_low.min_score <= low
    following = [x for x in definition.bands if x.min_score > band_low.min_score]
    assert not following or following[0].min_score > low


@pytest.mark.parametrize("key", [MATRIX, CHECKLIST])
def test_shipped_bands_are_monotone_over_every_possible_score(key: str) -> None:
    definition = shipped(key)
    order = [definition.bands.index(band_for(definition, s)) for s in range(definition.max_score + 1)]
    assert order == sorted(order)
    assert order[0] == 0
    assert order[-1] == len(definition.bands) - 1
