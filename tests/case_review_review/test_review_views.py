"""The review pages (issue 17 parts 4 and 5): each page renders for staff who run reviews; a wrong answer comes back
in the error summary with every other answer kept; the letter page previews before sending; staff who may not see
applications get a 404, those who may see but not run reviews a 403; the dashboard's counts link to their lists."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application, ApplicationStatus, ReviewPanel
from saferhomes.referrals.models import Agency
from tests.case_review_review.helpers import conclude, days_ago
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db


def _url(name: str, application: Application, *args: object) -> str:
    return reverse(f"case-review-staff:{name}", args=[application.reference, *args])


def test_every_page_of_a_review_renders(met: Application, cara: User, agencies: list[Agency]) -> None:
    client = client_verified_as(cara)
    for name in ("review", "review-spoc", "review-invite", "review-panel"):
        response = client.get(_url(name, met))
        assert response.status_code == 200, name
    conclude(met, cara, agencies)
    for name, args in (("review", ()), ("review-letter", ("outcome",)), ("review-recommendation", (1,))):
        item = met.recommendations.first()
        assert item is not None
        response = client.get(_url(name, met, *([item.pk] if args == (1,) else args)))
        assert response.status_code == 200, name
    page = client.get(_url("review", met)).content.decode()
    for expected in ("Review of", "Cara Coordinator", "PC Jones", "Patrol the car park", "Overdue", "Send the review"):
        assert expected in page, expected


def test_the_panel_form_keeps_answers_and_shows_errors_in_the_summary(met: Application, cara: User) -> None:
    client = client_verified_as(cara)
    response = client.post(
        _url("review-panel", met),
        {
            "held_on_0": "31",
            "held_on_1": "2",
            "held_on_2": "2026",
            "chair": str(cara.pk),
            "information_considered": "The police log",
            "applicant_account": "",
            "applicant_account_how": "phone",
            "attendee_1_name": "PC Jones",
            "attendee_1_role": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "must be a real date" in html
    assert "Enter the applicant" in html
    assert "The police log" in html
    assert not ReviewPanel.objects.exists()


def test_the_panel_form_saves_a_meeting_with_its_attendees(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    held = days_ago(2)
    response = client_verified_as(cara).post(
        _url("review-panel", met),
        {
            "held_on_0": str(held.day),
            "held_on_1": str(held.month),
            "held_on_2": str(held.year),
            "chair": str(cara.pk),
            "information_considered": "The police log",
            "applicant_account": "They cannot sleep.",
            "applicant_account_how": "attended",
            "attendee_1_name": "PC Jones",
            "attendee_1_role": "Beat manager",
            "attendee_1_agency": str(agencies[0].pk),
            "attendee_2_name": "Cara Coordinator",
            "attendee_2_role": "Chair",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/review/#panel")
    panel = ReviewPanel.objects.get(application=met)
    assert [(a.name, a.agency) for a in panel.attendees.all()] == [
        ("PC Jones", agencies[0]),
        ("Cara Coordinator", None),
    ]


def test_a_service_refusal_lands_on_its_field(met: Application, cara: User, maya: User, agencies: list[Agency]) -> None:
    concluded = conclude(met, cara, agencies)
    client = client_verified_as(cara)
    assert client.post(_url("review-letter", concluded, "outcome")).status_code == 302
    today = days_ago(0)
    response = client.post(
        _url("review-appeal", concluded),
        {
            "requested_on_0": str(today.day),
            "requested_on_1": str(today.month),
            "requested_on_2": str(today.year),
            "grounds": "Nobody spoke to the police.",
            "chair": str(cara.pk),
        },
    )
    html = response.content.decode()
    assert "someone other than the review panel" in html
    assert "Nobody spoke to the police." in html
    assert Application.objects.get(pk=met.pk).status == ApplicationStatus.OUTCOME_SENT


def test_the_letter_page_previews_then_sends_and_the_pdf_downloads(met: Application, cara: User) -> None:
    client = client_verified_as(cara)
    page = client.get(_url("review-letter", met, "decision")).content.decode()
    assert "Name the single point of contact first" in page
    met.spoc = cara
    met.save()
    page = client.get(_url("review-letter", met, "decision")).content.decode()
    assert "meets the threshold for a review" in page
    assert "Not emailed: The applicant did not choose email" in page
    assert client.post(_url("review-letter", met, "decision")).status_code == 302
    letter = met.letters.get()
    pdf = client.get(_url("review-letter-pdf", met, letter.pk))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(_url("review-letter", met, "nonsense")).status_code == 404


def test_who_may_reach_the_pages(met: Application, make_staff: Callable[..., User]) -> None:
    officer = client_verified_as(make_staff(Role.OFFICER))  # takes applications, does not run reviews
    assert officer.get(_url("review", met)).status_code == 200
    assert officer.get(_url("review-panel", met)).status_code == 403
    dpo = client_verified_as(make_staff(Role.DPO))
    assert dpo.get(_url("review", met)).status_code == 404
    assert Client().get(_url("review", met)).status_code == 302
    assert (
        client_verified_as(make_staff(Role.COORDINATOR))
        .get(reverse("case-review-staff:review", args=["CR-2026-999999"]))
        .status_code
        == 404
    )


def test_the_dashboard_panel_links_to_each_list(met: Application, cara: User, agencies: list[Agency]) -> None:
    conclude(met, cara, agencies)
    client = client_verified_as(cara)
    html = client.get(reverse("cases:dashboard")).content.decode()
    assert "ASB Case Reviews" in html
    for which in ("reviews", "letters", "recommendations"):
        url = reverse("case-review-staff:review-due", args=[which])
        assert url in html
        listed = client.get(url).content.decode()
        if which != "reviews":
            assert met.reference in listed, which
    assert client.get(reverse("case-review-staff:review-due", args=["other"])).status_code == 404
