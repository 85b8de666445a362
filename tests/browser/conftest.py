"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against pytest-django's live server.

Every page is checked with axe-core and with the real Content-Security-Policy in force: axe is injected through
the DevTools protocol (page.evaluate), which CSP does not govern, so the policy stays on and any script, style
or console error the page itself causes fails the test.

Set SAFERHOMES_SCREENSHOTS=1 (or run `make screenshots`) to refresh docs/screenshots/*.png.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_DIR = Path(__file__).resolve().parents[2]
AXE_JS = Path(__file__).with_name("vendor") / "axe.min.js"
SCREENSHOT_DIR = REPO_DIR / "docs" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser/ is a browser test, even if a module forgets its marker."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    """One Playwright driver for the whole run."""
    # Playwright's sync API runs an event loop in this thread, and Django's ORM (in fixtures) refuses to run
    # beside one unless told it is safe. Set only while browser tests run, so it cannot leak into other tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    """Debian's chromium, headless, with no background network traffic."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `uv run python scripts/ensure_chromium.py` (make test-browser does)")
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


class PageProblems:
    """Console errors, CSP violations and uncaught exceptions seen while a test ran."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def console(self, message: ConsoleMessage) -> None:
        """Keep errors and warnings (CSP violations are reported as console errors)."""
        if message.type in {"error", "warning"} and not self._expected(message.text):
            self.messages.append(f"console {message.type}: {message.text}")

    def page_error(self, error: Exception) -> None:
        """Keep uncaught JavaScript exceptions."""
        self.messages.append(f"uncaught exception: {error}")

    @staticmethod
    def _expected(text: str) -> bool:
        # The 404 and 410 (used or expired link) pages' own status is reported by chromium as a failed resource load.
        return any(f"the server responded with a status of {status}" in text for status in (404, 410))


def _new_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    context = browser.new_context(base_url=base_url, locale="en-GB", viewport={"width": 1024, "height": 768}, **options)
    # The exit button must never reach the real internet from a test: answer for the neutral site here.
    context.route(f"{NEUTRAL_SITE}**", lambda route: route.fulfill(status=200, body="<title>Weather</title>"))
    return context


@pytest.fixture
def page_problems() -> PageProblems:
    """What went wrong in the page, collected by the page fixtures."""
    return PageProblems()


@pytest.fixture(autouse=True)
def _links_point_at_the_live_server(request: pytest.FixtureRequest) -> None:
    """Absolute links (status links, emails) are built on the configured site addresses (core/links.py); in a
    browser test those are the live server's, as SAFERHOMES_PUBLIC_URL and SAFERHOMES_BASE_URL are in production."""
    if "live_server" not in request.fixturenames:
        return
    live_server = request.getfixturevalue("live_server")
    settings = request.getfixturevalue("settings")
    settings.PUBLIC_BASE_URL = live_server.url
    settings.SAFERHOMES_BASE_URL = live_server.url


@pytest.fixture
def page(browser: Browser, live_server: Any, page_problems: PageProblems) -> Iterator[Page]:
    """A page with JavaScript on and the real CSP in force; fails the test on console errors or CSP violations."""
    context = _new_context(browser, live_server.url)
    page = context.new_page()
    page.on("console", page_problems.console)
    page.on("pageerror", page_problems.page_error)
    yield page
    context.close()
    assert not page_problems.messages, "\n".join(page_problems.messages)


@pytest.fixture
def page_without_javascript(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A page in a browser with JavaScript turned off."""
    context = _new_context(browser, live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def assert_no_axe_violations(page: Page) -> None:
    """Run axe-core on the page against WCAG 2.0, 2.1 and 2.2 A and AA; fail listing every violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async (tags) => await window.axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        WCAG_TAGS,
    )
    violations = results["violations"]
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"    {', '.join(node['target'])}: {node['failureSummary']}".replace("\n", " "))
        pytest.fail("\n".join(lines))


def screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Save docs/screenshots/<name>.png when SAFERHOMES_SCREENSHOTS=1 (for the README)."""
    if os.environ.get("SAFERHOMES_SCREENSHOTS") != "1":
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=full_page)
