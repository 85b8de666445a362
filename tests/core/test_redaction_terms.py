"""Third-party redaction for subject access (core.redaction.TermRedactor; ADR 0019): full names, emails and
addresses in any case, single names only as names (capitalised), phone numbers in any usual format, whole words."""

from __future__ import annotations

from saferhomes.core.redaction import THIRD_PARTY, TermRedactor, normalise_phone


def test_phone_numbers_are_normalised_to_national_digits() -> None:
    assert normalise_phone("+44 7700 900123") == "07700900123"
    assert normalise_phone("0044 (0)7700-900-123".replace("(0)", "")) == "07700900123"
    assert normalise_phone("07700 900123") == "07700900123"


def test_a_phone_number_is_redacted_however_it_is_written() -> None:
    redact = TermRedactor(phones=["07700 900999"])
    for written in ("07700900999", "07700 900 999", "+44 7700 900999", "+44 (0)7700 900999", "07700-900-999"):
        assert redact(f"Call {written} now") == f"Call {THIRD_PARTY} now", written
    assert redact("Ref 107700900999") == "Ref 107700900999"  # part of a longer number: not a phone


def test_full_names_emails_and_addresses_ignore_case_and_spacing() -> None:
    redact = TermRedactor(phrases=["Zorblax Quentworth", "zq@example.net", "13 Perpetrator Row"])
    text = "ZORBLAX  quentworth (ZQ@example.net) of 13 perpetrator row"
    assert redact(text) == f"{THIRD_PARTY} ({THIRD_PARTY}) of {THIRD_PARTY}"


def test_a_single_name_is_redacted_only_as_a_name() -> None:
    redact = TermRedactor(names=["will", "Mirabel"])
    assert redact("Will said he will call; MIRABEL and Mirabel's dog") == (
        f"{THIRD_PARTY} said he will call; {THIRD_PARTY} and {THIRD_PARTY}'s dog"
    )


def test_whole_words_only() -> None:
    redact = TermRedactor(names=["Ann"])
    assert redact("Annual visit with Ann") == f"Annual visit with {THIRD_PARTY}"
