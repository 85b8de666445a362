"""Pure housing rules: postcodes, ages and the minor flag, cell parsing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhomes.housing import rules

LETTER_1 = "ABCDEFGHIJKLMNOPRSTUWYZ"  # not Q, V, X
LETTER_2 = "ABCDEFGHKLMNOPQRSTUVWXY"  # not I, J, Z
LETTER_A9A = "ABCDEFGHJKPSTUW"
LETTER_AA9A = "ABEHMNPRVWXY"
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # not C, I, K, M, O, V

digits = st.sampled_from("0123456789")
outward_codes = st.one_of(
    st.tuples(st.sampled_from(LETTER_1), digits).map("".join),
    st.tuples(st.sampled_from(LETTER_1), digits, digits).map("".join),
    st.tuples(st.sampled_from(LETTER_1), st.sampled_from(LETTER_2), digits).map("".join),
    st.tuples(st.sampled_from(LETTER_1), st.sampled_from(LETTER_2), digits, digits).map("".join),
    st.tuples(st.sampled_from(LETTER_1), digits, st.sampled_from(LETTER_A9A)).map("".join),
    st.tuples(st.sampled_from(LETTER_1), st.sampled_from(LETTER_2), digits, st.sampled_from(LETTER_AA9A)).map("".join),
)
inward_codes = st.tuples(digits, st.sampled_from(INWARD_LETTERS), st.sampled_from(INWARD_LETTERS)).map("".join)
canonical_postcodes = st.tuples(outward_codes, inward_codes).map(" ".join)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("sw1a 1aa", "SW1A 1AA"),
        ("SW1A1AA", "SW1A 1AA"),
        ("  m1   1ae ", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("cr26xh", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcode_is_normalised_to_upper_case_with_one_space(typed: str, canonical: str) -> None:
    assert rules.normalise_postcode(typed) == canonical


@pytest.mark.parametrize(
    "typed",
    ["XYZ", "", "12345", "SW1A 1A", "SW1A 1AAA", "QA1 1AA", "AB1 1CA", "A1 1AI", "AB12 3C", "LS1 1AA!", "ZZZZ 1AA"],
)
def test_text_that_is_not_a_uk_postcode_is_rejected_with_the_text_in_the_message(typed: str) -> None:
    with pytest.raises(rules.InvalidPostcodeError, match="is not a UK postcode"):
        rules.normalise_postcode(typed)
    assert rules.is_uk_postcode(typed) is False


@given(canonical_postcodes, st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_spacing_or_case_of_a_valid_postcode_normalises_to_the_canonical_form(
    postcode: str, gap: str, lower: bool
) -> None:
    outward, inward = postcode.split(" ")
    typed = f" {outward}{gap}{inward} "
    typed = typed.lower() if lower else typed
    assert rules.normalise_postcode(typed) == postcode


@given(st.text(max_size=12))
def test_normalising_any_text_either_fails_cleanly_or_is_idempotent(text: str) -> None:
    try:
        once = rules.normalise_postcode(text)
    except rules.InvalidPostcodeError:
        return
    assert rules.normalise_postcode(once) == once
    assert rules.POSTCODE_RE.match(once)


@pytest.mark.parametrize(
    ("born", "on", "minor"),
    [
        (dt.date(2008, 6, 15), dt.date(2026, 6, 14), True),  # the day before the 18th birthday
        (dt.date(2008, 6, 15), dt.date(2026, 6, 15), False),  # the 18th birthday
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), True),  # leap-day baby, non-leap year: not yet 18
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), False),  # ...18 on 1 March
        (dt.date(2004, 2, 29), dt.date(2022, 2, 28), True),
        (dt.date(2004, 2, 29), dt.date(2022, 3, 1), False),
        (dt.date(2008, 2, 29), dt.date(2028, 2, 29), False),  # a leap year birthday well after 18
        (dt.date(1990, 1, 1), dt.date(2026, 1, 1), False),
        (dt.date(2026, 1, 2), dt.date(2026, 1, 1), True),  # not yet born counts as a minor
    ],
)
def test_minor_means_under_18_on_the_date_and_leap_day_birthdays_fall_on_1_march(
    born: dt.date, on: dt.date, minor: bool
) -> None:
    assert rules.is_minor_on(born, on) is minor


def test_unrecorded_date_of_birth_is_not_treated_as_a_minor() -> None:
    assert rules.is_minor_on(None, dt.date(2026, 1, 1)) is False


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(0, 40_000))
def test_age_never_decreases_and_minor_flag_flips_once(born: dt.date, days: int) -> None:
    on = born + dt.timedelta(days=days)
    later = on + dt.timedelta(days=1)
    assert rules.age_on(born, later) >= rules.age_on(born, on) >= 0
    if not rules.is_minor_on(born, on):
        assert not rules.is_minor_on(born, later)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2080, 12, 31)))
def test_someone_is_18_exactly_on_their_18th_birthday_or_1_march_for_leap_days(born: dt.date) -> None:
    year = born.year + 18
    try:
        birthday = born.replace(year=year)
    except ValueError:  # 29 February in a non-leap year
        birthday = dt.date(year, 3, 1)
    assert rules.is_minor_on(born, birthday - dt.timedelta(days=1))
    assert not rules.is_minor_on(born, birthday)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024-03-31", dt.date(2024, 3, 31)),
        ("31/03/2024", dt.date(2024, 3, 31)),
        ("1/4/2024", dt.date(2024, 4, 1)),
        ("31-03-2024", dt.date(2024, 3, 31)),
        ("2024-03-31 00:00:00", dt.date(2024, 3, 31)),
    ],
)
def test_dates_are_read_in_iso_or_uk_order(typed: str, expected: dt.date) -> None:
    assert rules.parse_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("03/31/2024", "not a real date"), ("31 March 2024", "is not a date"), ("2024-02-30", "not a real date")],
)
def test_american_or_impossible_dates_are_rejected(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        rules.parse_date(typed)


@pytest.mark.parametrize(("typed", "ok"), [("1", True), ("999999999999", True), ("0", False), ("1234567890123", False)])
def test_uprn_is_one_to_twelve_digits(typed: str, ok: bool) -> None:
    if ok:
        assert rules.parse_uprn(typed) == int(typed)
    else:
        with pytest.raises(ValueError, match="is not a UPRN"):
            rules.parse_uprn(typed)


def test_headers_ignore_case_spaces_and_hyphens() -> None:
    assert rules.normalise_header("  Address Line-1 ") == "address_line_1"
    assert rules.normalise_header("DATE OF BIRTH") == "date_of_birth"


def test_yes_no_cells() -> None:
    assert rules.parse_yes_no("Yes") is True
    assert rules.parse_yes_no("") is False
    with pytest.raises(ValueError, match="is not yes or no"):
        rules.parse_yes_no("maybe")


def test_lists_split_on_semicolons_or_commas_and_drop_blanks() -> None:
    assert rules.split_list("P001; P002,,P003;") == ["P001", "P002", "P003"]
