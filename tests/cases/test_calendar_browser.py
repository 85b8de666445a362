"""The working calendar pages in a real browser: accessible (axe-core, WCAG 2.2 AA) and within the strict CSP."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.conf import settings
from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Page

from saferhomes.accounts.roles import Role
from saferhomes.core.calendar import LONDON
from saferhomes.core.calendar_config import case_response_due, closure_day_add
from tests.api.browser import axe_violations, run_in_chromium
from tests.cases.factories import CaseFactory
from tests.conftest import client_verified_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_calendar_pages_forms_errors_and_recalculation_are_accessible(live_server, make_staff) -> None:
    admin = make_staff(Role.ADMIN)
    received = datetime(2025, 12, 24, 15, tzinfo=LONDON)
    CaseFactory.create(received_at=received, urgent=True, response_due_at=case_response_due(received, urgent=True))
    closure_day_add(actor=admin, day=date(2025, 12, 29), reason="Christmas shutdown")
    session = client_verified_as(admin).cookies[settings.SESSION_COOKIE_NAME].value
    cookie: SetCookieParam = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}

    def scenario(page: Page) -> None:
        page.goto("/staff/settings/calendar/")
        assert page.inner_text("h1") == "Working calendar"
        assert axe_violations(page) == []

        page.goto("/staff/settings/calendar/change/")
        page.fill("#id_office_opens", "17:00")
        page.fill("#id_office_closes", "09:00")
        page.click("#id_submit")
        page.wait_for_selector(".govuk-error-summary")
        assert "Closing time must be later than opening time" in page.inner_text(".govuk-error-summary")
        assert page.input_value("#id_office_opens") == "17:00"
        assert axe_violations(page) == []
        page.click(".govuk-error-summary a")
        assert page.evaluate("document.activeElement.id") == "id_office_closes"

        page.goto("/staff/settings/calendar/closures/add/")
        page.click("#id_submit")
        page.wait_for_selector(".govuk-error-summary")
        assert axe_violations(page) == []

        page.goto("/staff/settings/calendar/recalculate/")
        assert "Change 1 deadline" in page.inner_text("main")
        assert axe_violations(page) == []
        page.click("button.govuk-button")
        page.wait_for_selector(".govuk-panel")
        assert "1 deadline changed" in page.inner_text(".govuk-panel")
        assert axe_violations(page) == []

    assert run_in_chromium(live_server.url, scenario, cookies=[cookie]) == []
