"""Properties of the pure referral rules (hypothesis): the crime reference check says exactly what it promises, and
a chase step falls due exactly when `chase_step_due` says it has."""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from saferhomes.core.calendar import LONDON, WorkingCalendar
from saferhomes.referrals.referral_rules import (
    chase_due_at,
    chase_step_due,
    crime_reference_normalised,
    crime_reference_problem,
)

ALLOWED = set(string.ascii_letters + string.digits + "/- ")
calendars = st.sampled_from([WorkingCalendar(), WorkingCalendar(office_hours=(dt.time(9), dt.time(17)))])
instants = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 6, 30)).map(
    lambda moment: moment.replace(tzinfo=LONDON)
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from([*sorted(ALLOWED), "_", ".", "\x00", "\t", "\u0661", "é"]), max_size=40))
def test_a_crime_reference_is_accepted_exactly_when_it_fits_the_rule(text: str) -> None:
    fits = 4 <= len(text) <= 30 and set(text) <= ALLOWED and any(char in string.digits for char in text)
    assert (crime_reference_problem(text) is None) == fits


@given(st.text(max_size=60))
def test_any_text_is_answered_without_error(text: str) -> None:
    problem = crime_reference_problem(crime_reference_normalised(text))
    assert problem is None or problem.startswith("Enter the crime or incident reference")


@settings(max_examples=300, deadline=None)
@given(sent=instants, gap=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=60)), calendar=calendars)
def test_a_step_is_due_exactly_from_its_due_time(
    sent: dt.datetime, gap: dt.timedelta, calendar: WorkingCalendar
) -> None:
    now = sent + gap
    step = chase_step_due(sent, now, 5, calendar)
    if step:
        assert chase_due_at(sent, step, 5, calendar) <= now
    assert chase_due_at(sent, step + 1, 5, calendar) > now
