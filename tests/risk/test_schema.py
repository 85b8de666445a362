"""The instrument file format: every rejection names its line and reason; valid files (YAML or JSON) load to the same
data; licensed wording replaces only texts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from saferhomes.risk import rules
from saferhomes.risk.schema import InstrumentFileError, apply_wording, dump_instrument, parse_instrument
from tests.risk.instrument_helpers import TINY_MATRIX, shipped_text

# TINY_MATRIX, numbered:
#  1 schema / 2 key / 3 version / 4 name / 5 kind / 6 applies_to / 7 sections: / 8 - key: only / 9 title
# 10 questions: / 11 - id: hurt / 12 text / 13 type: choice / 14 options: / 15 no / 16 yes / 17 - id: scared
# 18 text / 19 type: yes_no_unknown / 20 bands: / 21 low / 22 high

TINY_CHECKLIST = """\
schema: saferhomes-instrument/1
key: tiny-checklist
version: 1
name: Tiny checklist
kind: checklist
applies_to: [da]
sections:
  - key: only
    title: Only
    questions:
      - {id: a, text: "A?", type: yes_no_unknown}
      - {id: b, text: "B?", type: yes_no_unknown}
      - {id: c, text: "C?", type: yes_no_unknown}
      - {id: calls, text: "Calls?", type: number}
bands:
  - {key: low, label: Low, min_score: 0, priority: normal}
  - {key: high, label: High, min_score: 2, priority: high}
marac:
  yes_threshold: 3
  escalation_callouts: 3
  callouts_question: calls
