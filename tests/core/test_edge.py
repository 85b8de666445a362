"""The one edge check (core/edge.py): what no column can hold is refused, naming the field; the rest passes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhomes.core.edge import (
    MAX_INTEGER,
    date_in_range,
    integer_in_range,
    text_problem,
    text_problems,
)


@pytest.mark.parametrize(
    "value",
    ["", "Loud music at 3am", "Tab\there", "Line one\nLine two\r\n", "Café, naïve — “quotes”", "emoji 🏠", "中文"],
)
def test_text_people_type_is_stored(value: str) -> None:
    assert text_problem(value) is None


@pytest.mark.parametrize("value", ["\ud800 noise", "end \udfff"])
def test_a_lone_surrogate_is_refused_naming_the_field(value: str) -> None:
    assert text_problem(value, "What happened") == (
        "What happened contains a character we cannot store. Remove it or type the text again"
    )


@pytest.mark.parametrize("value", ["nul\x00", "\x07bell", "escape \x1b[0m", "form\x0cfeed", "del\x7f", "c1 \x85"])
def test_nul_and_other_control_characters_are_refused_naming_the_field(value: str) -> None:
    assert text_problem(value, "Location") == (
        "Location contains a hidden control character. Remove it or type the text again"
    )


def test_every_bad_string_in_a_json_document_is_found_with_its_path() -> None:
    body = {"location": "ok", "parties": [{"name": "A\x00"}, {"name": "fine"}], "description": "\ud800", "n": 3}
    assert list(text_problems(body)) == [
        (("parties", 0, "name"), "This value contains a hidden control character. Remove it or type the text again"),
        (("description",), "This value contains a character we cannot store. Remove it or type the text again"),
    ]


def test_a_bad_key_is_found_too() -> None:
    assert [path for path, _ in text_problems({"a\x00": 1})] == [("a\x00",)]


@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"])))
def test_text_without_controls_or_surrogates_always_passes(value: str) -> None:
    assert text_problem(value) is None


@given(st.text(alphabet=st.characters(categories=["Cc"], exclude_characters="\t\n\r"), min_size=1))
def test_text_with_any_other_control_character_is_always_refused(value: str) -> None:
    assert text_problem(value) is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("7", 7),
        (" 42 ", 42),
        (str(MAX_INTEGER), MAX_INTEGER),
        (str(MAX_INTEGER + 1), None),
        ("10" * 20, None),
        ("-1", None),
        ("", None),
        ("1.5", None),
        ("١٢", None),
        ("1e9", None),
    ],
)
def test_integers_are_bounded_where_they_are_parsed(text: str, expected: int | None) -> None:
    assert integer_in_range(text) == expected


def test_dates_are_bounded() -> None:
    assert date_in_range(dt.date(2026, 2, 28))
    assert date_in_range(dt.date(1900, 1, 1))
    assert not date_in_range(dt.date(1, 1, 1))
    assert not date_in_range(dt.date(9999, 12, 31))
