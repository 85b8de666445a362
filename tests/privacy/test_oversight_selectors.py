"""DPO oversight (issue 19 part 5): who read which restricted or DA case and how, break-glass uses with what was read
while they lasted, and anomalies (bursts, out of hours in London time, break glass left unused), each explained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.errors import DomainError
from saferhomes.core.models import CalendarSettings
from saferhomes.privacy.oversight_models import AnomalyKind
from saferhomes.privacy.selectors.anomalies import anomalies_between, anomalies_for
from saferhomes.privacy.selectors.oversight import (
    How,
    OversightFilters,
    break_glass_uses,
    grant_rows,
    read_rows,
    restricted_reads,
)
from saferhomes.privacy.services.dpo_access import dpo_access_grant
from tests.privacy.oversight_helpers import break_glass_at, read_at, restricted_case

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2026, 3, 3)  # a working day in England, GMT


def london(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def whole_day(day: dt.date) -> OversightFilters:
    return OversightFilters(date_from=day, date_to=day)


@pytest.fixture
def dpo(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.DPO)


def test_restricted_reads_say_who_when_which_case_and_how(make_staff: Callable[..., User], dpo: User) -> None:
    manager = make_staff(Role.MANAGER)
    case = restricted_case()
    officer = case.assigned_officer
    assert officer is not None
    read_at(officer, case, london(TUESDAY, 10))
    read_at(manager, case, london(TUESDAY, 11))
    break_glass_at(manager, case, london(TUESDAY, 12))
    read_at(manager, case, london(TUESDAY, 12, 1))
    rows = read_rows(restricted_reads(actor=dpo, filters=whole_day(TUESDAY)))
    assert [(r.username, r.how) for r in rows] == [
        (manager.username, How.BREAK_GLASS),
        (manager.username, How.ROLE),
        (officer.username, How.ASSIGNED),
    ]
    assert rows[0].case is not None
    assert (rows[0].case.reference, rows[0].case.type_label, rows[0].case.sensitivity_label) == (
        case.reference,
        "Domestic abuse",
        "Domestic abuse",
    )
    assert rows[0].page == f"/staff/cases/{case.reference}/"


def test_restricted_reads_filter_by_user_case_and_london_dates(make_staff: Callable[..., User], dpo: User) -> None:
    manager = make_staff(Role.MANAGER)
    one, other = restricted_case(), restricted_case()
    read_at(manager, one, london(TUESDAY, 0, 30))  # 00:30 London is still Tuesday
    read_at(manager, other, london(TUESDAY, 23, 59))
    read_at(manager, other, london(TUESDAY + dt.timedelta(days=1), 0, 1))
    assert restricted_reads(actor=dpo, filters=whole_day(TUESDAY)).count() == 2
    by_case = OversightFilters(date_from=TUESDAY, date_to=TUESDAY, case=one.reference.lower())
    assert [e.object_id for e in restricted_reads(actor=dpo, filters=by_case)] == [str(one.pk)]
    by_user = OversightFilters(date_from=TUESDAY, date_to=TUESDAY, user="nobody")
    assert not restricted_reads(actor=dpo, filters=by_user).exists()


def test_a_period_longer_than_a_year_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        OversightFilters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 1, 2))
    assert "date_to" in refused.value.field_errors


def test_only_the_dpo_may_read_oversight(make_staff: Callable[..., User]) -> None:
    from django.core.exceptions import PermissionDenied

    for role in Role:
        user = make_staff(role, username=f"o_{role}")
        if role == Role.DPO:
            restricted_reads(actor=user, filters=whole_day(TUESDAY))
            continue
        with pytest.raises(PermissionDenied):
            restricted_reads(actor=user, filters=whole_day(TUESDAY))


def test_break_glass_shows_the_manager_reason_expiry_and_what_they_read(
    make_staff: Callable[..., User], dpo: User
) -> None:
    manager = make_staff(Role.MANAGER)
    case = restricted_case()
    grant = break_glass_at(manager, case, london(TUESDAY, 9), reason="Safeguarding concern raised by the police")
    read_at(manager, case, london(TUESDAY, 9, 1))
    read_at(manager, case, london(TUESDAY, 9, 5), page=f"/staff/cases/{case.reference}/risk/")
    with time_machine.travel(london(TUESDAY, 9, 10), tick=False):
        audit(actor=manager, verb=AuditVerb.NOTE_ADDED, obj=case)
    read_at(manager, case, london(TUESDAY, 18))  # after the 8 hours: not under the grant
    [row] = grant_rows(break_glass_uses(actor=dpo, filters=whole_day(TUESDAY)))
    assert row.kind == How.BREAK_GLASS
    assert (row.username, row.given_by, row.reason) == (
        manager.username,
        manager.username,
        "Safeguarding concern raised by the police",
    )
    assert row.grant.expires_at == grant.expires_at
    assert [page for _at, page in row.reads] == [
        f"/staff/cases/{case.reference}/",
        f"/staff/cases/{case.reference}/risk/",
    ]
    assert [what for _at, what in row.actions] == ["Note added"]


def test_access_given_to_the_dpo_is_listed_with_who_gave_it(make_staff: Callable[..., User], dpo: User) -> None:
    manager = make_staff(Role.MANAGER)
    case = restricted_case()
    with time_machine.travel(london(TUESDAY, 10), tick=False):
        dpo_access_grant(actor=manager, dpo=dpo, reference=case.reference, reason="Subject access request", hours=4)
    read_at(dpo, case, london(TUESDAY, 10, 5))
    [row] = grant_rows(break_glass_uses(actor=dpo, filters=whole_day(TUESDAY)))
    assert (row.kind, row.username, row.given_by) == (How.DPO_GRANT, dpo.username, manager.username)
    [read] = read_rows(restricted_reads(actor=dpo, filters=whole_day(TUESDAY)))
    assert (read.how, read.detail) == (How.DPO_GRANT, f"Given by {manager.username}")


# Anomalies --------------------------------------------------------------------------------------------------------


def test_ten_different_cases_in_an_hour_is_a_burst_and_nine_is_not(make_staff: Callable[..., User], dpo: User) -> None:
    officer = make_staff(Role.DA_SPECIALIST)
    cases = [restricted_case() for _ in range(10)]
    for index, case in enumerate(cases[:9]):
        read_at(officer, case, london(TUESDAY, 10, index * 5))
        read_at(officer, case, london(TUESDAY, 10, index * 5 + 1))  # a second page of the same case counts once
    assert not [a for a in anomalies_for(actor=dpo, filters=whole_day(TUESDAY)) if a.kind == AnomalyKind.BURST]
    read_at(officer, cases[9], london(TUESDAY, 10, 59))
    [burst] = [a for a in anomalies_for(actor=dpo, filters=whole_day(TUESDAY)) if a.kind == AnomalyKind.BURST]
    assert burst.username == officer.username
    assert set(burst.cases) == {case.reference for case in cases}
    assert burst.explanation == (
        f"{officer.username} read 10 different restricted or DA cases between 10:00 and 10:59 on Tue 3 Mar 2026. "
        "The alert is for 10 or more within 60 minutes."
    )


def test_reads_spread_over_more_than_the_window_are_not_a_burst(make_staff: Callable[..., User], dpo: User) -> None:
    officer = make_staff(Role.DA_SPECIALIST)
    for index in range(10):
        read_at(officer, restricted_case(), london(TUESDAY, 9, 0) + dt.timedelta(minutes=7 * index))  # 63 minutes
    assert not [a for a in anomalies_for(actor=dpo, filters=whole_day(TUESDAY)) if a.kind == AnomalyKind.BURST]


def test_the_burst_threshold_comes_from_settings(
    make_staff: Callable[..., User], dpo: User, settings: Settings
) -> None:
    settings.OVERSIGHT_BURST_CASES = 3
    settings.OVERSIGHT_BURST_MINUTES = 10
    officer = make_staff(Role.DA_SPECIALIST)
    for minute in (0, 4, 9):
        read_at(officer, restricted_case(), london(TUESDAY, 11, minute))
    [burst] = [a for a in anomalies_for(actor=dpo, filters=whole_day(TUESDAY)) if a.kind == AnomalyKind.BURST]
    assert "3 or more within 10 minutes" in burst.explanation


def _out_of_hours(dpo: User, day: dt.date) -> list[str]:
    return [
        a.explanation for a in anomalies_for(actor=dpo, filters=whole_day(day)) if a.kind == AnomalyKind.OUT_OF_HOURS
    ]


def test_reads_at_night_at_weekends_and_on_bank_holidays_are_out_of_hours(
    make_staff: Callable[..., User], dpo: User
) -> None:
    officer = make_staff(Role.DA_SPECIALIST)
    case = restricted_case()
    read_at(officer, case, london(TUESDAY, 23, 10))
    read_at(officer, case, london(TUESDAY, 12))  # in hours
    read_at(officer, case, london(dt.date(2026, 3, 8), 12))  # a Sunday
    read_at(officer, case, london(dt.date(2026, 4, 6), 12))  # Easter Monday 2026
    [night] = _out_of_hours(dpo, TUESDAY)
    assert night == (
        f"{officer.username} read 1 restricted or DA case (1 page) between 23:10 and 23:10 on Tue 3 Mar 2026: "
        "outside working hours (08:00 to 18:00)."
    )
    assert _out_of_hours(dpo, dt.date(2026, 3, 8))[0].endswith(": a Sunday.")
    assert _out_of_hours(dpo, dt.date(2026, 4, 6))[0].endswith(": a bank holiday (Easter Monday).")


def test_working_hours_are_london_time_across_the_clock_change(make_staff: Callable[..., User], dpo: User) -> None:
    officer = make_staff(Role.DA_SPECIALIST)
    case = restricted_case()
    winter, summer = dt.date(2026, 3, 27), dt.date(2026, 3, 31)  # Friday GMT; Tuesday BST (clocks went forward 29th)
    read_at(officer, case, dt.datetime(2026, 3, 27, 7, 30, tzinfo=dt.UTC))  # 07:30 GMT: before 08:00
    read_at(officer, case, dt.datetime(2026, 3, 31, 7, 30, tzinfo=dt.UTC))  # 08:30 BST: in hours
    assert len(_out_of_hours(dpo, winter)) == 1
    assert _out_of_hours(dpo, summer) == []


def test_the_calendars_office_hours_are_used_when_set(make_staff: Callable[..., User], dpo: User) -> None:
    CalendarSettings.objects.create(
        pk=1, office_hours_enabled=True, office_opens=dt.time(9, 30), office_closes=dt.time(16, 30)
    )
    officer = make_staff(Role.DA_SPECIALIST)
    read_at(officer, restricted_case(), london(TUESDAY, 9, 0))
    [explanation] = _out_of_hours(dpo, TUESDAY)
    assert explanation.endswith("outside working hours (09:30 to 16:30).")


def test_break_glass_with_nothing_done_but_reading_is_an_anomaly_once_it_ends(
    make_staff: Callable[..., User], dpo: User
) -> None:
    manager = make_staff(Role.MANAGER)
    idle, used = restricted_case(), restricted_case()
    break_glass_at(manager, idle, london(TUESDAY, 9))
    read_at(manager, idle, london(TUESDAY, 9, 1))
    break_glass_at(manager, used, london(TUESDAY, 10))
    with time_machine.travel(london(TUESDAY, 10, 5), tick=False):
        audit(actor=manager, verb=AuditVerb.NOTE_ADDED, obj=used)
    start, end = whole_day(TUESDAY).span()
    with time_machine.travel(london(TUESDAY, 12), tick=False):  # both still running
        assert not [a for a in anomalies_between(start, end) if a.kind == AnomalyKind.UNUSED_BREAK_GLASS]
    with time_machine.travel(london(TUESDAY + dt.timedelta(days=1), 9), tick=False):
        [unused] = [a for a in anomalies_between(start, end) if a.kind == AnomalyKind.UNUSED_BREAK_GLASS]
    assert unused.cases == (idle.reference,)
    assert "read 1 page and changed nothing on the case" in unused.explanation


def test_anomaly_keys_are_stable_between_runs(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.DA_SPECIALIST)
    read_at(officer, restricted_case(), london(TUESDAY, 22))
    start, end = whole_day(TUESDAY).span()
    first = [a.key for a in anomalies_between(start, end)]
    assert first == [a.key for a in anomalies_between(start, end + dt.timedelta(days=1))]
    assert first == [f"out_of_hours:{officer.pk}:2026-03-03"]
    assert timezone.is_aware(anomalies_between(start, end)[0].first_at)
