"""Hypothesis against every public form step and the private status pages (issue 21 part 2): generated answers
(valid choices, anything at all, files of any content and name) on each page of the report form, a whole journey
walked with generated answers to "Send report", the evidence page, the reporter's status page and diary, asking for
a new link, the ASB Case Review application and its status page, the closure survey and the public "action we've
taken" page. Nothing a member of the public can send gives a server error. Steps are read from `journey.STEPS`
and fields from each form class, so a new step or field is fuzzed without a change here."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.forms.applications import ApplicationForm
from saferhomes.case_review.models import Application
from saferhomes.case_review.services.applications import status_link_issue as review_link_issue
from saferhomes.cases.forms.closure import SurveyForm
from saferhomes.cases.models import Case, Status
from saferhomes.cases.services.closure import survey_link_issue
from saferhomes.core.errors import DomainError
from saferhomes.intake import journey
from saferhomes.intake.forms.public_status import DiaryEntryForm, LinkRequestForm
from saferhomes.intake.models import Report
from saferhomes.intake.services.status import status_link_issue
from tests.fuzz import budget
from tests.fuzz.form_data import FILES, TEXT, form_posts
from tests.fuzz.seeded import Seeded

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=budget.EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
QUESTION_STEPS = [step for step in journey.STEPS if step.form_class is not None]
INFORMATION_STEPS = [step.slug for step in journey.STEPS if step.form_class is None]
TOKENS = st.sampled_from(["x", "0" * 43, "%00", "..", "a" * 300]) | st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FFF, exclude_characters="/?#%"), min_size=1, max_size=60
)


def _send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    response = client.post(url, data or {}) if method == "post" else client.get(url, data or {})
    budget.record("forms", response.status_code)
    assert response.status_code < 500, (method, url, data, response.status_code)
    return response


@pytest.fixture
def public(seeded: Seeded) -> Seeded:
    return seeded


@pytest.mark.parametrize("step", QUESTION_STEPS, ids=lambda step: step.slug)
def test_any_answer_on_a_question_page_is_never_a_server_error(step: journey.Step, public: Seeded) -> None:
    assert step.form_class is not None

    @FUZZ
    @given(data=form_posts(step.form_class), change=st.booleans())
    def run(data: dict[str, Any], change: bool) -> None:
        client = Client()
        url = f"/report/{step.slug}/" + ("?change=1" if change else "")
        _send(client, "post", url, data)
        _send(client, "get", url)
        _send(client, "get", "/report/check-answers/")

    run()


def test_a_journey_walked_with_generated_answers_is_never_a_server_error(public: Seeded) -> None:
    """Follow the form as a browser does, answering each page it leads to with generated data (mostly valid
    choices), then check answers and send: report_submit sees every combination the pages let through."""

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        client = Client()
        _send(client, "get", "/report/")
        path = "/report/safety/"
        for _ in range(40):
            if path.startswith("/report/check-answers/"):
                break
            slug = path.strip("/").split("/")[-1].split("?")[0]
            step = journey.STEPS_BY_SLUG.get(slug)
            if step is None or step.form_class is None:
                posted: dict[str, Any] = {"continue": "1"} if slug == "evidence" else {}
            else:
                posted = data.draw(form_posts(step.form_class), label=slug)
            response = _send(client, "post", path, posted)
            if response.status_code != 302:
                return  # the page refused the answers and said why: the walk ends here
            path = response["Location"]
        _send(client, "post", "/report/check-answers/", {})
        _send(client, "get", "/report/confirmation/")

    run()


@pytest.mark.parametrize("slug", [*INFORMATION_STEPS, journey.CHECK_ANSWERS, "not-a-step"])
def test_information_pages_and_check_answers_take_anything(slug: str, public: Seeded) -> None:
    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(["continue", "upload", "remove", "file", "change", "x"]), TEXT | FILES))
    def run(data: dict[str, Any]) -> None:
        client = Client()
        _send(client, "post", f"/report/{slug}/", data)
        _send(client, "get", f"/report/{slug}/", {k: v for k, v in data.items() if isinstance(v, str)})

    run()


@pytest.fixture
def status_token(public: Seeded) -> str:
    report = Report.objects.order_by("pk").first()
    assert report is not None
    return status_link_issue(report=report)


def test_the_status_page_and_diary_take_anything(status_token: str) -> None:
    @FUZZ
    @given(token=st.just(status_token) | TOKENS, diary=form_posts(DiaryEntryForm))
    def run(token: str, diary: dict[str, Any]) -> None:
        client = Client()
        _send(client, "get", f"/report/status/{token}/")
        _send(client, "get", f"/report/status/{token}/diary/")
        _send(client, "post", f"/report/status/{token}/diary/", diary)

    run()


def test_asking_for_a_new_status_link_takes_anything(public: Seeded) -> None:
    references = list(Report.objects.values_list("reference", flat=True)[:5])

    @FUZZ
    @given(data=form_posts(LinkRequestForm), reference=st.sampled_from(references) | TEXT)
    def run(data: dict[str, Any], reference: str) -> None:
        _send(Client(), "post", "/report/new-link/", {"reference": reference, **data})

    run()


def test_the_case_review_application_and_its_status_page_take_anything(public: Seeded) -> None:
    application = Application.objects.order_by("pk").first()
    assert application is not None
    token = review_link_issue(application=application)

    @FUZZ
    @given(data=form_posts(ApplicationForm), status_token=st.just(token) | TOKENS)
    def run(data: dict[str, Any], status_token: str) -> None:
        client = Client()
        _send(client, "get", "/case-review/")
        _send(client, "post", "/case-review/", data)
        _send(client, "get", "/case-review/confirmation/")
        _send(client, "get", f"/case-review/status/{status_token}/")

    run()


def _survey_token() -> str | None:
    manager = User.objects.filter(role=Role.MANAGER).first()
    for case in Case.objects.filter(status=Status.CLOSED).order_by("pk"):
        try:
            _invitation, token = survey_link_issue(actor=manager, case=case)  # type: ignore[arg-type]
        except DomainError:
            continue
        return token
    return None


def test_the_closure_survey_takes_anything(public: Seeded) -> None:
    token = _survey_token()
    assert token is not None, "the demo seed has a closed case with a reporter"
    form_init = {"landlord_name": "Saferhomes"}

    @FUZZ
    @given(data=form_posts(SurveyForm, **form_init), survey_token=st.just(token) | TOKENS)
    def run(data: dict[str, Any], survey_token: str) -> None:
        client = Client()
        _send(client, "get", f"/survey/{survey_token}/")
        _send(client, "post", f"/survey/{survey_token}/", data)
        _send(client, "get", "/survey/thanks/")

    run()


def test_the_public_action_taken_page_takes_any_query(public: Seeded) -> None:
    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(["area", "estate", "quarter", "year", "page", "q", "x"]), TEXT))
    def run(query: dict[str, str]) -> None:
        _send(Client(), "get", "/action-taken/", query)
        _send(Client(), "get", "/case-review/statistics/", query)

    run()
