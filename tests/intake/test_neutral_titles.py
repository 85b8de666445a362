"""Issue 14 items 6 and 7: a shared device's history never says "domestic abuse", and the quick-exit help says
what works with and without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from saferhomes.intake.models import Channel
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.status import status_link_issue
from tests.intake.public_journey import full_answers, walk

pytestmark = pytest.mark.django_db
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _title(html: str) -> str:
    match = TITLE.search(html)
    assert match is not None
    return " ".join(match.group(1).split())


def _is_neutral(title: str) -> bool:
    return "abuse" not in title.lower()


def _da_answers() -> dict[str, dict[str, object]]:
    return full_answers(
        problem={"problem": "domestic_abuse"},
        contact={"contact_methods": ["email"], "safe_times": "", "safe_contact_notes": "Never phone"},
    )


def test_every_public_page_of_the_domestic_abuse_path_has_a_neutral_title(client: Client) -> None:
    seen = walk(client, _da_answers(), send=False)
    assert "/report/domestic-abuse/" in seen.pages
    for path in ["/", *seen.pages]:
        title = _title(client.get(path).content.decode())
        assert _is_neutral(title), (path, title)


def test_domestic_abuse_help_page_keeps_its_heading_but_not_in_the_title(client: Client) -> None:
    walk(client, _da_answers(), send=False)
    html = client.get("/report/domestic-abuse/").content.decode()

    assert _title(html).startswith("Help and support")
    assert "Help if you are experiencing domestic abuse</h1>" in html


def test_confirmation_and_error_titles_on_the_domestic_abuse_path_are_neutral(client: Client) -> None:
    seen = walk(client, _da_answers())
    assert _is_neutral(_title(seen.response.content.decode()))
    answers = _da_answers()
    answers["what-happened"] = {"description": ""}
    client.post("/report/problem/", answers["problem"])
    error_page = client.post("/report/what-happened/", answers["what-happened"])
    assert _title(error_page.content.decode()).startswith("Error:")
    assert _is_neutral(_title(error_page.content.decode()))


def test_status_page_of_a_domestic_abuse_report_has_a_neutral_title_and_says_so(client: Client) -> None:
    report = report_submit(
        details=ReportDetails(problem="domestic_abuse", description="He follows me", first_name="Ada"),
        channel=Channel.WEB,
    )
    token = status_link_issue(report=report)

    for path in (f"/report/status/{token}/", f"/report/status/{token}/diary/", "/report/new-link/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _is_neutral(_title(response.content.decode())), path
    html = client.get(f"/report/status/{token}/").content.decode()
    assert report.reference not in _title(html)
    assert "The names of our pages do not mention domestic abuse" in html


@pytest.mark.parametrize("path", ["/", "/report/domestic-abuse/"])
def test_quick_exit_hint_without_javascript_names_only_the_button(client: Client, path: str) -> None:
    walk(client, _da_answers(), send=False)
    html = client.get(path).content.decode()

    assert "select “Exit this page” at the top of the page." in html
    assert "The names of our pages do not mention domestic abuse" in html
    # The Shift shortcut needs JavaScript: it is in the page only as a hidden sentence that init.js reveals.
    assert re.search(r"<span data-saferhomes-js-only hidden>You can also press the Shift key 3 times.</span>", html)
    assert "or press the Shift key" not in html
