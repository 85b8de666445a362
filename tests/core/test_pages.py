"""Public pages, error pages and the strict Content-Security-Policy they are served with."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import override_settings

from saferhomes.accounts.roles import Role
from saferhomes.core.views import optional_url, server_error

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = {
    "/": "Report anti-social behaviour, hate crime or domestic abuse",
    "/accessibility/": "Accessibility statement for",
    "/privacy/": "Privacy notice",
}
EN_DASH = "\N{EN DASH}"
NONCE_IN_HEADER = re.compile(r"script-src [^;]*'nonce-([A-Za-z0-9+/=_-]+)'")


def h1_of(html: str) -> str:
    """The text of the page's only h1."""
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    assert len(headings) == 1, f"expected one h1, found {len(headings)}"
    return " ".join(headings[0].split())


@pytest.mark.parametrize(("url", "heading"), PUBLIC_PAGES.items())
def test_public_page_is_served_with_its_heading(client: Client, url: str, heading: str) -> None:
    response = client.get(url)

    assert response.status_code == 200
    assert h1_of(response.content.decode()).startswith(heading)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_names_the_configured_landlord_not_a_hard_coded_one(client: Client, url: str) -> None:
    with override_settings(LANDLORD_NAME="Example Housing Trust"):
        html = client.get(url).content.decode()

    assert "Example Housing Trust" in html
    assert "Calico" not in html


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/staff/sign-in/"])
def test_page_title_reads_page_then_service_then_landlord(client: Client, url: str) -> None:
    html = client.get(url).content.decode()

    title = " ".join(re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1).split())  # type: ignore[union-attr]
    page, service, landlord = title.split(f" {EN_DASH} ")
    assert page
    assert service in {settings.SERVICE_NAME, "Community safety casework"}
    assert landlord == settings.LANDLORD_NAME


def test_home_page_tells_people_in_danger_to_call_999_before_anything_else(client: Client) -> None:
    html = client.get("/").content.decode()
    main = html[html.index('id="main-content"') :]

    assert main.index("If you are in immediate danger, call 999") < main.index("<h1")
    for number in ("101", "18000", "0808 2000 247"):
        assert number in html


def test_home_page_links_to_the_online_form_once_it_exists(client: Client) -> None:
    html = client.get("/").content.decode()

    assert optional_url("intake:report-start") == "/report/"
    assert 'href="/report/"' in html
    assert "You cannot report online yet" not in html


def test_optional_url_finds_installed_urls_only() -> None:
    assert optional_url("core:privacy") == "/privacy/"
    assert optional_url("nowhere:nothing") is None


def test_public_pages_offer_exit_this_page_that_works_without_javascript(client: Client) -> None:
    html = client.get("/privacy/").content.decode()

    exit_link = re.search(r'<a href="([^"]+)"[^>]*govuk-exit-this-page__button[^>]*rel="([^"]+)"', html, flags=re.S)
    assert exit_link is not None
    assert exit_link.group(1) == "https://www.bbc.co.uk/weather"
    assert "noreferrer" in exit_link.group(2)


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/staff/sign-in/", "/no-such-page/"])
def test_every_page_has_a_strict_csp_and_the_only_inline_script_carries_its_nonce(client: Client, url: str) -> None:
    response = client.get(url)
    policy = response.headers["Content-Security-Policy"]
    html = response.content.decode()

    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "style-src 'self'" in policy
    nonce = NONCE_IN_HEADER.search(policy)
    assert nonce is not None, policy
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts, "the js-enabled line should be there"
    for attributes in inline_scripts:
        assert f'nonce="{nonce.group(1)}"' in attributes
    assert not re.search(r"\sstyle=", html), "inline style attributes are blocked by the CSP"


def test_each_response_gets_a_fresh_nonce(client: Client) -> None:
    first = NONCE_IN_HEADER.search(client.get("/").headers["Content-Security-Policy"])
    second = NONCE_IN_HEADER.search(client.get("/").headers["Content-Security-Policy"])

    assert first is not None
    assert second is not None
    assert first.group(1) != second.group(1)


