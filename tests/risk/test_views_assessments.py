"""The Risk tab and its forms (issue 7 parts 2-4): assess on one page or one question per page, see the result and
why, override with a reason, record MARAC decisions; errors in a GOV.UK summary keeping what was typed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Incident, Priority, Status
from saferhomes.risk.models import Assessment, MaracConsent, MaracDecision
from saferhomes.risk.services.assessments import assessment_override, assessment_record, marac_referral_made
from tests.cases.factories import force_status
from tests.conftest import client_verified_as
from tests.risk.assessment_helpers import (
    CHECKLIST,
    FACTORS,
    MATRIX,
    MATRIX_HIGH,
    MATRIX_MEDIUM,
    checklist_answers,
    da_case,
    matrix_answers,
    published,
    victim,
    working_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def specialist(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.DA_SPECIALIST)


def _asb(officer: User, **fields: Any) -> Case:
    return working_case(assigned_officer=officer, team=officer.team, **fields)


def _da(specialist: User, **fields: Any) -> Case:
    return da_case(assigned_officer=specialist, team=specialist.team, **fields)


def _post_data(answers: dict[str, str], **extra: str) -> dict[str, str]:
    return {**{f"q_{qid}": value for qid, value in answers.items()}, **extra}


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The Risk tab -----------------------------------------------------------------------------------------------------


def test_tab_offers_the_instruments_for_the_case_type(officer: User) -> None:
    case = _asb(officer)
    page = _text(client_verified_as(officer).get(f"/staff/cases/{case.reference}/risk/"))
    assert "This case has not been assessed yet" in page
    assert f"/risk/new/{MATRIX}/" in page
    assert f"/risk/new/{FACTORS}/" in page
    assert f"/risk/new/{CHECKLIST}/" not in page


def test_tab_shows_latest_result_reasons_chart_and_history(officer: User) -> None:
    case = _asb(officer)
    with time_machine.travel(dt.datetime(2026, 2, 2, 10, tzinfo=dt.UTC), tick=False):
        assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers())
    with time_machine.travel(dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC), tick=False):
        latest = assessment_record(
            actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_HIGH)
        )
        page = _text(client_verified_as(officer).get(f"/staff/cases/{case.reference}/risk/"))
    assert "High risk" in page
    assert "26 of" in page
    assert 'Reassess by</dt> <dd class="govuk-summary-list__value"> 27 February 2026' in page
    assert "Why this score and band" in page
    assert "(+6)" in page
    assert 'role="img"' in page
    assert '<title id="risk-chart-title">' in page
    assert "Risk at each assessment, oldest first" in page  # the table alternative
    assert page.index("2 Feb 2026") < page.index("20 Feb 2026")  # oldest first in the table
    assert f"/risk/{latest.pk}/override/" in page
    assert "Handle as urgent" in page
    assert "at least every 7 days" in page


def test_tab_flags_an_overdue_reassessment_and_a_new_incident(officer: User) -> None:
    case = _asb(officer)
    with time_machine.travel(dt.datetime(2026, 2, 2, 10, tzinfo=dt.UTC), tick=False):
        assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers())
    client = client_verified_as(officer)
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC), tick=False):
        page = _text(client.get(f"/staff/cases/{case.reference}/risk/"))
    assert '2 March 2026 <strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    with time_machine.travel(dt.datetime(2026, 2, 10, 10, tzinfo=dt.UTC), tick=False):
        Incident.objects.create(case=case, occurred_at=timezone.now(), description="Bin set alight", created_by=officer)
        page = _text(client.get(f"/staff/cases/{case.reference}/risk/"))
    assert "An incident was recorded on 10 February 2026, after the latest assessment" in page
    assert "Due today" in page


def test_tab_query_count_does_not_grow_with_assessments(officer: User, django_assert_max_num_queries: Any) -> None:
    case = _asb(officer)
    victim(case, safe_contact_notes="Text only")
    client = client_verified_as(officer)
    url = f"/staff/cases/{case.reference}/risk/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers())
    few = count()
    for _ in range(6):
        assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_HIGH))
    assessment_record(actor=officer, case=case, instrument=published(FACTORS), answers={"pets": "yes"})
    assert count() == few
    with django_assert_max_num_queries(25):
        client.get(url)


# All questions on one page ----------------------------------------------------------------------------------------


def test_one_page_assessment_records_and_shows_the_result(officer: User) -> None:
    case = _asb(officer)
    reporter = victim(case)
    client = client_verified_as(officer)
    url = f"/staff/cases/{case.reference}/risk/new/{MATRIX}/"
    form = _text(client.get(url))
    assert "Harm and threats" in form
    assert "Answer one question at a time" in form
    assert 'id="id_q_physical_harm_1"' in form
    response = client.post(url, _post_data(matrix_answers(**MATRIX_HIGH), subject=str(reporter.pk), notes="Asked"))
    assessment = Assessment.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{case.reference}/risk/{assessment.pk}/"
    assert assessment.subject == reporter
    assert assessment.notes == "Asked"
    result = _text(client.get(response["Location"]))
    assert "Assessment recorded: high risk" in result
    assert "Yes, an injury that needed medical treatment" in result  # the answers
    case.refresh_from_db()
    assert case.priority == Priority.HIGH


def test_one_page_errors_link_to_each_question_and_keep_answers(officer: User) -> None:
    case = _asb(officer)
    victim(case)
    answers = matrix_answers(**MATRIX_HIGH)
    del answers["fear"], answers["support"]
    response = client_verified_as(officer).post(
        f"/staff/cases/{case.reference}/risk/new/{MATRIX}/", _post_data(answers, notes="Kept")
    )
    page = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.startswith("<!DOCTYPE html>")
    assert '<a href="#id_q_fear_1">' in page
    assert '<a href="#id_q_support_1">' in page
    assert '<a href="#id_subject_1">Select who the assessment is about</a>' in page
    assert 'value="serious" checked' in page  # answers kept
    assert ">Kept</textarea>" in page
    assert "<title>Error:" in page
    assert not Assessment.objects.exists()


def test_da_checklist_page_asks_consent_and_professional_judgement(specialist: User) -> None:
    case = _da(specialist)
    person = victim(case, safe_contact_notes="Only call on her work mobile")
    client = client_verified_as(specialist)
    url = f"/staff/cases/{case.reference}/risk/new/{CHECKLIST}/"
    form = _text(client.get(url))
    assert "MARAC on professional judgement" in form
    assert 'data-aria-controls="conditional-id_professional_judgement"' in form
    data = _post_data(checklist_answers(yes=4), subject=str(person.pk), consent=MaracConsent.GIVEN)
    missing_reason = _text(client.post(url, {**data, "professional_judgement": "on"}))
    assert '<a href="#id_professional_judgement_reason">Enter why you are referring on professional judgement</a>' in (
        missing_reason
    )
    response = client.post(url, {**data, "professional_judgement": "on", "professional_judgement_reason": "Injuries"})
    assert response.status_code == 302
    result = _text(client.get(response["Location"]))
    assert "Required" in result
    assert "Professional judgement" in result
    assert "Consented to sharing with MARAC" in result
    assert "Only call on her work mobile" in result  # safe contact beside the DA result
    assert "Record the referral" in result


def test_no_assessment_on_a_closed_case(officer: User) -> None:
    case = force_status(_asb(officer), Status.CLOSED)
    client = client_verified_as(officer)
    page = _text(client.get(f"/staff/cases/{case.reference}/risk/"))
    assert f"/risk/new/{MATRIX}/" not in page
    response = client.get(f"/staff/cases/{case.reference}/risk/new/{MATRIX}/", follow=True)
    assert "This case is closed" in _text(response)


def test_unknown_or_inapplicable_instrument_is_404(officer: User) -> None:
    case = _asb(officer)
    client = client_verified_as(officer)
    assert client.get(f"/staff/cases/{case.reference}/risk/new/no-such-thing/").status_code == 404
    assert client.get(f"/staff/cases/{case.reference}/risk/new/{CHECKLIST}/").status_code == 404


# One question per page --------------------------------------------------------------------------------------------


def test_step_by_step_keeps_answers_in_the_session_then_checks_and_saves(officer: User) -> None:
    case = _asb(officer)
    person = victim(case)
    client = client_verified_as(officer)
    base = f"/staff/cases/{case.reference}/risk/new/{MATRIX}"
    answers = matrix_answers(**MATRIX_MEDIUM)
    first = _text(client.get(f"{base}/step/1/"))
    assert "question 1 of 13" in first
    assert '<h1 class="govuk-fieldset__heading">' in first
    missing = client.post(f"{base}/step/1/", {})
    assert "There is a problem" in _text(missing)
    for n, (qid, value) in enumerate(answers.items(), start=1):
        response = client.post(f"{base}/step/{n}/", {f"q_{qid}": value})
        assert response.status_code == 302
        assert response["Location"] == (f"{base}/check/" if n == len(answers) else f"{base}/step/{n + 1}/")
    assert _text(client.get(f"{base}/step/2/")).count("checked") == 1  # the saved answer is shown again
    check = _text(client.get(f"{base}/check/"))
    assert "Yes, an injury that needed medical treatment" in check
    assert f'href="{base}/step/1/?change=1"' in check
    changed = client.post(f"{base}/step/3/?change=1", {"q_property_targeted": "serious"})
    assert changed["Location"] == f"{base}/check/"
    response = client.post(f"{base}/check/", {"subject": str(person.pk)})
    assessment = Assessment.objects.get(case=case)
    assert response["Location"] == f"/staff/cases/{case.reference}/risk/{assessment.pk}/"
    assert assessment.score == 14
    assert assessment.answers["property_targeted"] == "serious"
    assert not any(key.startswith("risk-answers") for key in client.session.keys())  # noqa: SIM118 (no __iter__)


def test_check_page_links_unanswered_questions_to_their_pages(officer: User) -> None:
    case = _asb(officer)
    client = client_verified_as(officer)
    base = f"/staff/cases/{case.reference}/risk/new/{MATRIX}"
    client.post(f"{base}/step/1/", {"q_physical_harm": "minor"})
    page = _text(client.post(f"{base}/check/", {}))
    assert "There is a problem" in page
    assert f'<a href="{base}/step/2/?change=1">Answer' in page
    assert not Assessment.objects.exists()


def test_step_number_out_of_range_is_404(officer: User) -> None:
    case = _asb(officer)
    client = client_verified_as(officer)
    assert client.get(f"/staff/cases/{case.reference}/risk/new/{MATRIX}/step/0/").status_code == 404
    assert client.get(f"/staff/cases/{case.reference}/risk/new/{MATRIX}/step/99/").status_code == 404


def test_number_question_refuses_what_is_not_a_whole_number(specialist: User) -> None:
    case = _da(specialist)
    client = client_verified_as(specialist)
    response = client.post(
        f"/staff/cases/{case.reference}/risk/new/{CHECKLIST}/step/25/", {"q_police_callouts_12m": "x"}
    )
    assert "must be a whole number" in _text(response)


# Override and MARAC -----------------------------------------------------------------------------------------------


def test_override_form_needs_a_reason_then_changes_the_band(officer: User) -> None:
    case = _asb(officer)
    assessment = assessment_record(
        actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_MEDIUM)
    )
    client = client_verified_as(officer)
    url = f"/staff/cases/{case.reference}/risk/{assessment.pk}/override/"
    assert "Medium (current band)" in _text(client.get(url))
    page = _text(client.post(url, {"band": "high"}))
    assert '<a href="#id_reason">Enter why you are changing the band</a>' in page
    same = _text(client.post(url, {"band": "medium", "reason": "No change"}))
    assert "already in the medium band" in same
    response = client.post(url, {"band": "high", "reason": "Threats at the weekend"})
    assert response.status_code == 302
    result = _text(client.get(response["Location"]))
    assert "Changed from medium" in result
    assert "Threats at the weekend" in result


def test_marac_made_and_manager_not_referred_forms(specialist: User, make_staff: Callable[..., User]) -> None:
    case = _da(specialist)
    assessment = assessment_record(
        actor=specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=15)
    )
    client = client_verified_as(specialist)
    made = f"/staff/cases/{case.reference}/risk/{assessment.pk}/marac/made/"
    declined = f"/staff/cases/{case.reference}/risk/{assessment.pk}/marac/not-referred/"
    assert client.get(declined).status_code == 403
    page = _text(client.post(made, {"made_on_0": "", "made_on_1": "", "made_on_2": ""}))
    assert "Enter date the referral was made" in page
    today = timezone.localdate()
    response = client.post(made, {"made_on_0": today.day, "made_on_1": today.month, "made_on_2": today.year})
    assert response.status_code == 302
    assert MaracDecision.objects.get().referral_made_on == today
    manager = make_staff(Role.MANAGER)
    second = assessment_record(
        actor=manager, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=15)
    )
    manager_client = client_verified_as(manager)
    url = f"/staff/cases/{case.reference}/risk/{second.pk}/marac/not-referred/"
    assert "Enter why the MARAC referral will not be made" in _text(manager_client.post(url, {"reason": ""}))
    response = manager_client.post(url, {"reason": "Already heard at MARAC this month"})
    assert response.status_code == 302
    assert MaracDecision.objects.get(assessment=second).not_referred_reason == "Already heard at MARAC this month"


def test_marac_pages_404_without_a_required_referral(officer: User) -> None:
    case = _asb(officer)
    assessment = assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers())
    client = client_verified_as(officer)
    assert client.get(f"/staff/cases/{case.reference}/risk/{assessment.pk}/marac/made/").status_code == 404


def test_closure_tab_links_an_outstanding_marac_referral_to_the_risk_tab(specialist: User) -> None:
    case = _da(specialist)
    assessment_record(actor=specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=14))
    page = _text(client_verified_as(specialist).get(f"/staff/cases/{case.reference}/closure/"))
    assert "A MARAC referral is required (14 or more &#x27;yes&#x27; answers)" in page
    assert f'href="/staff/cases/{case.reference}/risk/">Record the MARAC referral' in page


def test_timeline_shows_assessments_overrides_and_marac(specialist: User) -> None:
    case = _da(specialist)
    assessment = assessment_record(
        actor=specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=14)
    )
    assessment_override(actor=specialist, assessment=assessment, band="medium", reason="Answers were second-hand")
    marac_referral_made(actor=specialist, decision=assessment.marac_decision, made_on=timezone.localdate())
    page = _text(client_verified_as(specialist).get(f"/staff/cases/{case.reference}/timeline/?kind=risk"))
    for text in ("Risk assessed: Domestic abuse risk checklist", "Risk band changed to medium",
                 "MARAC referral required", "MARAC referral made", "Answers were second-hand"):  # fmt: skip
        assert text in page, text


def test_tab_links_each_outstanding_marac_referral(specialist: User) -> None:
    case = _da(specialist)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        required = assessment_record(
            actor=specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=14)
        )
    assessment_record(actor=specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=2))
    page = _text(client_verified_as(specialist).get(f"/staff/cases/{case.reference}/risk/"))
    assert "A MARAC referral is required and not yet recorded" in page
    assert (
        f'href="/staff/cases/{case.reference}/risk/{required.pk}/#marac">Record the MARAC referral required by the '
        "assessment of 2 March 2026" in page
    )
