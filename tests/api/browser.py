"""A self-contained Playwright session for browser tests outside tests/browser/ (same chromium, same rules).

Each use opens and closes its own driver, so it never overlaps the session-wide one in tests/browser/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[1] / "browser" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Records every CSP violation the page itself causes (console messages can be rate-limited; this cannot).
CSP_LISTENER = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
    "e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));"
)


@contextmanager
def chromium_page(base_url: str, cookies: list[SetCookieParam] | None = None) -> Iterator[tuple[Page, list[str]]]:
    """A page in Debian's chromium with the real CSP in force; yields it with a list of console errors."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `uv run python scripts/ensure_chromium.py`")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares this thread with the live server's ORM
    problems: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(base_url=base_url, locale="en-GB")
            if cookies:
                context.add_cookies(cookies)
            context.add_init_script(CSP_LISTENER)
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
            yield page, problems
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def csp_violations(page: Page) -> list[str]:
    """CSP violations seen by the page so far."""
    return list(page.evaluate("() => window.__cspViolations || []"))


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
