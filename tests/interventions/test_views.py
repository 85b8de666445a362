"""The Interventions tab: access per the case matrix, and a warning-to-injunction journey through the forms."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import EvidenceFile
from saferhomes.interventions.models import Intervention, InterventionStatus
from saferhomes.interventions.services.interventions import intervention_propose
from saferhomes.interventions.services.milestones import milestone_record
from tests.access.surfaces import CaseSurface
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as
from tests.interventions.helpers import REASONS, active_formal, open_case, perpetrator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_june_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


TAB = CaseSurface("Interventions", "Interventions tab", "GET", "/staff/cases/{ref}/interventions/", "cases.view_case")
PROPOSE = CaseSurface(
    "Interventions",
    "Propose an intervention",
    "GET",
    "/staff/cases/{ref}/interventions/propose/",
    "interventions.record_intervention",
)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), TAB.params())
def test_the_tab_and_the_propose_page_follow_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    client = client_verified_as(user)
    tab = client.get(TAB.url(ref=case.reference))
    assert tab.status_code == TAB.expected(role, sensitivity, relation)
    propose = client.get(PROPOSE.url(ref=case.reference))
    assert propose.status_code == PROPOSE.expected(role, sensitivity, relation)


def test_a_warning_then_an_injunction_through_the_pages(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    manager = make_staff(Role.MANAGER, team=officer.team)
    case = open_case(officer)
    party = perpetrator(case)
    client = client_verified_as(officer)
    propose = reverse("interventions:propose", args=[case.reference])

    page = client.post(propose, {"kind": "civil_injunction", "party": str(party.pk)})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert "proportionate" in page.content.decode()

    page = client.post(
        propose,
        {"kind": "verbal_warning", "party": str(party.pk), "started_on_0": "14", "started_on_1": "6",
         "started_on_2": "2026"},
    )  # fmt: skip
    assert page.status_code == 302
    assert Intervention.objects.get(kind="verbal_warning").started_on == dt.date(2026, 6, 14)
    client.post(propose, {"kind": "civil_injunction", "party": str(party.pk), "proportionality": REASONS})
    injunction = Intervention.objects.get(kind="civil_injunction")
    step = lambda name: reverse("interventions:step", args=[case.reference, injunction.pk, name])  # noqa: E731
    assert client.post(step("request_approval"), {"version": injunction.version}).status_code == 302
    assert client.get(step("approve")).status_code == 403
    manager_client = client_verified_as(manager)
    assert manager_client.post(step("approve"), {}).status_code == 302
    start = {"started_on_0": "15", "started_on_1": "6", "started_on_2": "2026"}
    assert client.post(step("start"), start).status_code == 302
    injunction.refresh_from_db()
    assert injunction.status == InterventionStatus.ACTIVE
    milestone = reverse("interventions:milestone", args=[case.reference, injunction.pk])
    recorded = client.post(
        milestone,
        {"key": "application", "occurred_on_0": "15", "occurred_on_1": "6", "occurred_on_2": "2026"},
    )
    assert recorded.status_code == 302
    tab = client.get(reverse("interventions:case", args=[case.reference])).content.decode()
    assert "Rung 2: Verbal warning" in tab
    assert "Rung 7: Civil injunction" in tab
    assert "Application made" in tab


def test_the_tab_runs_the_same_queries_for_2_or_12_interventions(
    make_staff: Callable[..., User], django_assert_max_num_queries: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    manager = make_staff(Role.MANAGER, team=officer.team)
    case = open_case(officer)
    client = client_verified_as(officer)
    url = reverse("interventions:case", args=[case.reference])
    client.get(url)  # warm: session, permissions cache

    def add(count: int) -> None:
        for _ in range(count):
            party = perpetrator(case)
            cpw = active_formal(
                officer=officer, manager=manager, case=case, party=party, kind="cpw", started_on=dt.date(2026, 6, 1)
            )
            milestone_record(
                actor=officer, intervention=cpw, key="issued", occurred_on=dt.date(2026, 6, 1),
                details={"comply_by": "2026-06-20"},
            )  # fmt: skip

    add(2)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    add(10)
    with django_assert_max_num_queries(40) as large:
        page = client.get(url)
    assert page.content.decode().count("Time to comply ends") == 12
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_milestone_points_at_a_file_on_the_case_never_one_of_another_case(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = open_case(officer)
    party = perpetrator(case)
    letter = EvidenceFile.objects.create(
        case=case, file="evidence/letter.pdf", original_name="warning-letter.pdf", content_type="application/pdf",
        size=3, sha256="0" * 64,
    )  # fmt: skip
    elsewhere = EvidenceFile.objects.create(
        case=open_case(officer), file="evidence/other.pdf", original_name="other.pdf",
        content_type="application/pdf", size=3, sha256="1" * 64,
    )  # fmt: skip
    item = intervention_propose(
        actor=officer, case=case, kind="warning_letter", party=party, started_on=dt.date(2026, 6, 1)
    )
    client = client_verified_as(officer)
    url = reverse("interventions:milestone", args=[case.reference, item.pk])
    form = {"key": "sent", "occurred_on_0": "1", "occurred_on_1": "6", "occurred_on_2": "2026"}
    refused = client.post(url, {**form, "document": str(elsewhere.pk)})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert client.post(url, {**form, "document": str(letter.pk)}).status_code == 302
    assert item.milestones.get(key="sent").document == letter
    assert (
        "Document: warning-letter.pdf"
        in client.get(reverse("interventions:case", args=[case.reference])).content.decode()
    )


def test_the_propose_form_says_which_tenancies_each_possession_tool_is_for(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = open_case(officer)
    perpetrator(case)
    page = client_verified_as(officer).get(reverse("interventions:propose", args=[case.reference])).content.decode()
    assert "Absolute ground for possession" in page
    assert re.search(r"Absolute ground for possession[^<]*\(secure or assured tenancies only\)", page)
    assert re.search(r"Verbal warning(?: \(formal\))?</option>", page)  # informal tools: for anyone
