"""The public report form end to end through the Django test client: the pages each answer leads to, the report it
makes, changing answers from check-your-answers, and the confirmation page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from saferhomes.cases.models import CaseType
from saferhomes.intake.models import Channel, Report, ReportStatus, StatusLink, UrgencyReason
from tests.housing.factories import PropertyFactory
from tests.intake.public_journey import date_parts, full_answers, walk

pytestmark = pytest.mark.django_db

# The fewest pages: start, safety, problem, what happened, when, where, who, impact, evidence, about you (anonymous),
# accessibility, consent, check answers, confirmation.
SHORTEST_JOURNEY_PAGES = 14
# The most: also call 999, the hate (or domestic abuse) page, your details and safe contact.
LONGEST_JOURNEY_PAGES = 18


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def test_home_page_links_to_the_report_form(client: Client) -> None:
    assert 'href="/report/"' in client.get("/").content.decode()


def test_whole_journey_makes_a_web_report_with_every_answer(client: Client) -> None:
    home = PropertyFactory.create(address_line_1="1 Example Street", postcode="EX1 1AA")
    seen = walk(client, full_answers())
    assert "RPT-" in seen.response.content.decode()
    report = Report.objects.get()
    assert (report.channel, report.status, report.created_by) == (Channel.WEB, ReportStatus.NEW, None)
    assert (report.case_type, report.problem, report.sub_types) == (CaseType.ASB, "noise", ["noise"])
    assert report.description == "Music until 3am every night"
    assert timezone.localtime(report.occurred_at).time() == dt.time(23, 30)
    assert report.frequency == "daily"
    assert report.home == home
    assert (report.people_known, report.people_involved) == ("yes", "The people at number 3")
    assert report.urgency_answers == {"violence": False, "damage": False, "vulnerable": False, "danger": False}
    assert not report.urgent
    assert (report.first_name, report.last_name, report.email) == ("Ada", "Hale", "ada@example.org")
    assert report.contact_methods == ["email", "text"]
    assert (report.safe_times, report.reasonable_adjustments, report.consent_to_share) == (
        "After 6pm",
        "Large print",
        "yes",
    )
    assert StatusLink.objects.filter(report=report, revoked_at__isnull=True).count() == 1


def test_place_that_is_not_one_of_our_homes_is_kept_as_words(client: Client) -> None:
    walk(client, full_answers(where={"at_home": "no", "location_text": "The park by the shops"}))
    report = Report.objects.get()
    assert (report.home, report.location_text) == (None, "The park by the shops")


def test_shortest_journey_is_anonymous_with_no_danger(client: Client) -> None:
    seen = walk(client, full_answers(**{"about-you": {"relationship": "witness", "anonymous": "yes"}}))
    assert len(seen.pages) == SHORTEST_JOURNEY_PAGES, seen.pages
    report = Report.objects.get()
    assert report.anonymous
    assert (report.first_name, report.email, report.contact_methods) == ("", "", [])


def test_longest_journey_asks_every_page_and_is_urgent(client: Client) -> None:
    answers = full_answers(safety={"danger_now": "yes"}, problem={"problem": "hate"})
    seen = walk(client, answers)
    assert len(seen.pages) == LONGEST_JOURNEY_PAGES, seen.pages
    assert "/report/call-999/" in seen.pages
    assert "/report/hate/" in seen.pages
    report = Report.objects.get()
    assert report.danger_now
    assert report.urgent
    assert report.urgent_reasons == [UrgencyReason.DANGER, UrgencyReason.HATE]
    assert report.hate_strands == ["race"]
    assert "call 999 now" in seen.response.content.decode()


def test_domestic_abuse_shows_helplines_and_the_link_only_if_safe(client: Client) -> None:
    seen = walk(client, full_answers(problem={"problem": "domestic_abuse"}))
    assert "/report/domestic-abuse/" in seen.pages
    assert "Only save this link if it is safe to" in seen.response.content.decode()
    assert Report.objects.get().case_type == CaseType.DA


def test_danger_page_says_call_999_first_and_lets_them_carry_on(client: Client) -> None:
    response = client.post("/report/safety/", {"danger_now": "yes"})
    assert response["Location"] == "/report/call-999/"
    page = client.get("/report/call-999/").content.decode()
    assert "Call 999 now" in page
    assert 'href="/report/problem/"' in page


def test_problem_page_gives_101_and_crimestoppers(client: Client) -> None:
    page = client.get("/report/problem/").content.decode()
    assert "101" in page
    assert "Crimestoppers" in page


def test_back_links_go_to_the_previous_page_asked(client: Client) -> None:
    client.post("/report/safety/", {"danger_now": "no"})
    assert 'href="/report/safety/" class="govuk-back-link"' in client.get("/report/problem/").content.decode()
    assert 'href="/report/" class="govuk-back-link"' in client.get("/report/safety/").content.decode()


def test_going_back_shows_what_was_typed(client: Client) -> None:
    client.post("/report/what-happened/", {"description": "Shouting at night"})
    assert "Shouting at night" in client.get("/report/what-happened/").content.decode()


def test_check_answers_sends_you_to_the_first_page_not_answered(client: Client) -> None:
    client.post("/report/safety/", {"danger_now": "no"})
    response = client.get("/report/check-answers/")
    assert response["Location"] == "/report/problem/?change=1"


def test_change_from_check_answers_comes_back_to_check_answers(client: Client) -> None:
    walk(client, full_answers(), send=False)
    response = client.post("/report/what-happened/?change=1", {"description": "Changed my mind"})
    assert response["Location"] == "/report/check-answers/"
    assert "Changed my mind" in client.get("/report/check-answers/").content.decode()
    page = client.get("/report/what-happened/?change=1").content.decode()
    assert 'href="/report/check-answers/" class="govuk-back-link"' in page


def test_changing_to_hate_asks_the_new_question_before_returning(client: Client) -> None:
    walk(client, full_answers(), send=False)
    client.post("/report/problem/?change=1", {"problem": "hate"})
    response = client.get("/report/check-answers/")
    assert response["Location"] == "/report/hate/?change=1"
    response = client.post("/report/hate/?change=1", {"hate_strands": ["disability"]})
    assert response["Location"] == "/report/check-answers/"
    assert client.get("/report/check-answers/").status_code == 200


def test_check_answers_lists_answers_with_change_links(client: Client) -> None:
    walk(client, full_answers(), send=False)
    page = client.get("/report/check-answers/").content.decode()
    for text in ("Music until 3am every night", "Every day or nearly every day", "Ada@Example.org", "Large print"):
        assert text in page
    assert 'href="/report/when/?change=1"' in page


def test_status_link_is_shown_once(client: Client) -> None:
    seen = walk(client, full_answers())
    assert 'id="status-link"' in seen.response.content.decode()
    again = client.get("/report/confirmation/").content.decode()
    assert 'id="status-link"' not in again
    assert Report.objects.get().reference in again


def test_confirmation_gives_the_deadline_in_words(client: Client) -> None:
    with time_machine.travel(dt.datetime(2025, 12, 24, 15, 0, tzinfo=dt.UTC), tick=False):
        answers = full_answers(when={**date_parts("occurred_on", dt.date(2025, 12, 23)), "frequency": "once"})
        seen = walk(client, answers)
    # Wed 24 Dec 2025 15:00, standard: the end of the fifth working day (DESIGN.md §4.1 worked example)
    assert "the end of Mon 5 Jan 2026" in seen.response.content.decode()


def test_confirmation_without_a_report_goes_to_the_start(client: Client) -> None:
    assert client.get("/report/confirmation/")["Location"] == "/report/"


def test_a_new_report_after_sending_starts_empty(client: Client) -> None:
    walk(client, full_answers())
    assert "Music until 3am" not in client.get("/report/what-happened/").content.decode()


def test_unknown_step_is_a_404(client: Client) -> None:
    assert client.get("/report/no-such-page/").status_code == 404


def test_pages_are_never_cached(client: Client) -> None:
    response = client.get("/report/safety/")
    assert "no-store" in response["Cache-Control"]


def test_looking_at_the_form_starts_no_session(client: Client) -> None:
    client.get("/report/")
    client.get("/report/safety/")
    assert "sessionid" not in client.cookies


def test_coming_back_carries_on_where_they_left_off(client: Client) -> None:
    client.post("/report/safety/", {"danger_now": "no"})
    client.post("/report/problem/", {"problem": "noise"})
    page = client.get("/report/").content.decode()
    assert "Continue your report" in page
    assert client.get("/report/check-answers/")["Location"] == "/report/what-happened/?change=1"


def test_back_from_a_page_still_to_answer_goes_to_the_page_before(client: Client) -> None:
    client.post("/report/safety/", {"danger_now": "no"})
    page = client.get("/report/problem/?change=1").content.decode()
    assert 'href="/report/safety/" class="govuk-back-link"' in page
