"""Partner access in a real browser (issue 15 item 6): a partner signs in with password and authenticator code, lands
on the cases shared with their agency, sees exactly the shared parts (not the others, not another agency's case, not
by URL either), adds an update with a document and signs out; the housing officer then finds the update on the case
timeline marked as from the partner's agency. axe-core finds no violation on any page, the strict CSP holds (page
fixture), and the partner's pages do not scroll sideways on a phone 390 px wide."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import FilePayload, Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Incident, IncidentSource, PartyRole
from saferhomes.referrals.models import PartnerUpdate, SharePart
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_staff_sign_in import current_code
from tests.cases.factories import CaseFactory, PartyFactory
from tests.cases.record_helpers import evidence_dir_fixture  # noqa: F401
from tests.factories import TEST_PASSWORD
from tests.referrals.partner_helpers import PNG, council_agency, idva_agency, partner_of, share_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1024, height=768)


def _sign_in(page: Page, user: User, device: TOTPDevice, lands_on: str) -> None:
    page.goto("/staff/sign-in/")
    page.locator("[name=username]").fill(user.username)
    page.locator("[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("[name=otp_token]").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(f"{re.escape(lands_on)}$"))


def _checked(page: Page, *, phone: bool = True) -> None:
    """axe on the page as it is; then, for a partner's page, no sideways scrolling on a phone (and axe there too)."""
    assert_no_axe_violations(page)
    if phone:
        page.set_viewport_size(PHONE)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], page.url
        assert_no_axe_violations(page)
        page.set_viewport_size(DESKTOP)


def _device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def _case(officer: User, summary: str, incident: str) -> Case:
    case: Case = CaseFactory.create(assigned_officer=officer, team=officer.team, summary=summary)
    PartyFactory.create(case=case, role=PartyRole.VICTIM, first_name="Zelda", last_name="Quartermaine")
    Incident.objects.create(
        case=case,
        occurred_at=timezone.now() - dt.timedelta(days=1),
        description=incident,
        location_text="Behind the garages on Larkspur Walk",
        source=IncidentSource.REPORT,
        created_by=officer,
    )
    return case


def test_a_partner_sees_exactly_what_is_shared_and_their_update_reaches_the_officer(
    page: Page, make_staff: Callable[..., User], evidence_dir: object
) -> None:
    officer = make_staff(Role.OFFICER, first_name="Olivia", last_name="Bennett")
    council = council_agency()
    pete = partner_of(council, "partner_pete")
    pete.first_name, pete.last_name = "Pete", "Marsh"
    pete.save()
    shared = _case(officer, "Music and shouting every night", "Party until 4am, bottles thrown")
    share_of(shared, council, [SharePart.SUMMARY, SharePart.INCIDENTS], ends_on=timezone.localdate() + dt.timedelta(30))
    elsewhere = share_of(_case(officer, "Threats to a neighbour", "Threats at the door"), idva_agency()).case
    unshared = _case(officer, "Fly-tipping by the bins", "Mattress dumped")

    _sign_in(page, pete, _device(pete), lands_on="/staff/partner/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases shared with your agency")
    menu = page.get_by_role("navigation", name="Staff menu")
    expect(menu.get_by_role("link")).to_have_count(1)
    expect(menu.get_by_role("link", name="Shared cases")).to_be_visible()
    expect(page.get_by_role("link", name=shared.reference)).to_be_visible()
    for hidden in (elsewhere, unshared):
        expect(page.get_by_text(hidden.reference)).to_have_count(0)
    _checked(page)

    page.get_by_role("link", name=shared.reference).click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.get_by_text("Music and shouting every night")).to_be_visible()
    expect(page.get_by_role("heading", name="Incidents")).to_be_visible()
    expect(page.get_by_text("Party until 4am, bottles thrown")).to_be_visible()
    expect(page.get_by_role("heading", name="Risk")).to_have_count(0)
    expect(page.get_by_role("heading", name="Documents")).to_have_count(0)
    for secret in ("Quartermaine", "Larkspur Walk"):
        expect(page.get_by_text(secret)).to_have_count(0)
    _checked(page)

    for hidden in (elsewhere, unshared):
        response = page.goto(f"/staff/partner/cases/{hidden.reference}/")
        assert response is not None
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_text(hidden.summary)).to_have_count(0)
    response = page.goto(f"/staff/cases/{shared.reference}/")  # the staff case page, for a case shared with them
    assert response is not None
    assert response.status == 404

    page.goto(f"/staff/partner/cases/{shared.reference}/")
    page.get_by_role("link", name="Add an update").click()
    page.get_by_role("button", name="Send update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your update")
    _checked(page)
    page.get_by_label("Your update").fill("We served a community protection warning on Tuesday.")
    document: FilePayload = {"name": "warning.png", "mimeType": "image/png", "buffer": PNG}
    page.get_by_label("Add a document (optional)").set_input_files(files=[document])
    page.get_by_role("button", name="Send update").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your update has been sent")
    expect(page.get_by_text("Document sent: warning.png")).to_be_visible()
    _checked(page)
    assert PartnerUpdate.objects.get().original_name == "warning.png"

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("signed out")

    _sign_in(page, officer, _device(officer), lands_on="/staff/")
    page.goto(f"/staff/cases/{shared.reference}/timeline/")
    entry = page.locator("#timeline-entries li", has_text="Update from Example Council ASB Team")
    expect(entry.locator(".govuk-tag")).to_have_text("Partner")
    expect(entry).to_contain_text("Pete Marsh, Example Council ASB Team")
    expect(entry).to_contain_text("We served a community protection warning on Tuesday.")
    expect(entry).to_contain_text("Document: warning.png")
    _checked(page, phone=False)
    page.goto(f"/staff/cases/{shared.reference}/partnership/")
    expect(page.get_by_role("link", name="Download warning.png")).to_be_visible()
    _checked(page, phone=False)


