"""Time to refer to the police: worked examples in working hours (the calendar in force) and calendar hours, across a
bank holiday (gov.uk's 2026 Easter, from tests/data/uk-bank-holidays-2025-2027.json) and both clock changes
(Europe/London), with office hours, and the monthly report's figures (count, median, 90th percentile per case type)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType
from saferhomes.core.calendar import WorkingCalendar
from saferhomes.core.calendar_config import closure_day_add
from saferhomes.referrals.models import ReferralKind
from saferhomes.referrals.referral_rules import (
    hours_in_words,
    median,
    percentile,
    time_to_refer,
    time_to_refer_in_words,
)
from saferhomes.referrals.selectors.referrals import police_referral_times
from tests.referrals.factories import ReferralFactory
from tests.referrals.referral_helpers import police_agency, working_case

LONDON = ZoneInfo("Europe/London")
HOLIDAYS = {
    entry["date"]
    for entry in json.loads((Path(__file__).parents[1] / "data" / "uk-bank-holidays-2025-2027.json").read_text())[
        "divisions"
    ]["england-and-wales"]
}
OFFICE = WorkingCalendar(office_hours=(dt.time(9), dt.time(17)))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock time in London."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("started", "sent", "calendar", "working", "elapsed"),
    [
        # The brief's own example: Friday 21:00 to Saturday 02:00, the weekend does not count.
        pytest.param(at(2026, 3, 13, 21), at(2026, 3, 14, 2), WorkingCalendar(), 3, 5, id="friday-night"),
        pytest.param(at(2026, 3, 2, 10), at(2026, 3, 2, 13), WorkingCalendar(), 3, 3, id="same-morning"),
        # Thursday 15:00 before Easter to Tuesday 10:00 after it: Good Friday and Easter Monday do not count.
        pytest.param(at(2026, 4, 2, 15), at(2026, 4, 7, 10), WorkingCalendar(), 19, 115, id="easter"),
        pytest.param(at(2026, 4, 2, 15), at(2026, 4, 7, 10), OFFICE, 3, 115, id="easter-office-hours"),
        # Clocks go forward on Sunday 29 March 2026: 64 hours really pass, though the wall clock says 65.
        pytest.param(at(2026, 3, 27, 16), at(2026, 3, 30, 9), WorkingCalendar(), 17, 64, id="clocks-forward"),
        # Clocks go back on Sunday 25 October 2026: 66 hours really pass, though the wall clock says 65.
        pytest.param(at(2026, 10, 23, 16), at(2026, 10, 26, 9), WorkingCalendar(), 17, 66, id="clocks-back"),
        pytest.param(at(2026, 10, 23, 16), at(2026, 10, 26, 9), OFFICE, 1, 66, id="clocks-back-office-hours"),
    ],
)
def test_time_to_refer_worked_examples(
    started: dt.datetime, sent: dt.datetime, calendar: WorkingCalendar, working: float, elapsed: float
) -> None:
    timing = time_to_refer(started, sent, calendar)
    assert (timing.working_hours, timing.calendar_hours) == (working, elapsed)


def test_the_easter_example_straddles_the_gov_uk_bank_holidays() -> None:
    assert {"2026-04-03", "2026-04-06"} <= HOLIDAYS
    assert not {"2026-04-02", "2026-04-07"} & HOLIDAYS


def test_time_to_refer_in_words() -> None:
    timing = time_to_refer(at(2026, 3, 13, 21), at(2026, 3, 14, 2), WorkingCalendar())
    assert time_to_refer_in_words(timing, from_prompt=True) == (
        "Referred to the police 3 working hours (5 calendar hours) after the prompt at triage"
    )
    assert time_to_refer_in_words(timing, from_prompt=False) == (
        "Referred to the police 3 working hours (5 calendar hours) after the report was received"
    )
    assert hours_in_words(1, "working") == "1 working hour"
    assert hours_in_words(0.5, "calendar") == "0.5 calendar hours"
    assert hours_in_words(2.26, "working") == "2.3 working hours"
    assert hours_in_words(0, "working") == "0 working hours"


def test_median_and_nearest_rank_percentile() -> None:
    assert (median([]), percentile([], 0.9)) == (None, None)
    assert (median([4.0]), percentile([4.0], 0.9)) == (4.0, 4.0)
    ten = [float(n) for n in range(10, 0, -1)]
    assert (median(ten), percentile(ten, 0.9)) == (5.5, 9.0)
    eleven = [float(n) for n in range(1, 12)]
    assert (median(eleven), percentile(eleven, 0.9)) == (6.0, 10.0)


# The monthly report's figures ----------------------------------------------------------------------------------------


def _police(case: object, started: dt.datetime, sent: dt.datetime, **fields: object) -> None:
    ReferralFactory.create(
        case=case,
        agency=police_agency(),
        kind=ReferralKind.POLICE,
        crime_reference="13/123456/26",
        clock_started_at=started,
        sent_at=sent,
        **fields,
    )


def test_police_referral_times_per_case_type_for_the_cases_the_actor_sees(make_staff: Callable[..., User]) -> None:
    manager, officer = make_staff(Role.MANAGER), make_staff(Role.OFFICER)
    stranger = make_staff(Role.OFFICER, username="stranger")
    received = at(2026, 3, 2, 8)
    hate = working_case(officer, case_type=CaseType.HATE, received_at=received)
    asb = working_case(officer, case_type=CaseType.ASB, received_at=received)
    _police(hate, at(2026, 3, 2, 10), at(2026, 3, 2, 13))  # 3 working, 3 calendar
    _police(hate, at(2026, 3, 13, 21), at(2026, 3, 14, 2))  # 3 working, 5 calendar
    _police(hate, at(2026, 3, 27, 16), at(2026, 3, 30, 9))  # 17 working, 64 calendar
    _police(asb, at(2026, 3, 31, 22), at(2026, 3, 31, 23, 59))  # the last day is included
    _police(asb, at(2026, 3, 2, 10), at(2026, 3, 2, 11), withdrawn_at=at(2026, 3, 3, 9), withdrawn_reason="Error")
    _police(asb, at(2026, 3, 31, 22), at(2026, 4, 1, 0, 1))  # April: outside the month
    ReferralFactory.create(case=asb, sent_at=at(2026, 3, 10, 9))  # not a police referral

    figures = police_referral_times(actor=manager, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert figures.overall.count == 4
    by_type = {row.key: row for row in figures.by_case_type}
    assert list(by_type) == ["asb", "hate", "da"]
    hate_row = by_type["hate"]
    assert (hate_row.count, hate_row.median_working_hours, hate_row.p90_working_hours) == (3, 3.0, 17.0)
    assert (hate_row.median_calendar_hours, hate_row.p90_calendar_hours) == (5.0, 64.0)
    assert by_type["asb"].count == 1
    assert by_type["asb"].median_calendar_hours == pytest.approx(1 + 59 / 60)
    assert (by_type["da"].count, by_type["da"].median_working_hours) == (0, None)

    assert police_referral_times(actor=officer, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)).overall.count == 4
    hidden = police_referral_times(actor=stranger, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert hidden.overall.count == 0


def test_police_referral_times_follow_the_calendar_in_force(make_staff: Callable[..., User]) -> None:
    manager, officer, admin = make_staff(Role.MANAGER), make_staff(Role.OFFICER), make_staff(Role.ADMIN)
    case = working_case(officer, received_at=at(2026, 3, 2, 8))
    _police(case, at(2026, 3, 4, 12), at(2026, 3, 5, 12))  # Wednesday noon to Thursday noon
    month = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}
    assert police_referral_times(actor=manager, **month).overall.median_working_hours == 24.0
    closure_day_add(actor=admin, day=dt.date(2026, 3, 5), reason="Office move")
    assert police_referral_times(actor=manager, **month).overall.median_working_hours == 12.0
