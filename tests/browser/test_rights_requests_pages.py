"""Rights requests in a real browser (issue 19 part 4): record a request (first with an error: the summary, answers
kept), review the records found for a subject access request, produce the export; axe-core reports no WCAG 2.2 AA
violation on any page, on a desktop and on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.privacy.models_rights import RightsRequest
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_case_pages import sign_in
from tests.privacy.rights_fixtures import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [ViewportSize(width=1280, height=900), ViewportSize(width=390, height=844)])
def test_rights_request_pages_pass_axe(page: Page, make_staff: Callable[..., User], viewport: ViewportSize) -> None:
    dpo = make_staff(Role.DPO)
    device = TOTPDevice.objects.create(user=dpo, name="Authenticator app", confirmed=True)
    world = build_world(handler=dpo, officer=make_staff(Role.OFFICER))
    page.set_viewport_size(viewport)
    sign_in(page, dpo, device)

    page.goto("/staff/privacy/requests/")
    expect(page.get_by_role("heading", name="Rights requests", exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Record a new request").click()
    page.get_by_label("Subject access (Article 15)").check()
    page.get_by_label("Their email addresses").fill("kept@example.org")
    page.get_by_role("button", name="Record request").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Their email addresses")).to_have_value("kept@example.org")
    assert_no_axe_violations(page)

    page.get_by_label("Full name of the person asking").fill("Kept Example")
    page.locator("#id_received_on_0").fill("1")
    page.locator("#id_received_on_1").fill("12")
    page.locator("#id_received_on_2").fill("2026")
    page.get_by_role("button", name="Record request").click()
    expect(page.get_by_role("heading", name="Subject access (Article 15)")).to_be_visible()
    assert RightsRequest.objects.filter(requester_name="Kept Example").exists()
    assert_no_axe_violations(page)

    page.goto(f"/staff/privacy/requests/{world.rights_request.pk}/search/")
    expect(page.get_by_role("heading", name=f"Records found for {world.rights_request.reference}")).to_be_visible()
    assert_no_axe_violations(page)
    if viewport["width"] > 1000:
        screenshot(page, "subject-access-review")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_role("button", name="Produce the export")).to_be_visible()
    page.get_by_role("button", name="Produce the export").click()
    expect(page.get_by_role("link", name="download the ZIP")).to_be_visible()
    assert_no_axe_violations(page)