def test_htmx_is_loaded_on_staff_pages_only_and_injects_no_styles(client: Client) -> None:
    public = client.get("/").content.decode()
    staff = client.get("/staff/sign-in/").content.decode()

    assert "htmx.min.js" not in public
    assert "htmx.min.js" in staff
    assert "&quot;includeIndicatorStyles&quot;: false" in staff or '"includeIndicatorStyles": false' in staff


def test_missing_page_is_a_govuk_404(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert h1_of(html) == "Page not found"
    assert "govuk-header" in html
    assert "saferhomes.min.css" in html


def test_missing_staff_page_keeps_the_staff_header(staff_client: Callable[..., Client]) -> None:
    response = staff_client().get("/staff/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert h1_of(html) == "Page not found"
    assert "Community safety casework" in html
    assert "Sign out" in html


def test_server_error_page_renders_without_request_context() -> None:
    response = server_error(RequestFactory().get("/broken/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert settings.LANDLORD_NAME in html
    assert "<script" not in html


class _ExampleForm(forms.Form):
    name = forms.CharField()
    date_of_birth = forms.DateField()

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("We could not save this report")


def test_error_summary_links_each_error_to_its_field() -> None:
    form = _ExampleForm(data={"name": "", "date_of_birth": "not a date"})
    assert not form.is_valid()

    html = render_to_string("includes/error_summary.html", {"form": form})

    assert "There is a problem" in html
    assert 'href="#id_name">This field is required.' in html
    assert 'href="#id_date_of_birth">Enter a valid date.' in html
    assert 'href="#id_name">We could not save this report' in html, "non-field errors link to the first field"


def test_error_summary_is_empty_for_a_valid_form() -> None:
    form = _ExampleForm()

    assert render_to_string("includes/error_summary.html", {"form": form}).strip() == ""


def test_compiled_css_uses_no_govuk_typeface_or_crown() -> None:
    css = (Path(settings.BASE_DIR) / "static" / "saferhomes" / "saferhomes.min.css").read_text()

    assert "GDS Transport" not in css
    assert "url(" not in css
    assert ".govuk-header" in css
    assert ".saferhomes-link-button" in css


def test_bad_request_is_a_govuk_400(client: Client) -> None:
    response = client.get("/", HTTP_HOST="not-an-allowed-host.example")

    assert response.status_code == 400
    assert h1_of(response.content.decode()) == "Sorry, there is a problem with that request"


def test_forbidden_staff_page_is_a_govuk_403_in_the_staff_site(staff_client: Callable[..., Client]) -> None:
    response = staff_client(Role.OFFICER).get("/staff/privacy/audit/")

    assert response.status_code == 403
    html = response.content.decode()
    assert h1_of(html) == "You cannot see this page"
    assert "Community safety casework" in html


def test_form_sent_without_its_csrf_token_gets_a_govuk_page_that_says_nothing_was_saved() -> None:
    response = Client(enforce_csrf_checks=True).post("/staff/sign-in/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    html = response.content.decode()
    assert h1_of(html) == "Sorry, we could not save what you sent"
    assert "We have not saved anything you entered" in html


def test_error_summary_links_a_date_error_to_the_first_part_of_the_date_input() -> None:
    from django import forms

    class DateParts(forms.MultiValueField):
        def __init__(self) -> None:
            super().__init__(
                fields=[forms.IntegerField(), forms.IntegerField(), forms.IntegerField()],
                widget=forms.MultiWidget(widgets=[forms.TextInput()] * 3),
            )

        def compress(self, data_list: list[int]) -> None:
            raise forms.ValidationError("Date from must be a real date")

    class DateForm(forms.Form):
        date_from = DateParts()

    form = DateForm(data={"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"})
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert '<a href="#id_date_from_0">Date from must be a real date</a>' in html
