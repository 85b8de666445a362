"""Staff home and menu: who you are, and only the areas your role can reach."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from saferhomes.accounts.context_processors import staff_nav
from saferhomes.accounts.roles import Role
from saferhomes.accounts.selectors import staff_links

pytestmark = pytest.mark.django_db


def url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def test_home_says_who_you_are(staff_client) -> None:
    html = staff_client(Role.DPO, first_name="Daniel", last_name="Price").get("/staff/").content.decode()
    assert "Daniel Price" in html
    assert "Data protection officer" in html
    assert "<h1" in html


@pytest.mark.parametrize("role", Role.values)
def test_home_and_menu_link_only_to_what_the_role_may_reach(staff_client, role: str) -> None:
    html = staff_client(role).get("/staff/", follow=True).content.decode()  # a partner lands on their shared cases
    audit_url = url_or_none("privacy:audit-search")
    if audit_url:
        assert (f'href="{audit_url}"' in html) == (role == Role.DPO)
    assert (f'href="{reverse("admin:index")}"' in html) == (role == Role.ADMIN)
    assert 'href="/staff/tokens/"' in html
    properties_url = url_or_none("housing:property-list")
    if properties_url:
        assert (f'href="{properties_url}"' in html) == (role not in (Role.PARTNER, Role.DPO))


def test_links_skip_pages_that_do_not_exist_yet(make_staff, monkeypatch) -> None:
    from saferhomes.accounts import selectors

    monkeypatch.setattr(
        selectors, "STAFF_AREAS", [*selectors.STAFF_AREAS, ("Nowhere", "nowhere:page", None, "Not built yet.")]
    )
    labels = [link.label for link in staff_links(user=make_staff(Role.OFFICER))]
    assert "Nowhere" not in labels
    assert "API tokens" in labels


def test_menu_is_empty_before_the_second_factor(officer_olivia) -> None:
    request = RequestFactory().get("/staff/two-factor/")
    officer_olivia.is_verified = lambda: False
    request.user = officer_olivia
    assert staff_nav(request) == {"staff_nav_items": []}


def test_menu_marks_the_current_page(staff_client) -> None:
    html = staff_client().get("/staff/tokens/").content.decode()
    assert 'aria-current="page"' in html
