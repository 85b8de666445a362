"""The record tabs in a real browser: accessible (axe-core, WCAG 2.2 AA), within the strict CSP, and the forms work
with the keyboard's view of them: an error summary that links to the field, a file upload, the contact reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Page
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import ContactPlan, ContactPurpose, PartyRole
from saferhomes.cases.services import evidence as evidence_services
from saferhomes.cases.services import record
from saferhomes.housing.models import ContactMethod
from tests.api.browser import axe_violations, run_in_chromium
from tests.cases.factories import CaseFactory, PartyFactory
from tests.cases.record_helpers import SAMPLES, upload
from tests.conftest import client_verified_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_pages_are_accessible_and_their_forms_work(
    live_server: Any, make_staff: Callable[..., User], settings: Settings, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    officer = make_staff(Role.OFFICER)
    case = CaseFactory.create(
        assigned_officer=officer, team=officer.team, received_at=timezone.now() - dt.timedelta(days=20)
    )
    reporter = PartyFactory.create(
        case=case,
        role=PartyRole.REPORTER,
        safe_contact_notes="Text first; do not call before 6pm",
        reasonable_adjustments="Large print letters",
    )
    incident = record.incident_record(
        actor=officer,
        case=case,
        occurred_at=timezone.now() - dt.timedelta(days=3),
        description="Loud music until 3am",
        location_text="Flat 4",
        parties_involved=[reporter],
    )
    evidence_services.evidence_upload(
        actor=officer, case=case, file=upload(*SAMPLES["application/pdf"]), incident=incident
    )
    record.contact_record(
        actor=officer,
        case=case,
        party=reporter,
        method=ContactMethod.PHONE,
        purpose=ContactPurpose.FIRST_RESPONSE,
        occurred_at=timezone.now() - dt.timedelta(days=15),
        summary="Agreed weekly calls",
    )
    ContactPlan.objects.create(
        case=case,
        party=reporter,
        frequency_days=7,
        method=ContactMethod.PHONE,
        agreed_at=timezone.now() - dt.timedelta(days=15),
        next_due_at=timezone.now() - dt.timedelta(days=1),
    )
    record.action_add(actor=officer, case=case, description="Visit the neighbour")
    record.note_add(actor=officer, case=case, text="Police informed")
    session = client_verified_as(officer).cookies[settings.SESSION_COOKIE_NAME].value
    cookie: SetCookieParam = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
    base = f"/staff/cases/{case.reference}"
    evidence_file = tmp_path / "photo.jpg"
    evidence_file.write_bytes(SAMPLES["image/jpeg"][1])

    def scenario(page: Page) -> None:
        for path in ("incidents/", "contacts/", "contacts/new/", "contacts/plan/", "actions/", "actions/new/",
                     "timeline/", "notes/new/", "incidents/new/"):  # fmt: skip
            page.goto(f"{base}/{path}")
            assert axe_violations(page) == [], path

        page.goto(f"{base}/contacts/")
        assert "Missed" in page.inner_text("main")

        page.goto(f"{base}/contacts/new/")
        assert "Text first; do not call before 6pm" in page.inner_text("#before-you-contact")

        page.goto(f"{base}/incidents/new/")
        page.fill("#id_description", "Typed text stays")
        page.click("#id_submit")
        page.wait_for_selector(".govuk-error-summary")
        assert axe_violations(page) == []
        assert page.input_value("#id_description") == "Typed text stays"
        page.click(".govuk-error-summary a >> nth=0")
        assert page.evaluate("document.activeElement.id") == "id_occurred_on_0"

        page.goto(f"{base}/incidents/")
        page.set_input_files("#id_file", str(evidence_file))
        page.fill("#id_description", "Door kicked in")
        page.click("#id_submit")
        page.wait_for_selector(".govuk-notification-banner--success")
        assert "photo.jpg" in page.inner_text("main")

    assert run_in_chromium(live_server.url, scenario, cookies=[cookie]) == []
