"""The housing register's pages in a real browser (issue 14 item 18): the property and person pages, breadcrumbs
included, pass axe-core's WCAG 2.2 AA rules (target-size failed on the property page's breadcrumbs) on a desktop and
on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_pages import sign_in
from tests.housing.factories import PersonFactory, PropertyFactory, TenancyFactory, TenancyMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [ViewportSize(width=1280, height=900), ViewportSize(width=390, height=844)])
def test_property_and_person_pages_pass_axe_with_their_breadcrumbs(
    page: Page, make_staff: Callable[..., User], viewport: ViewportSize
) -> None:
    officer = make_staff(Role.OFFICER)
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    home = PropertyFactory.create()
    person = PersonFactory.create()
    TenancyMemberFactory.create(tenancy=TenancyFactory.create(property=home), person=person)
    page.set_viewport_size(viewport)
    sign_in(page, officer, device)
    page.goto(f"/staff/housing/properties/{home.pk}/")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"/staff/housing/people/{person.pk}/")
    assert_no_axe_violations(page)