"""


def problems(text: str, **kwargs: str) -> list[tuple[int | None, str]]:
    with pytest.raises(InstrumentFileError) as caught:
        parse_instrument(text, **kwargs)
    return caught.value.problems


def edit(old: str, new: str, text: str = TINY_MATRIX) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_the_tiny_files_are_valid() -> None:
    data = parse_instrument(TINY_MATRIX)
    assert data["key"] == "tiny"
    assert data["sections"][0]["questions"][1] == {
        "id": "scared",
        "text": "Scared?",
        "help": "",
        "type": "yes_no_unknown",
        "required": True,
        "options": [],
    }
    assert data["bands"][1] == {
        "key": "high",
        "label": "High",
        "min_score": 5,
        "reassess_days": 7,
        "priority": "high",
        "urgent": True,
        "contact_every_days": None,
    }
    assert data["marac"] is None
    assert parse_instrument(TINY_CHECKLIST)["marac"] == {
        "yes_threshold": 3,
        "escalation_callouts": 3,
        "callouts_question": "calls",
    }


@pytest.mark.parametrize("key", ["asb-hate-matrix", "da-checklist", "household-factors"])
def test_shipped_files_round_trip_through_dump_and_json(key: str) -> None:
    data = parse_instrument(shipped_text(key))
    assert parse_instrument(dump_instrument(data)) == data
    as_json = json.dumps(yaml.safe_load(shipped_text(key)))
    assert parse_instrument(as_json) == data


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        # unknown question type
        (edit("type: yes_no_unknown", "type: scale"), 19, "unknown question type 'scale'"),
        # duplicate question ids
        (edit("- id: scared", "- id: hurt"), 17, "duplicate question id 'hurt'"),
        # duplicate option values
        (
            edit('{value: "yes", label: "Yes", weight: 5}', '{value: "no", label: "Yes", weight: 5}'),
            16,
            "duplicate option value 'no' in question 'hurt'",
        ),
        # thresholds out of order
        (edit("min_score: 5", "min_score: 0"), 22, "band 'high' starts at 0, not above band 'low' (0): thresholds out"),
        # the first band must start at 0
        (edit("min_score: 0", "min_score: 1"), 21, "the first band 'low' must start at 0"),
        # a missing band
        (
            edit("  - {key: high, label: High, min_score: 5, reassess_days: 7, priority: high, urgent: true}\n", ""),
            20,
            "a matrix instrument needs at least two bands (missing band)",
        ),
        # the highest band cannot be reached
        (edit("min_score: 5", "min_score: 7"), 22, "band 'high' starts at 7 but the highest possible score is 6"),
        # unknown top-level key
        (edit("name: Tiny matrix\n", "name: Tiny matrix\ncolour: red\n"), 5, "unknown key 'colour' in the file"),
        # unknown key in a question
        (edit("text: Scared?", "text: Scared?\n        hint: nope"), 19, "unknown key 'hint' in question 'scared'"),
        # wrong types
        (edit("version: 1", "version: one"), 3, "version must be a whole number"),
        (edit("version: 1", "version: 0"), 3, "version must be 1 or more"),
        (edit("applies_to: [asb]", "applies_to: asb"), 6, "applies_to must be a list"),
        (edit("weight: 5", "weight: -5"), 16, "weight must be 0 or more"),
        (edit("weight: 5", "weight: 2.5"), 16, "weight must be a whole number"),
        (edit("urgent: true", "urgent: sometimes"), 22, "band 'high' urgent must be true or false"),
        (edit("reassess_days: 7", "reassess_days: 0"), 22, "band 'high' reassess_days must be 1 or more"),
        (edit("    title: Only\n", "    title: [Only]\n"), 9, "section 'only' title must be text"),
        (edit("key: tiny", "key: Tiny Matrix"), 2, "key 'Tiny Matrix' must be lower-case letters and digits"),
        (edit("- id: hurt", "- id: 1hurt"), 11, "must start with a lower-case letter"),
        # missing required keys
        (edit("name: Tiny matrix\n", ""), 1, "the file is missing 'name'"),
        (edit("        text: Scared?\n", ""), 17, "question 'scared' is missing 'text'"),
        (
            edit("{key: low, label: Low, min_score: 0,", "{key: low, label: Low,"),
            21,
            "band 'low' is missing 'min_score'",
        ),
        (
            edit("        type: choice\n        options:\n", "        type: choice\n        opts:\n"),
            14,
            "unknown key 'opts'",
        ),
        # unknown case types
        (
            edit("applies_to: [asb]", "applies_to: [asb, noise]"),
            6,
            "unknown case type 'noise' (expected asb, hate, da)",
        ),
        (edit("applies_to: [asb]", "applies_to: [asb, asb]"), 6, "duplicate case type 'asb'"),
        (edit("applies_to: [asb]", "applies_to: []"), 6, "applies_to needs at least 1 item"),
        # band priority not a case priority
        (
            edit("priority: high, urgent", "priority: critical, urgent"),
            22,
            "band 'high' priority 'critical' is not a case priority (low, normal, high)",
        ),
        # other rules
        (edit("schema: saferhomes-instrument/1", "schema: other/2"), 1, "schema 'other/2' is not supported"),
        (edit("kind: matrix", "kind: scorecard"), 5, "kind 'scorecard' is not one of matrix, checklist, factors"),
        (
            edit("type: yes_no_unknown", "type: yes_no_unknown\n        options: [{value: a, label: A}]"),
            20,
            "has the fixed answers yes, no and not known: remove 'options'",
        ),
        (edit('          - {value: "yes", label: "Yes", weight: 5}\n', ""), 14, "options needs at least 2 items"),
        (edit("version: 1\n", "version: 1\nversion: 2\n"), 4, "'version' is given twice in the file"),
        (edit("kind: matrix", "kind: factors"), 20, "a factors instrument is recorded, not banded: remove 'bands'"),
        (TINY_MATRIX + "marac: {yes_threshold: 1}\n", 23, "only a checklist instrument has MARAC rules"),
        (TINY_MATRIX.split("bands:")[0], 1, "a matrix instrument needs 'bands'"),
    ],
)
def test_each_bad_file_is_rejected_with_its_line_and_reason(text: str, line: int, reason: str) -> None:
    found = problems(text)
    assert any(at == line and reason in why for at, why in found), found


@pytest.mark.parametrize(
    ("old", "new", "line", "reason"),
    [
        (
            '      - {id: a, text: "A?", type: yes_no_unknown}',
            '      - {id: a, text: "A?", type: choice, options: [{value: x, label: X}, {value: y, label: Y}]}',
            11,
            "a checklist counts 'yes' answers",
        ),
        ("yes_threshold: 3", "yes_threshold: 4", 19, "marac yes_threshold 4 is more than the 3 yes/no/not known"),
        (
            "callouts_question: calls",
            "callouts_question: a",
            21,
            "marac callouts_question 'a' must be a number question",
        ),
        (
            "callouts_question: calls",
            "callouts_question: nothing",
            21,
            "marac callouts_question 'nothing' is not a question",
        ),
        ("  callouts_question: calls\n", "", 18, "marac escalation_callouts needs 'callouts_question'"),
        ("min_score: 2", "min_score: 4", 17, "band 'high' starts at 4 but the highest possible score is 3"),
    ],
)
def test_checklist_rules(old: str, new: str, line: int, reason: str) -> None:
    found = problems(edit(old, new, TINY_CHECKLIST))
    assert any(at == line and reason in why for at, why in found), found


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    bad = edit("type: yes_no_unknown", "type: scale", edit("applies_to: [asb]", "applies_to: [noise]"))
    bad = edit("priority: high, urgent", "priority: critical, urgent", bad)
    with pytest.raises(InstrumentFileError) as caught:
        parse_instrument(bad, source_name="tiny.yaml")
    assert [line for line, _ in caught.value.problems] == [6, 19, 22]
    assert str(caught.value).splitlines() == [
        "tiny.yaml line 6: unknown case type 'noise' (expected asb, hate, da)",
        "tiny.yaml line 19: unknown question type 'scale' (expected choice, yes_no_unknown, number)",
        "tiny.yaml line 22: band 'high' priority 'critical' is not a case priority (low, normal, high)",
    ]
    assert caught.value.messages == str(caught.value).splitlines()  # a DomainError, shown as is


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", None, "the file is empty"),
        ("# only a comment\n", None, "the file is empty"),
        ("key: [unclosed\n", 2, "not valid YAML"),
        ("a: 1\n  b: 2\n", 2, "not valid YAML"),
        ("- a\n- b\n", 1, "the file must be a mapping of names to values"),
        ("--- {a: 1}\n--- {b: 2}\n", 2, "not valid YAML"),
        ('{"schema": ', 1, "not valid YAML"),
    ],
)
def test_files_that_are_not_instruments(text: str, line: int | None, reason: str) -> None:
    found = problems(text)
    assert any(at == line and reason in why for at, why in found), found


def test_a_huge_file_is_refused_before_parsing() -> None:
    assert "larger than" in problems("a: " + "x" * 600_000)[0][1]


def test_unquoted_yes_in_text_stays_text() -> None:
    data = parse_instrument(edit("text: Hurt?", "text: yes"))
    assert data["sections"][0]["questions"][0]["text"] == "yes"


def test_factors_questions_are_optional_unless_required() -> None:
    text = edit("kind: matrix", "kind: factors", TINY_MATRIX.split("bands:")[0])
    text = edit("        type: yes_no_unknown", "        type: yes_no_unknown\n        required: true", text)
    questions = parse_instrument(text)["sections"][0]["questions"]
    assert [q["required"] for q in questions] == [False, True]
    definition = rules.definition_from_data(parse_instrument(text))
    assert definition.bands == ()


# --- wording ---------------------------------------------------------------------------------------------------------


def _without_texts(data: dict) -> list:
    hidden = ("text", "help")
    return [[{k: v for k, v in q.items() if k not in hidden} for q in s["questions"]] for s in data["sections"]]


def test_wording_replaces_only_texts_and_help() -> None:
    data = parse_instrument(TINY_MATRIX)
    worded = apply_wording(data, "hurt: Official hurt text\nscared:\n  text: Official scared\n  help: Official help\n")
    assert worded["sections"][0]["questions"][0]["text"] == "Official hurt text"
    assert worded["sections"][0]["questions"][1]["text"] == "Official scared"
    assert worded["sections"][0]["questions"][1]["help"] == "Official help"
    assert data["sections"][0]["questions"][0]["text"] == "Hurt?"  # the original is untouched
    assert _without_texts(worded) == _without_texts(data)
    assert worded["bands"] == data["bands"]


@pytest.mark.parametrize(
    ("wording", "line", "reason"),
    [
        ("hurt: Fine\nmissing: Nope\n", 2, "'missing' is not a question in tiny"),
        ("hurt: Fine\nhurt: Again\n", 2, "question 'hurt' is given twice"),
        ("hurt: {colour: red}\n", 1, "unknown key 'colour' in wording for 'hurt'"),
        ("hurt: {}\n", 1, "wording for 'hurt' needs 'text' or 'help'"),
        ("hurt: ''\n", 1, "wording for 'hurt' must not be empty"),
        ("- hurt\n", 1, "a wording file maps question ids to their wording"),
    ],
)
def test_bad_wording_files(wording: str, line: int, reason: str) -> None:
    with pytest.raises(InstrumentFileError) as caught:
        apply_wording(parse_instrument(TINY_MATRIX), wording, source_name="official.yaml")
    assert any(at == line and reason in why for at, why in caught.value.problems), caught.value.problems
    assert str(caught.value).startswith("official.yaml line")


def test_the_format_example_in_the_docs_is_valid_apart_from_its_checklist_only_marac_block() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "risk-instruments.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if "schema:" in b)
    matrix = example.split("marac:")[0]
    assert parse_instrument(matrix)["key"] == "my-matrix"
    assert problems(example) == [(23, "only a checklist instrument has MARAC rules: remove 'marac'")]
