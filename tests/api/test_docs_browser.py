"""Swagger UI at /api/v1/docs works in a real browser under the site's strict Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from tests.api.browser import run_in_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_authorize_and_try_it_out_without_csp_violations(live_server, make_staff) -> None:
    _token, raw = token_create(actor=None, user=make_staff(Role.DPO), name="browser test")

    def scenario(page: Page) -> None:
        page.goto("/api/v1/docs")
        page.wait_for_selector(".opblock")
        assert "Saferhomes API" in page.inner_text(".info")
        page.click("button.authorize")
        page.fill(".modal-ux input", raw)
        page.click(".modal-ux button.authorize")
        page.click(".modal-ux button.btn-done")
        page.click(".opblock-summary")
        page.click("button.try-out__btn")
        page.click("button.execute")
        status = ".live-responses-table tbody .response-col_status"
        page.wait_for_selector(status)
        assert page.inner_text(status).strip().startswith("200")
        assert '"username": "dpo_daniel"' in page.inner_text(".live-responses-table .microlight")

    assert run_in_chromium(live_server.url, scenario) == []
