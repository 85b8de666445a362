"""The risk instrument admin pages in a real browser: accessible (axe-core, WCAG 2.2 AA) within the strict CSP; a
rejected upload's error summary links to the file input; a new version is uploaded and published."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Page
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.risk.models import Instrument, InstrumentStatus
from tests.api.browser import axe_violations, run_in_chromium
from tests.conftest import client_verified_as
from tests.risk.instrument_helpers import TINY_MATRIX, next_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instrument_pages_are_accessible_and_upload_then_publish_works(
    live_server: Any, make_staff: Callable[..., User], settings: Settings, tmp_path: Path
) -> None:
    admin = make_staff(Role.ADMIN)
    session = client_verified_as(admin).cookies[settings.SESSION_COOKIE_NAME].value
    cookie: SetCookieParam = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
    bad = tmp_path / "tiny.yaml"
    bad.write_text(TINY_MATRIX.replace("type: yes_no_unknown", "type: scale"), encoding="utf-8")
    good = tmp_path / "matrix-v2.yaml"
    good.write_text(next_version("asb-hate-matrix"), encoding="utf-8")

    def scenario(page: Page) -> None:
        for path in (
            "/staff/risk/instruments/",
            "/staff/risk/instruments/asb-hate-matrix/1/",
            "/staff/risk/instruments/da-checklist/1/",
            "/staff/risk/instruments/household-factors/1/",
            "/staff/risk/instruments/upload/",
        ):
            page.goto(path)
            assert axe_violations(page) == [], path

        page.goto("/staff/risk/instruments/upload/")
        page.set_input_files("#id_file", str(bad))
        page.click("#id_submit")
        page.wait_for_selector(".govuk-error-summary")
        assert "tiny.yaml line 19: unknown question type 'scale'" in page.inner_text(".govuk-error-summary")
        assert axe_violations(page) == []
        page.click(".govuk-error-summary a >> nth=0")
        assert page.evaluate("document.activeElement.id") == "id_file"

        page.set_input_files("#id_file", str(good))
        page.click("#id_submit")
        page.wait_for_selector(".govuk-notification-banner--success")
        assert "loaded as a draft" in page.inner_text("main")
        page.click("text=Publish version 2")
        page.wait_for_selector("text=Are you sure you want to publish version 2?")
        assert axe_violations(page) == []
        page.click("button:has-text('Publish version 2')")
        page.wait_for_selector(".govuk-notification-banner--success")
        assert "new assessments use it from now on" in page.inner_text("main")

    assert run_in_chromium(live_server.url, scenario, cookies=[cookie]) == []
    assert Instrument.objects.get(key="asb-hate-matrix", version=2).status == InstrumentStatus.PUBLISHED