def test_the_staff_sharing_and_conference_pages_pass_axe_with_and_without_errors(
    page: Page, make_staff: Callable[..., User]
) -> None:
    officer = make_staff(Role.OFFICER, first_name="Olivia", last_name="Bennett")
    council = council_agency()
    case = _case(officer, "Music and shouting every night", "Party until 4am")
    share_of(case, council, [SharePart.SUMMARY], ends_on=timezone.localdate() - dt.timedelta(days=3))
    _sign_in(page, officer, _device(officer), lands_on="/staff/")

    page.goto(f"/staff/cases/{case.reference}/partnership/")
    page.get_by_role("link", name="Share with a partner agency").click()
    page.get_by_role("button", name="Share the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the agency to share the case with")
    _checked(page, phone=False)
    page.get_by_label("Agency", exact=True).select_option(label="Example Council ASB Team")
    page.get_by_label("Summary (type, status, what has been happening)").check()
    ends = timezone.localdate() + dt.timedelta(days=20)
    for index, part in enumerate((ends.day, ends.month, ends.year)):
        page.locator(f"#id_ends_on_{index}").fill(str(part))
    page.get_by_label("Public task (6(1)(e))").check()
    page.get_by_label("Why are you sharing the case with this agency?").fill("Joint visit next week")
    page.get_by_role("button", name="Share the case").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Summary shared with Example Council ASB Team")
    page.locator("summary", has_text="Earlier shares").click()
    _checked(page, phone=False)

    page.get_by_role("link", name="Withdraw the share with Example Council ASB Team").click()
    page.get_by_role("button", name="Withdraw the share").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are withdrawing the share")
    _checked(page, phone=False)

    page.goto(f"/staff/cases/{case.reference}/partnership/conference/")
    page.locator("#id_action_2_owner").fill("Pete Marsh")
    page.get_by_role("button", name="Save the conference").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date the conference was held")
    expect(summary).to_contain_text("Enter what action 2 is")
    _checked(page, phone=False)
    today = timezone.localdate()
    for index, part in enumerate((today.day, today.month, today.year)):
        page.locator(f"#id_held_on_{index}").fill(str(part))
    page.get_by_label("Example Council ASB Team", exact=True).check()
    page.get_by_label("Who attended").fill("Olivia Bennett\nPete Marsh")
    page.get_by_label("What was decided").fill("Serve a warning")
    page.locator("#id_action_2_description").fill("Serve a community protection warning")
    page.get_by_role("button", name="Save the conference").click()
    expect(page.locator("#conferences")).to_contain_text("Serve a community protection warning")
    page.get_by_role("button", name=re.compile(r"Mark as done\s*: Serve a community protection warning")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Marked done")
    _checked(page, phone=False)
