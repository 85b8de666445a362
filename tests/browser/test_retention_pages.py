"""The DPO's retention pages in a real browser (issue 19 parts 1-3): the privacy landing page, the retention schedule,
a rule changed (first with an error), a legal hold placed and lifted, a run planned, its dry-run list and its
approval; axe-core reports no WCAG 2.2 AA violation on any page, with or without an error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.privacy.models import LegalHold, RetentionRule, RetentionRun, RunStatus
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_case_pages import sign_in
from tests.privacy.retention_helpers import closed_case, london

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rules_exist() -> None:
    # A transactional test database is flushed between tests: the default rules are made again here.
    from importlib import import_module

    from django.apps import apps

    defaults = import_module("saferhomes.privacy.migrations.0002_default_retention_rules")
    defaults.create_defaults(apps, None)


def test_dpo_changes_the_schedule_holds_a_case_and_approves_a_run(page: Page, make_staff: Callable[..., User]) -> None:
    _rules_exist()
    dpo = make_staff(Role.DPO)
    device = TOTPDevice.objects.create(user=dpo, name="Authenticator app", confirmed=True)
    held = closed_case(london(2019, 1, 10))
    due = closed_case(london(2019, 2, 10))
    sign_in(page, dpo, device)

    page.goto("/staff/privacy/")
    expect(page.get_by_role("heading", name="Privacy", exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Retention schedule").click()
    expect(page.get_by_role("heading", name="Retention schedule")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "retention-schedule")

    page.get_by_role("link", name="Change the period for ASB closed without legal action").click()
    page.get_by_label("Months").fill("0")
    page.get_by_label("Days").fill("0")
    page.get_by_label("Why is the period changing?").fill("Board reviewed the retention policy")
    page.get_by_role("button", name="Save the new period").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Months").fill("84")
    page.get_by_role("button", name="Save the new period").click()
    expect(page.get_by_text("Retention period for ASB closed without legal action changed")).to_be_visible()
    assert RetentionRule.objects.get(record="case", case_type="asb", outcome_group="no_legal_action").months == 84

    page.goto("/staff/privacy/holds/")
    expect(page.get_by_role("heading", name="Legal holds")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Place a legal hold").click()
    page.get_by_label("Case reference").fill(held.reference)
    page.get_by_role("button", name="Place hold").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Why is the case held?").fill("Disrepair claim in the county court")
    page.get_by_role("button", name="Place hold").click()
    expect(page.get_by_text(f"Legal hold placed on {held.reference}")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=f"Lift the hold on {held.reference}").click()
    expect(page.get_by_role("heading", name=f"Lift the hold on {held.reference}")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Why is the hold lifted?").fill("Claim settled, no longer needed")
    page.get_by_role("button", name="Lift the hold").click()
    expect(page.get_by_text(f"Legal hold on {held.reference} lifted")).to_be_visible()
    assert not LegalHold.objects.get().active
    # Held again, so the run leaves it out.
    page.goto(f"/staff/privacy/holds/new/?case={held.reference}")
    page.get_by_label("Why is the case held?").fill("Complaint to the ICO under way")
    page.get_by_role("button", name="Place hold").click()

    page.goto("/staff/privacy/retention/runs/")
    expect(page.get_by_role("heading", name="Anonymisation runs")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Plan a run now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Run {RetentionRun.objects.get().pk}")
    expect(page.get_by_role("rowheader", name=due.reference)).to_be_visible()
    expect(page.get_by_role("rowheader", name=held.reference)).to_have_count(0)
    assert_no_axe_violations(page)
    screenshot(page, "retention-run")

    page.get_by_role("button", name="Approve: anonymise 1 case").click()
    expect(page.get_by_text("approved: the cases on it will be anonymised")).to_be_visible()
    assert_no_axe_violations(page)
    assert RetentionRun.objects.get().status == RunStatus.APPROVED
