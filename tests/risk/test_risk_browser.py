"""Risk assessment in a real browser (Debian's chromium, the real CSP, axe-core WCAG 2.2 AA on every page): an ASB
matrix and a DA checklist completed on a desktop, the one-question-per-page journey on a phone-sized screen, a band
override, the MARAC referral recorded, and the chart with its table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright._impl._api_structures import SetCookieParam, ViewportSize
from playwright.sync_api import Page
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, PartyRole
from saferhomes.risk.models import Assessment
from saferhomes.risk.services.assessments import assessment_record
from tests.api.browser import axe_violations, run_in_chromium
from tests.browser.conftest import screenshot
from tests.cases.factories import PartyFactory
from tests.conftest import client_verified_as
from tests.risk.assessment_helpers import CHECKLIST, MATRIX, checklist_answers, da_case, matrix_answers, published
from tests.risk.assessment_helpers import working_case as open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 375, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def _cookie(user: User, live_server: Any, settings: Settings) -> SetCookieParam:
    session = client_verified_as(user).cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}


def _answer_all(page: Page, answers: dict[str, str]) -> None:
    """Tick each answer's radio (or type the number) on the all-on-one-page form."""
    for qid, value in answers.items():
        radio = page.locator(f'input[name="q_{qid}"][value="{value}"]')
        if radio.count():
            radio.check()
        else:
            page.fill(f"#id_q_{qid}", value)


def _clean(page: Page, where: str) -> None:
    assert axe_violations(page) == [], where


def test_asb_matrix_on_a_desktop_then_override(
    live_server: Any, make_staff: Callable[..., User], settings: Settings
) -> None:
    officer = make_staff(Role.OFFICER)
    case: Case = open_case(assigned_officer=officer, team=officer.team)
    reporter = PartyFactory.create(case=case, role=PartyRole.VICTIM, safe_contact_notes="Text before calling")
    base = f"/staff/cases/{case.reference}/risk"
    high = matrix_answers(physical_harm="serious", threats="weapon_or_kill", disability="yes", frequency="most_days",
                          mental_health="severe", property_targeted="serious")  # fmt: skip

    def scenario(page: Page) -> None:
        page.set_viewport_size(DESKTOP)
        page.goto(f"{base}/")
        _clean(page, "tab, not assessed")
        page.click("text=ASB and hate victim risk matrix")
        _clean(page, "matrix form")
        # Sent half-answered: the summary links to the first unanswered question; answers stay ticked.
        page.locator('input[name="q_physical_harm"][value="serious"]').check()
        page.click("#id_submit")
        page.wait_for_selector(".govuk-error-summary")
        _clean(page, "matrix form with errors")
        assert page.is_checked('input[name="q_physical_harm"][value="serious"]')
        page.click(".govuk-error-summary a >> nth=0")
        assert page.evaluate("document.activeElement.id") == "id_q_threats_1"
        _answer_all(page, high)
        page.check(f'input[name="subject"][value="{reporter.pk}"]')
        page.click("#id_submit")
        page.wait_for_selector(".govuk-notification-banner--success")
        assert "Assessment recorded: high risk" in page.inner_text("main")
        _clean(page, "result")
        screenshot(page, "risk-result", full_page=True)
        page.click("text=Change the band")
        _clean(page, "override form")
        page.check('input[name="band"][value="medium"]')
        page.click("#id_submit")
        page.wait_for_selector(".govuk-error-summary")
        _clean(page, "override form with errors")
        page.fill("#id_reason", "Threats were made by a visitor who has since left")
        page.click("#id_submit")
        page.wait_for_selector(".govuk-notification-banner--success")
        assert "Changed from high" in page.inner_text("main")
        page.goto(f"{base}/")
        assert page.locator('svg[role="img"] title').count() >= 1
        assert "Risk at each assessment, oldest first" in page.inner_text("main")
        _clean(page, "tab with chart")
        screenshot(page, "risk-tab", full_page=True)
        page.goto("/staff/cases/")
        _clean(page, "dashboard with the risk panel")
        page.goto("/staff/risk/reassessments/?show=never")
        _clean(page, "reassessments list")

    assert run_in_chromium(live_server.url, scenario, cookies=[_cookie(officer, live_server, settings)]) == []
    assessment = Assessment.objects.get(case=case)
    assert (assessment.computed_band, assessment.band) == ("high", "medium")


