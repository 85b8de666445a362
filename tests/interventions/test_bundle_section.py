"""The evidence bundle's "Interventions and legal action" section (issue 16 item 5): every intervention on the ladder
with its milestones, in the bundle after the risk assessments, its free text redacted as the rest of the bundle."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator

import pytest
import time_machine
from pypdf import PdfReader

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import PartyRole
from saferhomes.documents.bundle import BUNDLE_SECTIONS
from saferhomes.documents.services.bundle import bundle_build
from saferhomes.interventions.extensions import interventions_bundle_section
from saferhomes.interventions.services.interventions import intervention_propose
from saferhomes.interventions.services.milestones import milestone_record
from tests.cases.factories import PartyFactory
from tests.interventions.helpers import open_case, perpetrator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_june_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


def test_the_bundle_lists_each_intervention_and_its_milestones_with_contact_details_redacted(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff(Role.OFFICER)
    case = open_case(officer)
    PartyFactory.create(
        case=case, role=PartyRole.REPORTER, first_name="Harriet", last_name="Vale", phone="07700 900123"
    )
    party = perpetrator(case)
    warning = intervention_propose(
        actor=officer,
        case=case,
        kind="warning_letter",
        party=party,
        started_on=dt.date(2026, 6, 1),
        proportionality="Second complaint; Harriet can be reached on 07700 900123 if the court asks.",
    )
    first = warning.kind_definition["milestones"][0]["key"]
    notes = "Delivered by hand; Harriet rang 07700 900123 after."
    milestone_record(actor=officer, intervention=warning, key=first, occurred_on=dt.date(2026, 6, 2), notes=notes)

    assert interventions_bundle_section in BUNDLE_SECTIONS  # registered from InterventionsConfig.ready()
    built = bundle_build(actor=officer, case=case)
    text = " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(built.pdf)).pages)
    assert "Interventions and legal action" in text
    assert warning.kind_name in text
    assert "Delivered by hand" in text
    assert "07700 900123" not in text  # the reporter's phone, redacted wherever it was typed
    assert "[redacted]" in text
