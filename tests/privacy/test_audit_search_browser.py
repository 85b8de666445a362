"""The audit search page in a real browser: accessible (axe-core, WCAG 2.2 AA) and within the strict CSP."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Page

from saferhomes.accounts.roles import Role
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from tests.api.browser import axe_violations, run_in_chromium
from tests.conftest import client_verified_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_audit_search_results_and_errors_are_accessible(live_server, make_staff) -> None:
    officer = make_staff(Role.OFFICER)
    for i in range(60):
        audit(
            actor=officer,
            verb=AuditVerb.CASE_CLOSED,
            object_type="cases.case",
            object_id=i,
            before={"n": i},
            reason=f"r{i}",
        )
    session = client_verified_as(make_staff(Role.DPO)).cookies[settings.SESSION_COOKIE_NAME].value
    cookie: SetCookieParam = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}

    def scenario(page: Page) -> None:
        page.goto("/staff/privacy/audit/")
        assert page.inner_text("h1") == "Search the audit trail"
        page.click(".govuk-details__summary >> nth=0")
        assert '"n": 59' in page.inner_text(".govuk-details__text >> nth=0")
        assert axe_violations(page) == []

        page.fill("#id_date_from_0", "31")
        page.fill("#id_date_from_1", "2")
        page.fill("#id_date_from_2", "2026")
        page.click("#id_search")
        page.wait_for_selector(".govuk-error-summary")
        assert "Date from must be a real date" in page.inner_text(".govuk-error-summary")
        assert page.input_value("#id_date_from_0") == "31"
        assert axe_violations(page) == []

        page.click(".govuk-error-summary a")
        assert page.evaluate("document.activeElement.id") == "id_date_from_0"

    assert run_in_chromium(live_server.url, scenario, cookies=[cookie]) == []
