"""Equality monitoring (issue 18 part 5): optional answers with "prefer not to say", only for managers and the DPO;
the report of how long each group's cases take and how they close, groups below the threshold suppressed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Party, PartyRole
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.insights import equality_rules
from saferhomes.insights.equality_rules import ClosedCase, equality_table
from saferhomes.insights.models import EqualityMonitoring
from saferhomes.insights.selectors.equality import equality_report
from saferhomes.insights.services.equality import equality_record
from tests.access.surfaces import RoleSurface
from tests.cases.factories import CaseFactory, PartyFactory
from tests.conftest import client_verified_as
from tests.insights.register_helpers import closed_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _july_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


# --- pure rules -------------------------------------------------------------------------------------------------


def test_median_days_and_outcome_mix_per_group_with_small_groups_suppressed() -> None:
    cases = [ClosedCase("White", d, "resolved") for d in (10, 20, 30, 40, 50)]
    cases += [ClosedCase("Asian or Asian British", d, o) for d, o in ((60, "resolved"), (80, "no_further_action"))]
    table = equality_table(
        cases, groups=["White", "Asian or Asian British"], outcomes=["resolved", "no_further_action"], threshold=5
    )
    white, asian = table.rows
    assert (white.cases, white.median_days, white.outcome_percent) == (5, 30.0, {"resolved": 100})
    assert asian.suppressed
    assert asian.cases is None
    assert asian.median_days is None
    assert asian.outcome_percent == {}
    assert table.overall_median_days == 40.0  # over all seven cases
    assert table.outcomes == ["resolved"]  # only outcomes of groups that are shown


def test_median_of_an_even_group_is_the_midpoint() -> None:
    cases = [ClosedCase("A", d, "resolved") for d in (1, 2, 3, 10)]
    assert equality_table(cases, groups=["A"], outcomes=["resolved"], threshold=1).rows[0].median_days == 2.5


def test_percent_rounds_half_up() -> None:
    assert equality_rules.percent(1, 8) == 13
    assert equality_rules.percent(1, 3) == 33
    assert equality_rules.percent(0, 0) == 0


# --- recording --------------------------------------------------------------------------------------------------


def test_answers_are_recorded_with_prefer_not_to_say_and_the_audit_keeps_no_answer(
    make_staff: Callable[..., User],
) -> None:
    manager = make_staff(Role.MANAGER)
    party = PartyFactory.create(role=PartyRole.VICTIM)
    equality_record(
        actor=manager, party=party, answers={"ethnic_group": "black", "religion": "prefer_not", "disability": ""}
    )
    saved = EqualityMonitoring.objects.get(party=party)
    assert (saved.ethnic_group, saved.religion, saved.disability) == ("black", "prefer_not", "")
    event = AuditEvent.objects.get(verb=AuditVerb.EQUALITY_RECORDED)
    assert "black" not in str(event.after)
    assert "ethnic_group" in str(event.after)


def test_a_witness_is_not_asked(make_staff: Callable[..., User]) -> None:
    with pytest.raises(DomainError, match="reporters, victims and alleged perpetrators"):
        equality_record(actor=make_staff(Role.MANAGER), party=PartyFactory.create(role=PartyRole.WITNESS), answers={})


def test_an_answer_not_on_the_list_is_refused(make_staff: Callable[..., User]) -> None:
    with pytest.raises(DomainError) as error:
        equality_record(actor=make_staff(Role.MANAGER), party=PartyFactory.create(), answers={"sex": "robot"})
    assert list(error.value.field_errors) == ["sex"]


REFUSED = [Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.PARTNER, Role.ADMIN]
EQUALITY_PAGES = [
    RoleSurface(
        "Equality monitoring",
        "Equality report",
        "GET",
        "/staff/insights/equality/",
        "insights.view_equality",
        tried=frozenset(REFUSED),
    ),
    RoleSurface(
        "Equality monitoring",
        "A case's equality answers",
        "GET",
        "/staff/insights/equality/cases/{ref}/",
        "insights.view_equality",
        tried=frozenset(REFUSED),
    ),
]


@pytest.mark.parametrize("role", REFUSED)
def test_equality_is_restricted_to_managers_and_the_dpo(role: str, make_staff: Callable[..., User]) -> None:
    user = make_staff(role)
    with pytest.raises(PermissionDenied):
        equality_record(actor=user, party=PartyFactory.create(), answers={})
    with pytest.raises(PermissionDenied):
        equality_report(
            actor=user, question="sex", role_group="victims", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)
        )
    case = CaseFactory.create(assigned_officer=user)
    client = client_verified_as(user)
    for page in EQUALITY_PAGES:
        assert client.get(page.url(ref=case.reference)).status_code == page.expected(role) == 403, page.path


def test_the_dpo_reads_the_report_but_opens_no_case(make_staff: Callable[..., User]) -> None:
    dpo = make_staff(Role.DPO)
    case = CaseFactory.create()
    client = client_verified_as(dpo)
    assert client.get(reverse("insights:equality")).status_code == 200
    assert client.get(reverse("insights:equality-case", args=[case.reference])).status_code == 404
    assert AuditEvent.objects.filter(verb=AuditVerb.EQUALITY_REPORT_VIEWED, actor=dpo).exists()


# --- the report -------------------------------------------------------------------------------------------------


def _closed_with_victim(days: int, answer: str, outcome: str = "resolved") -> Party:
    received = dt.datetime(2026, 3, 1, 11, tzinfo=dt.UTC)
    case = closed_case(received_at=received, closed_at=received + dt.timedelta(days=days), outcome=outcome)
    party: Party = PartyFactory.create(case=case, role=PartyRole.VICTIM)
    return party


def test_the_report_shows_groups_of_at_least_the_threshold(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    for days in (10, 12, 14, 16, 18):
        equality_record(actor=manager, party=_closed_with_victim(days, "white"), answers={"ethnic_group": "white"})
    for days in (40, 50):
        equality_record(actor=manager, party=_closed_with_victim(days, "black"), answers={"ethnic_group": "black"})
    report = equality_report(
        actor=manager,
        question="ethnic_group",
        role_group="victims",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
    )
    rows = {row.group: row for row in report.table.rows}
    assert rows["White"].cases == 5
    assert rows["White"].median_days == 14.0
    assert rows["Black, Black British, Caribbean or African"].suppressed
    assert rows["Not answered"].suppressed
    page = client_verified_as(manager).get(reverse("insights:equality")).content.decode()
    assert "fewer than 5" in page
    assert ">50<" not in page
    assert ">40<" not in page


def test_a_case_with_two_victims_in_one_group_counts_once_for_it(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    party = _closed_with_victim(10, "female")
    other = PartyFactory.create(case=party.case, role=PartyRole.VICTIM)
    equality_record(actor=manager, party=party, answers={"sex": "female"})
    equality_record(actor=manager, party=other, answers={"sex": "female"})
    report = equality_report(
        actor=manager, question="sex", role_group="victims", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)
    )
    assert report.table.overall_median_days == 10.0
    assert len([r for r in report.table.rows if r.group == "Female"]) == 1


def test_a_manager_records_answers_through_the_case_pages(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    party = PartyFactory.create(role=PartyRole.REPORTER)
    client = client_verified_as(manager)
    found = client.get(reverse("insights:equality-find"), {"reference": party.case.reference.lower()})
    assert found.status_code == 302
    page = client.get(found["Location"])
    assert party.display_name in page.content.decode()
    url = reverse("insights:equality-party", args=[party.case.reference, party.pk])
    form = client.get(url).content.decode()
    assert form.count("Prefer not to say") == 7
    bad = client.post(url, {"sex": "robot", "religion": "sikh"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    saved = client.post(url, {"sex": "prefer_not", "religion": "sikh"})
    assert saved.status_code == 302
    assert EqualityMonitoring.objects.get(party=party).religion == "sikh"
    witness = PartyFactory.create(case=party.case, role=PartyRole.WITNESS)
    assert client.get(reverse("insights:equality-party", args=[party.case.reference, witness.pk])).status_code == 404


def test_the_parties_tab_links_to_equality_answers_only_for_those_who_may_record_them(
    make_staff: Callable[..., User],
) -> None:
    manager = make_staff(Role.MANAGER)
    officer = make_staff(Role.OFFICER)
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    PartyFactory.create(case=case, role=PartyRole.VICTIM)
    link = reverse("insights:equality-case", args=[case.reference])
    tab = reverse("cases:parties", args=[case.reference])
    assert link in client_verified_as(manager).get(tab).content.decode()
    assert link not in client_verified_as(officer).get(tab).content.decode()
