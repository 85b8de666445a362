"""core/forms.py: the GOV.UK date field (bounded where it is parsed) and EdgeForm, the one edge check every form
passes through."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

from saferhomes.core.forms import EdgeForm, GovukDateField


class _Report(EdgeForm):
    what = forms.CharField(label="What happened", max_length=200)
    where = forms.CharField(label="Where", required=False)
    day = GovukDateField(label="Date it happened")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for value in cleaned.values():  # a rule that would fail on text no column can hold
            assert not (isinstance(value, str) and "\x00" in value)
        return cleaned


def _data(**overrides: str) -> dict[str, str]:
    return {"what": "Loud music", "where": "Stairwell", "day_0": "3", "day_1": "2", "day_2": "2026", **overrides}


def test_good_answers_pass() -> None:
    form = _Report(data=_data())
    assert form.is_valid()
    assert form.cleaned_data["day"] == dt.date(2026, 2, 3)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "what",
            "Loud\x00music",
            "What happened contains a hidden control character. Remove it or type the text again",
        ),
        ("where", "\ud800", "Where contains a character we cannot store. Remove it or type the text again"),
        ("day_0", "3\x00", "Date it happened contains a hidden control character. Remove it or type the text again"),
    ],
)
def test_text_no_column_can_hold_is_refused_naming_the_question_and_the_other_answers_are_kept(
    field: str, value: str, message: str
) -> None:
    form = _Report(data=_data(**{field: value}))
    assert not form.is_valid()
    name = field.removesuffix("_0")
    assert form.errors == {name: [message]}
    kept = {key: val for key, val in _data().items() if not key.startswith(name)}
    assert {key: form.data[key] for key in kept} == kept


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("99999999999999999999", "1", "2026"), "Date it happened must be a real date"),
        (("1", "99999999999999999999", "2026"), "Date it happened must be a real date"),
        (("1", "1", "99999999999999999999"), "Date it happened must be a real date"),
        (("1", "1", "0001"), "Date it happened must be the same as or after 1 January 1900"),
        (("1", "1", "9999"), "Date it happened must be the same as or before 31 December 2100"),
        (("\u0661", "1", "2026"), "Date it happened must be a real date"),  # an Arabic-Indic one
        (("29", "2", "2025"), "Date it happened must be a real date"),
        (("1.5", "1", "2026"), "Date it happened must be a real date"),
    ],
)
def test_date_parts_far_out_of_range_are_a_clear_error_not_a_crash(parts: tuple[str, str, str], message: str) -> None:
    form = _Report(data=_data(day_0=parts[0], day_1=parts[1], day_2=parts[2]))
    assert not form.is_valid()
    assert form.errors["day"] == [message]


def test_a_leap_day_is_a_real_date() -> None:
    form = _Report(data=_data(day_0="29", day_1="2", day_2="2028"))
    assert form.is_valid()
    assert form.cleaned_data["day"] == dt.date(2028, 2, 29)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(), st.text(), st.text())
def test_any_text_in_any_answer_is_valid_or_a_field_error_never_an_exception(
    what: str, day: str, month: str, year: str
) -> None:
    form = _Report(data=_data(what=what, day_0=day, day_1=month, day_2=year))
    if not form.is_valid():
        assert set(form.errors) <= {"what", "day"}
