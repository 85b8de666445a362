"""The landlord's calendar settings: defaults, admin-only audited changes, and every process noticing a change."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from saferhomes.core.calendar import LONDON, Nation, ResponseStatus, WorkingCalendar
from saferhomes.core.calendar_config import (
    calendar_config_current,
    calendar_current,
    calendar_settings_update,
    case_response_due,
    case_response_explanation,
    case_response_status,
    closure_day_add,
    closure_day_remove,
)
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent, CalendarSettings, ClosureDay

pytestmark = pytest.mark.django_db

CHRISTMAS_EVE = datetime(2025, 12, 24, 15, tzinfo=LONDON)
NEW_YEARS_EVE = datetime(2025, 12, 31, 10, tzinfo=LONDON)


def _update(actor, **changes):
    values: dict[str, Any] = {
        "nation": Nation.ENGLAND_AND_WALES.value,
        "office_hours_enabled": False,
        "office_opens": time(9),
        "office_closes": time(17),
        "due_soon_hours": None,
    }
    values.update(changes)
    return calendar_settings_update(actor=actor, **values)


def test_default_calendar_is_england_and_wales_all_day_with_no_closures() -> None:
    assert not CalendarSettings.objects.exists()
    config = calendar_config_current()
    assert config.calendar == WorkingCalendar()
    assert config.due_soon is None
    assert case_response_due(CHRISTMAS_EVE, urgent=False) == datetime(2026, 1, 5, 23, 59, 59, tzinfo=LONDON)


def test_admin_changes_the_nation_and_new_deadlines_follow_it(admin_ada) -> None:
    assert case_response_due(NEW_YEARS_EVE, urgent=True) == datetime(2026, 1, 2, 10, tzinfo=LONDON)
    _update(admin_ada, nation=Nation.SCOTLAND.value)
    assert calendar_current().nation is Nation.SCOTLAND
    assert case_response_due(NEW_YEARS_EVE, urgent=True) == datetime(2026, 1, 5, 10, tzinfo=LONDON)
    event = AuditEvent.objects.get(verb="calendar.settings_changed")
    assert event.actor == admin_ada
    assert (event.before or {})["nation"] == "england-and-wales"
    assert (event.after or {})["nation"] == "scotland"


def test_office_hours_and_due_soon_threshold_come_from_the_settings(admin_ada) -> None:
    _update(
        admin_ada, office_hours_enabled=True, office_opens=time(8, 30), office_closes=time(16, 30), due_soon_hours=4
    )
    config = calendar_config_current()
    assert config.calendar.office_hours == (time(8, 30), time(16, 30))
    assert config.due_soon == timedelta(hours=4)
    due = datetime(2025, 6, 16, 16, 30, tzinfo=LONDON)
    now = datetime(2025, 6, 16, 11, tzinfo=LONDON)  # 5.5 working hours left
    assert case_response_status(due_at=due, responded_at=None, now=now) is ResponseStatus.ON_TRACK
    assert case_response_status(due_at=due, responded_at=None, now=now + timedelta(hours=2)) is (
        ResponseStatus.DUE_SOON
    )


def test_saving_unchanged_settings_records_nothing(admin_ada) -> None:
    _update(admin_ada)
    assert not AuditEvent.objects.filter(verb="calendar.settings_changed").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"office_opens": time(17), "office_closes": time(9)}, "office_closes"),
        ({"nation": "wales"}, "nation"),
        ({"due_soon_hours": 0}, "due_soon_hours"),
        ({"due_soon_hours": 500}, "due_soon_hours"),
    ],
)
def test_invalid_calendar_settings_are_refused_with_a_message_for_the_field(admin_ada, changes, field) -> None:
    with pytest.raises(DomainError) as caught:
        _update(admin_ada, **changes)
    assert field in caught.value.field_errors


@pytest.mark.parametrize("role", ["officer", "coordinator", "manager", "dpo", "partner", "da_specialist"])
def test_only_administrators_may_change_the_calendar(make_staff, role) -> None:
    actor = make_staff(role)
    with pytest.raises(PermissionDenied):
        _update(actor, nation=Nation.SCOTLAND.value)
    with pytest.raises(PermissionDenied):
        closure_day_add(actor=actor, day=date(2025, 12, 29), reason="Shutdown")


def test_closure_day_added_then_removed_is_audited_and_changes_new_deadlines(admin_ada) -> None:
    closure = closure_day_add(actor=admin_ada, day=date(2025, 12, 29), reason="Christmas shutdown")
    assert calendar_current().closures == frozenset({date(2025, 12, 29)})
    assert case_response_due(CHRISTMAS_EVE, urgent=True) == datetime(2025, 12, 30, 15, tzinfo=LONDON)
    assert case_response_explanation(CHRISTMAS_EVE, urgent=True) == (
        "24 working hours from 15:00 on Wed 24 Dec 2025 — bank holidays 25, 26 Dec excluded; "
        "closure day 29 Dec excluded"
    )
    closure_day_remove(actor=admin_ada, closure=closure)
    assert calendar_current().closures == frozenset()
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", "before", "after"))
    assert verbs == [
        ("calendar.closure_day_added", None, {"day": "2025-12-29", "reason": "Christmas shutdown"}),
        ("calendar.closure_day_removed", {"day": "2025-12-29", "reason": "Christmas shutdown"}, None),
    ]


def test_closure_day_needs_a_reason_and_cannot_be_added_twice(admin_ada) -> None:
    closure_day_add(actor=admin_ada, day=date(2025, 12, 29), reason="Christmas shutdown")
    with pytest.raises(DomainError) as caught:
        closure_day_add(actor=admin_ada, day=date(2025, 12, 29), reason="  ")
    assert caught.value.field_errors == {
        "day": ["Mon 29 Dec 2025 is already a closure day."],
        "reason": ["Enter why the office is closed, for example Christmas shutdown."],
    }
    assert ClosureDay.objects.count() == 1


def test_a_change_made_by_another_process_is_noticed_on_the_next_call(admin_ada) -> None:
    _update(admin_ada)
    assert calendar_current().nation is Nation.ENGLAND_AND_WALES
    # Another process (the worker, another web node) writes directly; this process's cache must not hide it.
    CalendarSettings.objects.filter(pk=1).update(nation=Nation.NORTHERN_IRELAND.value, revision=uuid.uuid4())
    assert calendar_current().nation is Nation.NORTHERN_IRELAND


def test_calendar_is_built_once_per_revision(admin_ada, django_assert_num_queries) -> None:
    _update(admin_ada, nation=Nation.SCOTLAND.value)
    calendar_current()
    with django_assert_num_queries(1):
        assert calendar_current().nation is Nation.SCOTLAND


def test_administrator_role_holds_the_calendar_permission(admin_ada, officer_olivia) -> None:
    assert admin_ada.has_perm("core.change_calendarsettings")
    assert not officer_olivia.has_perm("core.change_calendarsettings")
