"""Bad input on the public report form: every page says what is wrong in a GOV.UK error summary linking to the field,
keeps what was typed and the other pages' answers, stores any text safely, and never answers with a 5xx."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings

from saferhomes.intake import journey
from saferhomes.intake.models import Report
from saferhomes.intake.rules import DESCRIPTION_MAX
from tests.intake.public_journey import date_parts, full_answers, walk

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)
TYPED = {"hate_other", "description", "occurred_time", "occurred_text", "address_line", "address_postcode",
         "location_text", "on_behalf_name", "first_name", "email", "phone", "postcode"}  # fmt: skip


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _error_links(page: str) -> list[tuple[str, str]]:
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


# (page, what was posted, the field the error links to, the message)
BAD_ANSWERS: list[tuple[str, dict[str, Any], str, str]] = [
    ("safety", {}, "id_danger_now_1", "Select yes if anyone is in immediate danger right now"),
    ("safety", {"danger_now": "maybe"}, "id_danger_now_1", "Select yes if anyone is in immediate danger right now"),
    ("problem", {}, "id_problem_1", "Select what is happening"),
    ("hate", {}, "id_hate_strands_1", "Select why you think they were targeted"),
    ("hate", {"hate_strands": ["other"]}, "id_hate_other", "Tell us what else about who they are made them a target"),
    ("what-happened", {"description": "   "}, "id_description", "Enter what happened"),
    ("what-happened", {"description": "x" * 10_000}, "id_description", "What happened must be 5,000 characters"),
    ("when", {"frequency": "once"}, "id_occurred_on_0", "Enter the date it happened, or tell us roughly when"),
    (
        "when",
        {**date_parts("occurred_on", TOMORROW), "frequency": "once"},
        "id_occurred_on_0",
        "The date it happened must be today or in the past",
    ),
    (
        "when",
        {"occurred_on_0": "31", "occurred_on_1": "2", "occurred_on_2": "2025", "frequency": "once"},
        "id_occurred_on_0",
        "Date it happened must be a real date",
    ),
    (
        "when",
        {"occurred_on_0": "3", "occurred_on_1": "", "occurred_on_2": "2025", "frequency": "once"},
        "id_occurred_on_1",
        "Date it happened must include a month",
    ),
    ("when", {"occurred_text": "Last week"}, "id_frequency_1", "Select how often it happens"),
    (
        "when",
        {"occurred_text": "Last week", "occurred_time": "25:99", "frequency": "once"},
        "id_occurred_time",
        "Time it happened must be a real time",
    ),
    ("where", {}, "id_at_home_1", "Select whether it happened at or near one of our homes"),
    ("where", {"at_home": "yes"}, "id_address_line", "Enter the address of the home"),
    ("where", {"at_home": "yes", "address_line": "1 High St", "address_postcode": "nope"}, "id_address_postcode",
     "Enter a real postcode"),
    ("where", {"at_home": "no"}, "id_location_text", "Enter where it happened"),
    ("who", {}, "id_people_known_1", "Select whether you know who was involved"),
    ("impact", {}, "id_urgency_1", "Select all that apply, or 'None of these'"),
    ("impact", {"urgency": ["none", "violence"]}, "id_urgency_1", "Select 'None of these' on its own"),
    ("about-you", {"anonymous": "no"}, "id_relationship_1", "Select who it happened to"),
    ("about-you", {"relationship": "on_behalf", "on_behalf_name": "Sam", "anonymous": "no"}, "id_on_behalf_consent",
     "You can only report for someone else if they have agreed"),
    ("your-details", {"email": "ada@example.org"}, "id_first_name", "Enter your name, or go back and choose"),
    ("your-details", {"first_name": "Ada", "email": "not-an-email"}, "id_email", "Enter an email address"),
    ("your-details", {"first_name": "Ada", "phone": "call me"}, "id_phone", "Enter a phone number"),
    ("your-details", {"first_name": "Ada", "postcode": "XX"}, "id_postcode", "Enter a real postcode"),
    ("contact", {}, "id_contact_methods_1", "Select at least one safe way to contact you"),
    ("contact", {"contact_methods": ["letter"]}, "id_contact_methods_1", "You chose letter but did not"),
    ("accessibility", {"preferred_format": "smoke signals"}, "id_preferred_format_1", "Select a format from the list"),
    ("consent", {}, "id_consent_to_share_1", "Select whether we can share what you have told us"),
]  # fmt: skip


@pytest.mark.parametrize(("slug", "posted", "anchor", "message"), BAD_ANSWERS)
def test_each_page_says_what_is_wrong_and_keeps_every_answer(
    client: Client, slug: str, posted: dict[str, Any], anchor: str, message: str
) -> None:
    other, kept = ("consent", {"consent_to_share": ["no"]})
    if slug == "consent":
        other, kept = ("who", {"people_known": ["dont_know"]})
    client.post(f"/report/{other}/", kept)
    client.post("/report/your-details/", {"first_name": "Kept", "email": "kept@example.org"} if slug != "your-details"
                else {"first_name": "Kept"})  # fmt: skip
    response = client.post(f"/report/{slug}/", posted)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    links = [(link, html.unescape(text)) for link, text in _error_links(page)]
    assert any(link == anchor and text.startswith(message) for link, text in links), links
    assert f'id="{anchor}"' in page
    for name, value in posted.items():  # what was typed is still there
        if name in TYPED and value.strip() and len(value) < 100:
            assert html.escape(value) in page
    answers = journey.journey_answers(client.session)
    assert answers[other] == kept
    assert slug in answers  # even a wrong answer is kept, to be corrected


def test_a_10000_character_description_is_kept_to_be_shortened(client: Client) -> None:
    text = "a" * 10_000
    page = client.post("/report/what-happened/", {"description": text}).content.decode()
    assert text in page
    assert text in client.get("/report/what-happened/").content.decode()
    assert f"You can enter up to {DESCRIPTION_MAX} characters" in page


@pytest.mark.parametrize(
    "text",
    ["<script>alert('x')</script> & <b>bold</b>", "🙂🔥 loud music 🎶", "موسيقى عالية كل ليلة", "每天晚上都很吵"],
)
def test_any_text_is_stored_as_typed_and_shown_escaped(client: Client, text: str) -> None:
    answers = full_answers(**{"what-happened": {"description": text}})
    walk(client, answers, send=False)
    page = client.get("/report/check-answers/").content.decode()
    assert "<script>alert" not in page
    if "<" in text:
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    else:
        assert text in page
    client.post("/report/check-answers/", {})
    assert Report.objects.get().description == text


def test_refusal_by_the_report_service_links_back_to_the_page_that_asked(client: Client) -> None:
    # The description fits its page, but with the hate page's "something else" words added it is too long.
    answers = full_answers(
        problem={"problem": "hate"},
        hate={"hate_strands": ["other"], "hate_other": "y" * 200},
        **{"what-happened": {"description": "x" * (DESCRIPTION_MAX - 10)}},
    )
    walk(client, answers, send=False)
    response = client.post("/report/check-answers/", {})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="/report/what-happened/?change=1">What happened must be 5,000 characters or fewer</a>' in page
    assert not Report.objects.exists()
    assert journey.journey_answers(client.session)["what-happened"]


STEP_SLUGS = [step.slug for step in journey.STEPS] + ["check-answers", "evidence"]
ODD_VALUES = ["yes", "no", "none", "noise", "hate", "31", "2", "0", "-1", "9999", "\x00", "on", "99999999999999999999",
              "0001", "\x1b[2J", "a\x00b", "\u0661\u0662", "1e9", " "]  # fmt: skip
posted_values = st.one_of(
    st.text(max_size=300),
    st.lists(st.text(max_size=30), max_size=4),
    st.sampled_from(ODD_VALUES),
)
field_names = st.sampled_from(
    ["danger_now", "problem", "hate_strands", "hate_other", "description", "occurred_on_0", "occurred_on_1",
     "occurred_on_2", "occurred_time", "occurred_text", "frequency", "at_home", "address_line", "address_postcode",
     "location_text", "people_known", "urgency", "relationship", "on_behalf_consent", "anonymous", "first_name",
     "email", "phone", "postcode", "contact_methods", "preferred_format", "consent_to_share", "remove", "upload",
     "continue"]
)  # fmt: skip


@hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slug=st.sampled_from(STEP_SLUGS), data=st.dictionaries(field_names, posted_values, max_size=8))
def test_random_answers_never_give_a_server_error(client: Client, slug: str, data: dict[str, Any]) -> None:
    response = client.post(f"/report/{slug}/", data)  # NUL and other control characters included (the edge check)
    assert response.status_code < 500
    assert client.get(f"/report/{slug}/").status_code < 500
    assert client.get("/report/check-answers/").status_code < 500


@pytest.mark.parametrize(
    ("field", "slug"),
    [("case_type", "problem"), ("problem", "problem"), ("hate_strands", "hate"), ("description", "what-happened"),
     ("occurred_at", "when"), ("occurred_text", "when"), ("frequency", "when"), ("location_text", "where"),
     ("people_known", "who"), ("people_involved", "who"), ("impact", "impact"), ("relationship", "about-you"),
     ("on_behalf_name", "about-you"), ("on_behalf_consent", "about-you"), ("first_name", "your-details"),
     ("last_name", "your-details"), ("email", "your-details"), ("phone", "your-details"), ("address", "your-details"),
     ("contact_methods", "contact"), ("safe_times", "contact"), ("safe_contact_notes", "contact"),
     ("accessibility_needs", "accessibility"), ("reasonable_adjustments", "accessibility"),
     ("preferred_format", "accessibility"), ("consent_to_share", "consent")],
)  # fmt: skip
def test_every_field_the_report_service_can_refuse_belongs_to_the_page_that_asks_it(field: str, slug: str) -> None:
    assert journey.step_for_field(field) == slug