def test_da_checklist_on_a_desktop_with_professional_judgement_and_marac(
    live_server: Any, make_staff: Callable[..., User], settings: Settings
) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = da_case(assigned_officer=specialist, team=specialist.team)
    victim = PartyFactory.create(case=case, role=PartyRole.VICTIM, safe_contact_notes="Only her work mobile")
    base = f"/staff/cases/{case.reference}/risk"
    answers = checklist_answers(yes=9, not_known=2, callouts=1)

    def scenario(page: Page) -> None:
        page.set_viewport_size(DESKTOP)
        page.goto(f"{base}/new/{CHECKLIST}/")
        _clean(page, "checklist form")
        _answer_all(page, answers)
        page.check(f'input[name="subject"][value="{victim.pk}"]')
        page.check('input[name="consent"][value="refused"]')
        assert not page.is_visible("#id_professional_judgement_reason")
        page.check("#id_professional_judgement")  # reveals the reason (GOV.UK conditional reveal)
        assert page.is_visible("#id_professional_judgement_reason")
        _clean(page, "checklist with the reason revealed")
        page.fill("#id_professional_judgement_reason", "Fresh bruising to her neck at the home visit")
        page.click("#id_submit")
        page.wait_for_selector(".govuk-notification-banner--success")
        main = page.inner_text("main")
        assert "Required" in main
        assert "Professional judgement" in main
        assert "Only her work mobile" in main
        assert "Refused consent" in main
        _clean(page, "DA result")
        page.click("text=Record the referral")
        _clean(page, "MARAC made form")
        today = timezone.localdate()
        page.fill("#id_made_on_0", str(today.day))
        page.fill("#id_made_on_1", str(today.month))
        page.fill("#id_made_on_2", str(today.year))
        page.click("#id_submit")
        page.wait_for_selector(".govuk-notification-banner--success")
        assert f"Referral made on {today.day}" in page.inner_text("main")
        page.goto(f"/staff/cases/{case.reference}/timeline/?kind=risk")
        assert "MARAC referral made" in page.inner_text("main")
        _clean(page, "timeline filtered to risk")

    assert run_in_chromium(live_server.url, scenario, cookies=[_cookie(specialist, live_server, settings)]) == []


def test_one_question_per_page_on_a_phone(
    live_server: Any, make_staff: Callable[..., User], settings: Settings
) -> None:
    officer = make_staff(Role.OFFICER)
    case: Case = open_case(assigned_officer=officer, team=officer.team)
    with_history = open_case(assigned_officer=officer, team=officer.team)
    for days in (30, 10):
        assessment = assessment_record(
            actor=officer, case=with_history, instrument=published(MATRIX), answers=matrix_answers()
        )
        Assessment.objects.filter(pk=assessment.pk).update(assessed_at=timezone.now() - dt.timedelta(days=days))
    answers = matrix_answers(fear="very")
    base = f"/staff/cases/{case.reference}/risk/new/{MATRIX}"

    def scenario(page: Page) -> None:
        page.set_viewport_size(PHONE)
        page.goto(f"{base}/")
        link = page.locator(".risk-step-mode")
        assert link.evaluate("el => getComputedStyle(el).borderLeftWidth") == "5px"  # prominent on a phone
        page.click("text=Answer one question at a time")
        for n, (qid, value) in enumerate(answers.items(), start=1):
            assert f"question {n} of {len(answers)}" in page.inner_text(".govuk-caption-m")
            if n == 1:
                page.click("#id_submit")  # nothing chosen: an error, on the same page
                page.wait_for_selector(".govuk-error-summary")
                _clean(page, "step with an error")
            if n <= 2:
                _clean(page, f"step {n}")
            page.locator(f'input[name="q_{qid}"][value="{value}"]').check()
            page.click("#id_submit")
        page.wait_for_url(f"**{base}/check/")
        _clean(page, "check answers")
        page.click("text=Change the answer to question 10")
        page.locator('input[name="q_fear"][value="somewhat"]').check()
        page.click("#id_submit")
        page.wait_for_url(f"**{base}/check/")
        assert "Somewhat afraid" in page.inner_text("main")
        page.click("#id_submit")
        page.wait_for_selector(".govuk-notification-banner--success")
        _clean(page, "result on a phone")
        page.goto(f"/staff/cases/{with_history.reference}/risk/")
        _clean(page, "tab with chart on a phone")
        # The chart's labels stay readable on a phone (they were ~8px when it was drawn 640 wide and shrunk to fit).
        heights = page.locator(".risk-chart svg text").evaluate_all(
            "els => els.map(el => el.getBBox().height * el.getScreenCTM().a)"
        )
        assert heights
        assert min(heights) >= 12, heights

    assert run_in_chromium(live_server.url, scenario, cookies=[_cookie(officer, live_server, settings)]) == []
    assert Assessment.objects.get(case=case).answers["fear"] == "somewhat"
