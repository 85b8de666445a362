"""The public survey pages: a plain form (no JavaScript, no account), friendly pages for bad links, nothing private."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import SurveyInvitation
from tests.cases.closure_helpers import invited, reporter_of

pytestmark = pytest.mark.django_db

TP12 = "How satisfied or dissatisfied are you with Calico Homes's approach to handling anti-social behaviour?"


@pytest.fixture(name="officer")
def officer_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture(autouse=True)
def _landlord(settings: object) -> None:
    settings.LANDLORD_NAME = "Calico Homes"  # type: ignore[attr-defined]


def test_the_survey_asks_tp12_word_for_word_on_a_five_point_scale_and_what_we_could_do_better(
    officer: User, client: Client
) -> None:
    case, token = invited(officer)

    response = client.get(f"/survey/{token}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert TP12 in html.unescape(body)
    labels = re.findall(r'<label class="govuk-label govuk-radios__label" for="[^"]+">\s*([^<]+?)\s*</label>', body)
    assert labels == [
        "Very satisfied",
        "Fairly satisfied",
        "Neither satisfied nor dissatisfied",
        "Fairly dissatisfied",
        "Very dissatisfied",
    ]
    assert "What could we have done better?" in body
    assert case.reference in body
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_survey_shows_nothing_about_the_case_beyond_its_reference(officer: User, client: Client) -> None:
    case, token = invited(officer)
    reporter = reporter_of(case)

    body = client.get(f"/survey/{token}/").content.decode()

    for private in (case.summary, case.description, reporter.last_name, officer.last_name, reporter.email):
        assert private not in body


def test_answering_without_javascript_posts_the_form_and_thanks_the_reporter(officer: User, client: Client) -> None:
    _case, token = invited(officer)

    response = client.post(f"/survey/{token}/", {"satisfaction": "2", "could_do_better": "Call me back."})

    assert response.status_code == 302
    assert response["Location"] == "/survey/thanks/"
    thanks = client.get(response["Location"])
    assert "Thank you for your answers" in thanks.content.decode()
    invitation = SurveyInvitation.objects.get()
    assert (invitation.satisfaction, invitation.could_do_better) == (2, "Call me back.")


def test_no_answer_shows_the_error_summary_linked_to_the_first_radio_and_keeps_the_text(
    officer: User, client: Client
) -> None:
    _case, token = invited(officer)

    response = client.post(f"/survey/{token}/", {"could_do_better": "Be quicker"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: " in body
    assert '<a href="#id_satisfaction_1">' in body
    assert 'id="id_satisfaction_1"' in body
    assert "Select how satisfied or dissatisfied you are" in body
    assert "Be quicker" in body
    assert SurveyInvitation.objects.get().answered_at is None


def test_an_unknown_link_is_a_friendly_404(client: Client) -> None:
    response = client.get("/survey/not-a-token/")

    assert response.status_code == 404
    assert "Survey link not found" in response.content.decode()


def test_a_used_link_is_a_friendly_410(officer: User, client: Client) -> None:
    _case, token = invited(officer)
    client.post(f"/survey/{token}/", {"satisfaction": "5"})

    for response in (client.get(f"/survey/{token}/"), client.post(f"/survey/{token}/", {"satisfaction": "1"})):
        assert response.status_code == 410
        assert "You have already answered this survey" in response.content.decode()
    assert SurveyInvitation.objects.get().satisfaction == 5


def test_an_expired_link_is_a_friendly_410(officer: User, client: Client) -> None:
    _case, token = invited(officer)
    sent = SurveyInvitation.objects.get().sent_at

    with time_machine.travel(sent + dt.timedelta(days=91), tick=False):
        response = client.get(f"/survey/{token}/")

    assert response.status_code == 410
    assert "This survey link has expired" in response.content.decode()


def test_the_survey_needs_no_account_and_csrf_still_protects_it(officer: User) -> None:
    _case, token = invited(officer)
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(f"/survey/{token}/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert csrf is not None
    assert browser.post(f"/survey/{token}/", {"satisfaction": "4"}).status_code == 403
    answered = browser.post(f"/survey/{token}/", {"satisfaction": "4", "csrfmiddlewaretoken": csrf.group(1)})
    assert answered.status_code == 302
