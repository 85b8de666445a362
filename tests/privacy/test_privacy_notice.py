"""The public privacy notice says what the system really does (issue 19 part 6): how long we keep information (the
default schedule in plain English), anonymisation, legal holds, rights and how to make a request (one month,
extendable by two), and who sees what (restricted cases, every read recorded, the DPO sees metadata unless given
access)."""

from __future__ import annotations

import itertools
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def text_of(client: Client) -> str:
    html = client.get("/privacy/").content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\N{RIGHT SINGLE QUOTATION MARK}", "'").split())


@pytest.mark.parametrize(
    "words",
    [
        # How long we keep it: the default retention schedule (docs/privacy/record-of-processing.md section 8)
        "anti-social behaviour and hate cases: 6 years after the case is closed",
        "6 years after the order or the legal action ends",
        "domestic abuse cases: 6 years after the case is closed",
        "reports that did not become a case: 12 months after we received them",
        "it stops working 3 months after your case is closed, or 12 months after we sent it",
        "ASB Case Review (Community Trigger) applications: 6 years after the last decision or outcome letter",
        "Limitation Act 1980",
        # Anonymisation and legal holds
        "we anonymise the case",
        'Names are replaced with "Anonymised"',
        "We call this a legal hold",
        # Rights and how to make a request
        "How to make a request",
        "We will reply within one month of receiving your request",
        "we can take up to two more months",
        # Who sees what
        "A restricted case can only be opened by the staff named on it",
        "we record who opened it and when",
        "sees who opened which case, but not what is in it",
    ],
)
def test_the_privacy_notice_says_what_the_system_does(client: Client, words: str) -> None:
    assert words in text_of(client)


def test_the_privacy_notice_keeps_one_h1_and_ordered_headings(client: Client) -> None:
    html = client.get("/privacy/").content.decode()
    assert html.count("<h1") == 1
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))
