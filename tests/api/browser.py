"""Browser checks for tests outside tests/browser/: Debian's chromium through Playwright, with the real CSP on.

`run_in_chromium(base_url, scenario)` runs `scenario(page)` in a thread of its own with its own Playwright
driver, so it never collides with the session-wide driver that tests/browser/ keeps open in the main thread
(Playwright's sync API refuses to start inside another one's event loop). Failures inside the scenario,
assertions included, are raised in the test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[1] / "browser" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Records every CSP violation the page itself causes.
CSP_LISTENER = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
    "e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));"
)


def _scenario_in_browser(
    base_url: str, scenario: Callable[[Page], None], cookies: list[SetCookieParam] | None, problems: list[str]
) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(base_url=base_url, locale="en-GB")
            if cookies:
                context.add_cookies(cookies)
            context.add_init_script(CSP_LISTENER)
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
            scenario(page)
            problems.extend(f"CSP violation: {v}" for v in page.evaluate("() => window.__cspViolations || []"))
        finally:
            browser.close()


def run_in_chromium(
    base_url: str, scenario: Callable[[Page], None], *, cookies: list[SetCookieParam] | None = None
) -> list[str]:
    """Run `scenario(page)`; returns console errors, uncaught exceptions and CSP violations the page caused."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `uv run python scripts/ensure_chromium.py`")
    problems: list[str] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            _scenario_in_browser(base_url, scenario, cookies, problems)
        except BaseException as exc:  # re-raised in the test's thread below
            failure.append(exc)

    thread = threading.Thread(target=target, name="chromium-scenario")
    thread.start()
    thread.join(timeout=120)
    if thread.is_alive():
        pytest.fail("The browser scenario did not finish within 2 minutes")
    if failure:
        raise failure[0]
    return problems


def axe_violations(page: Page) -> list[str]:
    """axe-core WCAG 2.2 A/AA violations on the page, one line each."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => await window.axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(n['target'][0] for n in v['nodes'])}"
        for v in results["violations"]
    ]
