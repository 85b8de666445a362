"""The working calendar pages: administrators only, GOV.UK forms that keep what was typed, every change audited."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
import time_machine
from django.test import Client

from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case
from saferhomes.core.calendar import LONDON, Nation
from saferhomes.core.calendar_config import (
    calendar_current,
    calendar_settings_current,
    case_response_due,
    closure_day_add,
)
from saferhomes.core.models import AuditEvent, ClosureDay
from tests.access.surfaces import RoleSurface
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

CALENDAR_URL = "/staff/settings/calendar/"
CHANGE_URL = "/staff/settings/calendar/change/"
ADD_URL = "/staff/settings/calendar/closures/add/"
RECALCULATE_URL = "/staff/settings/calendar/recalculate/"
CHRISTMAS_EVE = datetime(2025, 12, 24, 15, tzinfo=LONDON)

VALID_SETTINGS = {
    "nation": "england-and-wales",
    "office_hours_enabled": "no",
    "office_opens": "09:00",
    "office_closes": "17:00",
    "due_soon_hours": "",
}


@pytest.fixture
def admin(staff_client) -> Client:
    return staff_client(Role.ADMIN)


@pytest.fixture
def admin_user(admin):
    from saferhomes.accounts.models import User

    return User.objects.get(username="admin_ada")


ADMIN = frozenset({Role.ADMIN})
CALENDAR_PAGES = [
    RoleSurface("Working-time calendar", "Calendar", "GET", CALENDAR_URL, ADMIN),
    RoleSurface("Working-time calendar", "Change the calendar", "GET", CHANGE_URL, ADMIN),
    RoleSurface("Working-time calendar", "Add a closure day", "GET", ADD_URL, ADMIN),
    RoleSurface("Working-time calendar", "Recalculate deadlines", "GET", RECALCULATE_URL, ADMIN),
]
SOME_OTHERS = frozenset({Role.OFFICER, Role.MANAGER, Role.DPO})
CALENDAR_POSTS = [
    RoleSurface("Working-time calendar", f"{page.name} (post)", "POST", page.path, ADMIN, tried=SOME_OTHERS)
    for page in CALENDAR_PAGES[1:]
]


@pytest.mark.parametrize("page", CALENDAR_PAGES, ids=[page.path for page in CALENDAR_PAGES])
@pytest.mark.parametrize("role", Role.values)
def test_only_administrators_reach_the_calendar_pages(staff_client, role, page) -> None:
    response = staff_client(role).get(page.url())
    assert response.status_code == page.expected(role)


@pytest.mark.parametrize("page", CALENDAR_POSTS, ids=[page.path for page in CALENDAR_POSTS])
@pytest.mark.parametrize("role", sorted(SOME_OTHERS))
def test_other_roles_cannot_post_calendar_changes(staff_client, role, page) -> None:
    response = staff_client(role).post(page.url(), {**VALID_SETTINGS, "nation": "scotland"})
    assert response.status_code == page.expected(role) == 403
    assert not AuditEvent.objects.filter(verb__startswith="calendar.").exists()


def test_anonymous_visitor_is_sent_to_sign_in() -> None:
    response = Client().get(CALENDAR_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/sign-in/?next={CALENDAR_URL}"


def test_staff_menu_links_the_calendar_for_administrators_only(staff_client) -> None:
    assert CALENDAR_URL in staff_client(Role.ADMIN).get("/staff/").content.decode()
    assert CALENDAR_URL not in staff_client(Role.OFFICER, username="officer_other").get("/staff/").content.decode()


def test_calendar_page_shows_settings_closures_and_what_a_report_received_now_gets(admin, admin_user) -> None:
    closure_day_add(actor=admin_user, day=date(2025, 12, 29), reason="Christmas shutdown")
    with time_machine.travel(CHRISTMAS_EVE, tick=False):
        page = admin.get(CALENDAR_URL).content.decode()
    assert '<h1 class="govuk-heading-l">Working calendar</h1>' in page
    assert "England and Wales" in page
    assert "Off: working days count from 00:00 to 24:00" in page
    assert "Less than one working day left" in page
    assert "Christmas shutdown" in page
    assert "Due by the end of Tue 6 Jan 2026" in page
    assert "5 working days from Wed 24 Dec 2025 — bank holidays 25, 26 Dec and 1 Jan excluded; " in page
    assert "Due by 15:00 on Tue 30 Dec 2025" in page
    assert "Boxing Day" in page  # upcoming non-working weekdays


def test_admin_changes_the_calendar_and_it_is_audited(admin) -> None:
    response = admin.post(
        CHANGE_URL,
        {**VALID_SETTINGS, "nation": "scotland", "office_hours_enabled": "yes", "office_opens": "8.30"},
    )
    assert response.status_code == 302
    assert response["Location"] == CALENDAR_URL
    row = calendar_settings_current()
    assert (row.nation, row.office_hours_enabled, row.office_opens) == ("scotland", True, time(8, 30))
    assert calendar_current().office_hours == (time(8, 30), time(17))
    assert AuditEvent.objects.filter(verb="calendar.settings_changed").count() == 1
    page = admin.get(CALENDAR_URL).content.decode()
    assert "Calendar saved. New deadlines use it; deadlines already set have not moved." in page
    assert "Deadlines count only 08:30 to 17:00 on working days" in page


def test_change_form_starts_with_the_current_settings(admin) -> None:
    page = admin.get(CHANGE_URL).content.decode()
    assert re.search(r'value="england-and-wales"\s*checked', page)
    assert re.search(r'value="no"\s*checked', page)
    assert 'value="09:00"' in page


@pytest.mark.parametrize(
    ("changes", "anchor", "message"),
    [
        ({"office_opens": "17:00", "office_closes": "09:00"}, "id_office_closes", "Closing time must be later than"),
        ({"office_opens": "9am"}, "id_office_opens", "Enter the opening time in the format hh:mm, for example 09:00"),
        ({"office_closes": "25:00"}, "id_office_closes", "Enter a real closing time, from 00:00 to 23:59"),
        ({"nation": ""}, "id_nation_1", "Select the nation whose bank holidays apply"),
        ({"due_soon_hours": "lots"}, "id_due_soon_hours", "Due soon threshold must be a whole number"),
        ({"due_soon_hours": "0"}, "id_due_soon_hours", "Due soon threshold must be between 1 and 120 working hours"),
    ],
)
def test_change_form_errors_link_to_the_field_and_keep_what_was_typed(admin, changes, anchor, message) -> None:
    response = admin.post(CHANGE_URL, {**VALID_SETTINGS, **changes})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Change the working calendar" in page
    assert f'<a href="#{anchor}">{message}' in page
    assert f'id="{anchor}"' in page  # the link leads somewhere
    assert 'class="govuk-error-message"' in page
    for value in changes.values():
        if value and value not in {"scotland", "england-and-wales"}:
            assert f'value="{value}"' in page
    assert not AuditEvent.objects.filter(verb="calendar.settings_changed").exists()


def test_admin_adds_a_closure_day(admin) -> None:
    response = admin.post(ADD_URL, {"day_0": "29", "day_1": "12", "day_2": "2025", "reason": "Christmas shutdown"})
    assert response.status_code == 302
    assert ClosureDay.objects.get().day == date(2025, 12, 29)
    assert date(2025, 12, 29) in calendar_current().closures
    event = AuditEvent.objects.get(verb="calendar.closure_day_added")
    assert event.after == {"day": "2025-12-29", "reason": "Christmas shutdown"}
    assert "Mon 29 Dec 2025 is now a closure day." in admin.get(CALENDAR_URL).content.decode()


@pytest.mark.parametrize(
    ("data", "anchor", "message"),
    [
        ({"day_0": "", "day_1": "", "day_2": ""}, "id_day_0", "Enter the closure date"),
        ({"day_0": "29", "day_1": "", "day_2": "2025"}, "id_day_1", "Closure date must include a month"),
        ({"day_0": "30", "day_1": "2", "day_2": "2026"}, "id_day_0", "Closure date must be a real date"),
        ({"day_0": "29", "day_1": "12", "day_2": "2025", "reason": ""}, "id_reason", "Enter why the office is closed"),
    ],
)
def test_closure_form_errors_link_to_the_field(admin, data, anchor, message) -> None:
    response = admin.post(ADD_URL, {"reason": "Shutdown", **data})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Add a closure day" in page
    assert f'<a href="#{anchor}">{message}' in page
    assert f'id="{anchor}"' in page
    assert not ClosureDay.objects.exists()


def test_closure_day_already_set_is_an_error_on_the_date(admin, admin_user) -> None:
    closure_day_add(actor=admin_user, day=date(2025, 12, 29), reason="Christmas shutdown")
    response = admin.post(ADD_URL, {"day_0": "29", "day_1": "12", "day_2": "2025", "reason": "Again"})
    assert response.status_code == 200
    assert '<a href="#id_day_0">Mon 29 Dec 2025 is already a closure day.' in response.content.decode()


def test_admin_removes_a_closure_day_after_confirming(admin, admin_user) -> None:
    closure = closure_day_add(actor=admin_user, day=date(2025, 12, 29), reason="Christmas shutdown")
    url = f"/staff/settings/calendar/closures/{closure.pk}/remove/"
    assert "Are you sure you want to remove this closure day?" in admin.get(url).content.decode()
    assert ClosureDay.objects.exists()
    response = admin.post(url)
    assert response.status_code == 302
    assert not ClosureDay.objects.exists()
    assert AuditEvent.objects.filter(verb="calendar.closure_day_removed").count() == 1
    assert admin.get(url).status_code == 404


def test_recalculate_lists_the_changes_then_applies_them(admin, admin_user) -> None:
    case: Case = CaseFactory.create(
        received_at=CHRISTMAS_EVE, urgent=True, response_due_at=case_response_due(CHRISTMAS_EVE, urgent=True)
    )
    closure_day_add(actor=admin_user, day=date(2025, 12, 29), reason="Christmas shutdown")
    page = admin.get(RECALCULATE_URL).content.decode()
    assert case.reference in page
    assert "15:00 on Mon 29 Dec 2025" in page
    assert "15:00 on Tue 30 Dec 2025" in page
    assert "Change 1 deadline" in page
    case.refresh_from_db()
    assert case.response_due_at == datetime(2025, 12, 29, 15, tzinfo=LONDON)
    revision = page.split('name="revision" value="')[1].split('"')[0]
    done = admin.post(RECALCULATE_URL, {"revision": revision}).content.decode()
    assert "Open deadlines recalculated" in done
    assert "1 deadline changed" in done
    case.refresh_from_db()
    assert case.response_due_at == datetime(2025, 12, 30, 15, tzinfo=LONDON)
    assert "There is nothing to change" in admin.get(RECALCULATE_URL).content.decode()


def test_recalculate_list_does_not_show_references_of_restricted_or_da_cases(admin, admin_user) -> None:
    da_case: Case = CaseFactory.create(case_type="da", received_at=CHRISTMAS_EVE, response_due_at=None)
    page = admin.get(RECALCULATE_URL).content.decode()
    assert da_case.reference not in page
    assert "Restricted case (reference not shown)" in page


def test_recalculate_with_an_out_of_date_list_changes_nothing_and_says_why(admin) -> None:
    case: Case = CaseFactory.create(received_at=CHRISTMAS_EVE, urgent=True, response_due_at=None)
    response = admin.post(RECALCULATE_URL, {"revision": "not-the-current-one"})
    assert response.status_code == 302
    assert response["Location"] == RECALCULATE_URL
    case.refresh_from_db()
    assert case.response_due_at is None
    assert "The calendar has changed since you looked" in admin.get(RECALCULATE_URL).content.decode()


def test_nation_choice_covers_every_nation() -> None:
    from saferhomes.cases.forms.calendar import CalendarSettingsForm

    choices = [value for value, _label in CalendarSettingsForm().fields["nation"].choices]  # type: ignore[attr-defined]
    assert choices == [nation.value for nation in Nation]
