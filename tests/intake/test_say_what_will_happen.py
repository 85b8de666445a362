"""Say exactly what will happen (issue 14 part 10): an anonymous reporter is not asked how we should contact them,
and the confirmation and status page promise nothing we will not do (no contact for anonymous reporters, no email
when the acknowledgement is withheld)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from saferhomes.intake.models import Channel, Report
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.status import status_link_issue
from tests.intake.public_journey import full_answers, walk

pytestmark = pytest.mark.django_db

ANONYMOUS = {"about-you": {"relationship": "witness", "anonymous": "yes"}}


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _walk_to(client: Client, slug: str, answers: dict[str, dict[str, object]]) -> str:
    """The page `slug` after answering the pages before it."""
    walk(client, answers, send=False)
    return client.get(f"/report/{slug}/").content.decode()


def test_anonymous_reporter_is_not_asked_for_language_or_letter_format(client: Client) -> None:
    page = _walk_to(client, "accessibility", full_answers(**ANONYMOUS))
    assert 'name="preferred_language"' not in page
    assert 'name="preferred_format"' not in page
    assert 'name="reasonable_adjustments"' in page


def test_anonymous_reporter_is_not_offered_ask_me_first(client: Client) -> None:
    page = _walk_to(client, "consent", full_answers(**ANONYMOUS))
    assert 'value="ask"' not in page
    assert "we cannot ask you first" in page
    refused = client.post("/report/consent/", {"consent_to_share": "ask"})
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()


def test_named_reporter_is_still_asked_everything(client: Client) -> None:
    assert 'name="preferred_format"' in _walk_to(client, "accessibility", full_answers())
    assert 'value="ask"' in _walk_to(client, "consent", full_answers())


def test_anonymous_report_keeps_no_language_or_format() -> None:
    details = ReportDetails(
        problem="noise", description="Music", anonymous=True, preferred_language="Polish", preferred_format="braille"
    )
    report = report_submit(details=details, channel=Channel.WEB)
    assert (report.preferred_language, report.preferred_format) == ("", "")


def test_anonymous_confirmation_and_status_page_never_say_we_will_contact_them(client: Client) -> None:
    seen = walk(client, full_answers(**ANONYMOUS))
    confirmation = seen.response.content.decode()
    assert "We will contact you by" not in confirmation
    assert "we cannot contact you" in confirmation
    report = Report.objects.get()
    status = client.get(f"/report/status/{status_link_issue(report=report)}/").content.decode()
    assert "We will contact you by" not in status
    assert "We will look at it by" in status


def test_confirmation_promises_no_email_when_the_acknowledgement_is_withheld(client: Client) -> None:
    answers = full_answers(
        problem={"problem": "domestic_abuse"},
        contact={"contact_methods": ["email"], "safe_times": "", "safe_contact_notes": "He reads my email"},
    )
    page = walk(client, answers).response.content.decode()
    assert "we have not emailed you" in page
    assert "We have sent your reference" not in page
    assert "ask for a new one" not in page  # a new link goes by email, which is withheld


def test_confirmation_says_why_there_is_no_email_when_email_was_not_chosen(client: Client) -> None:
    answers = full_answers(contact={"contact_methods": ["text"], "safe_times": "", "safe_contact_notes": ""})
    page = walk(client, answers).response.content.decode()
    assert "You did not choose email as a safe way to contact you, so we have not emailed you." in page
    assert "ask for a new one" not in page  # a new link goes by email, which they did not choose


def test_confirmation_says_the_email_was_sent_when_it_was(client: Client) -> None:
    page = walk(client, full_answers()).response.content.decode()
    assert "We have sent your reference to the email address you gave us." in page
