"""Shared pieces for the public report form's tests: answers for every page, and walking the journey like a browser."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    """A GOV.UK date input's three posted parts."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def full_answers(**changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Answers for every question page of a named noise report (change any page's answers by its slug)."""
    answers: dict[str, dict[str, Any]] = {
        "safety": {"danger_now": "no"},
        "problem": {"problem": "noise"},
        "hate": {"hate_strands": ["race"], "hate_other": ""},
        "what-happened": {"description": "Music until 3am every night"},
        "when": {**date_parts("occurred_on", YESTERDAY), "occurred_time": "23:30", "frequency": "daily"},
        "where": {"at_home": "yes", "address_line": "1 Example Street", "address_postcode": "ex1 1aa"},
        "who": {"people_known": "yes", "people_involved": "The people at number 3"},
        "impact": {"urgency": ["none"], "impact": "I cannot sleep"},
        "about-you": {"relationship": "self", "anonymous": "no"},
        "your-details": {
            "first_name": "Ada",
            "last_name": "Hale",
            "email": "Ada@Example.org",
            "phone": "07700 900982",
            "address": "2 Example Street",
            "postcode": "EX1 1AB",
        },
        "contact": {"contact_methods": ["email", "text"], "safe_times": "After 6pm", "safe_contact_notes": ""},
        "accessibility": {"accessibility_needs": "", "reasonable_adjustments": "Large print", "preferred_language": ""},
        "consent": {"consent_to_share": "yes"},
    }
    for slug, values in changes.items():
        answers[slug] = values
    return answers


@dataclass
class Walk:
    """What a walk through the form saw: the pages in order (paths) and the last response."""

    pages: list[str] = field(default_factory=list)
    response: Any = None


def walk(client: Client, answers: dict[str, dict[str, Any]], *, send: bool = True) -> Walk:
    """Go through the form as a person would: start page, each page it leads to, check answers, send."""
    seen = Walk()
    response = client.get("/report/")
    seen.pages.append("/report/")
    path = "/report/safety/"
    for _ in range(40):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        seen.pages.append(path)
        if path == "/report/check-answers/":
            break
        slug = path.strip("/").split("/")[-1]
        if slug in ("call-999", "domestic-abuse", "evidence"):
            data: dict[str, Any] = {"continue": "1"} if slug == "evidence" else {}
        else:
            data = answers[slug]
        response = client.post(path, data)
        assert response.status_code == 302, (path, response.content.decode()[:3000])
        path = response["Location"]
    if send:
        response = client.post("/report/check-answers/", {})
        assert response.status_code == 302, response.content.decode()[:3000]
        response = client.get(response["Location"])
        seen.pages.append("/report/confirmation/")
    seen.response = response
    return seen
