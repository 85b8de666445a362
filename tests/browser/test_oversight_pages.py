"""The DPO's access oversight pages in a real browser (issue 19 part 5): restricted reads, break glass and anomalies,
each filled and passing axe-core with no WCAG 2.2 AA violation, the filters with an error (the GOV.UK error summary),
and a manager giving the DPO access to a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.calendar import LONDON
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_pages import sign_in
from tests.privacy.oversight_helpers import SECRET_SUMMARY, break_glass_at, read_at, restricted_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _days_ago(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def test_oversight_sections_and_filters_pass_axe(page: Page, make_staff: Callable[..., User]) -> None:
    dpo = make_staff(Role.DPO)
    device = TOTPDevice.objects.create(user=dpo, name="Authenticator app", confirmed=True)
    specialist, manager = make_staff(Role.DA_SPECIALIST), make_staff(Role.MANAGER)
    cases = [restricted_case() for _ in range(10)]
    for index, case in enumerate(cases):
        read_at(specialist, case, _days_ago(2, 10, index))
    read_at(specialist, cases[0], _days_ago(3, 23, 30))
    break_glass_at(manager, cases[1], _days_ago(2, 14))
    read_at(manager, cases[1], _days_ago(2, 14, 1))
    sign_in(page, dpo, device)

    page.get_by_role("link", name="Access oversight").first.click()
    expect(page.get_by_role("heading", name="Restricted reads", exact=True)).to_be_visible()
    expect(page.locator("table[data-oversight=reads] tbody tr")).to_have_count(12)
    assert SECRET_SUMMARY not in page.content()
    assert_no_axe_violations(page)

    page.get_by_label("Username").fill(manager.username)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table[data-oversight=reads] tbody tr")).to_have_count(1)

    page.get_by_role("link", name="Break glass").click()
    expect(page.get_by_role("heading", name="Break glass", exact=True)).to_be_visible()
    expect(page.get_by_text("Complaint from the tenant's MP")).to_be_visible()
    page.locator("table[data-oversight=break-glass] summary").first.click()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Anomalies").click()
    page.get_by_label("Username").fill("")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("tr[data-kind=burst]")).to_have_count(1)
    expect(page.locator("tr[data-kind=out_of_hours]").first).to_be_visible()
    assert_no_axe_violations(page)

    page.locator("#id_date_from_0").fill("31")
    page.locator("#id_date_from_1").fill("2")
    page.locator("#id_date_from_2").fill("2026")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Date from must be a real date")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_manager_gives_the_dpo_access_to_a_case(page: Page, make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    device = TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    dpo = make_staff(Role.DPO, first_name="Daniel", last_name="Okafor")
    case = restricted_case()
    sign_in(page, manager, device)
    page.goto("/staff/privacy/oversight/dpo-access/")
    page.get_by_role("button", name="Give access").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Data protection officer", exact=True).select_option(label=f"Daniel Okafor ({dpo.username})")
    page.get_by_label("Case reference").fill(case.reference)
    page.get_by_label("Why does the data protection officer need to see this case?").fill(
        "Complaint to the ICO about how the case was handled"
    )
    page.get_by_label("4 hours", exact=True).check()
    page.get_by_role("button", name="Give access").click()
    expect(page.get_by_text(f"{dpo.username} can open {case.reference} until")).to_be_visible()
    expect(page.get_by_role("button", name=f"End now the access to {case.reference}")).to_be_visible()
    assert_no_axe_violations(page)
