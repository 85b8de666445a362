"""The public "action we've taken" (issue 18 part 4): the quarter's counts by area, a manager's approval freezing
them, the public page showing only approved quarters, suppressed, naming nobody, and working without an account."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.insights.models import ActionTakenSnapshot
from saferhomes.insights.publication import HEADINGS, NOT_RECORDED_AREA
from saferhomes.insights.selectors.action_taken import action_taken_counts
from saferhomes.insights.services.action_taken import action_taken_approve
from tests.conftest import client_verified_as
from tests.housing.factories import AreaFactory, EstateFactory, PropertyFactory
from tests.insights.register_helpers import intervention

pytestmark = pytest.mark.django_db
Q3 = dt.date(2026, 7, 1)


@pytest.fixture(autouse=True)
def _mid_october_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 10, 14, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def manager(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.MANAGER)


def _areas() -> tuple:
    north = EstateFactory.create(area=AreaFactory.create(name="North"))
    south = EstateFactory.create(area=AreaFactory.create(name="South"))
    return north, south


def test_counts_by_area_and_heading_for_the_quarter(manager: User) -> None:
    north, south = _areas()
    for kind in ("verbal_warning", "warning_letter", "cpw"):
        intervention(kind=kind, started_on=dt.date(2026, 7, 1), estate=north, manager=manager)
    intervention(kind="civil_injunction", started_on=dt.date(2026, 9, 30), estate=south, manager=manager)
    intervention(kind="nosp", started_on=dt.date(2026, 8, 3), estate=None, manager=manager)
    intervention(kind="mediation", started_on=dt.date(2026, 6, 30), estate=north, manager=manager)  # last quarter
    intervention(kind="mediation", started_on=dt.date(2026, 10, 1), estate=north, manager=manager)  # next quarter
    intervention(kind="advice", started_on=dt.date(2026, 8, 1), estate=north, manager=manager)  # not published

    counts = action_taken_counts(Q3)

    assert counts == {"North": {"warnings": 3}, "South": {"injunctions": 1}, NOT_RECORDED_AREA: {"possession": 1}}


def test_case_reviews_count_in_the_quarter_their_panel_met_in_london_time(manager: User) -> None:
    north, _ = _areas()
    home = PropertyFactory.create(estate=north)
    base = {"channel": "phone", "first_name": "Ann", "last_name": "Example", "description": "Noise", "home": home}
    # 30 June 23:30 UTC is 1 July 00:30 in London (BST): the third quarter.
    Application.objects.create(
        reference="CR-2026-000001",
        received_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
        review_held_at=dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC),
        **base,
    )
    Application.objects.create(
        reference="CR-2026-000002",
        received_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
        review_held_at=dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC),  # 23:30 on 30 June in London
        **base,
    )
    assert action_taken_counts(Q3) == {"North": {"case_reviews": 1}}


def test_approving_freezes_the_figures_and_is_audited(manager: User) -> None:
    north, _ = _areas()
    intervention(kind="warning_letter", started_on=dt.date(2026, 7, 2), estate=north, manager=manager)

    snapshot = action_taken_approve(actor=manager, quarter_start=Q3)
    intervention(kind="warning_letter", started_on=dt.date(2026, 7, 3), estate=north, manager=manager)

    snapshot.refresh_from_db()
    assert snapshot.figures == {"areas": [{"area": "North", "counts": {"warnings": 1}}]}
    assert snapshot.threshold == 5
    assert AuditEvent.objects.filter(verb=AuditVerb.ACTION_TAKEN_APPROVED, actor=manager).count() == 1


def test_a_quarter_is_approved_once(manager: User) -> None:
    action_taken_approve(actor=manager, quarter_start=Q3)
    with pytest.raises(DomainError, match="approved already"):
        action_taken_approve(actor=manager, quarter_start=Q3)


def test_a_quarter_not_yet_ended_cannot_be_approved(manager: User) -> None:
    with pytest.raises(DomainError, match="has not ended yet"):
        action_taken_approve(actor=manager, quarter_start=dt.date(2026, 10, 1))


def test_only_a_quarters_first_day_is_a_quarter(manager: User) -> None:
    with pytest.raises(DomainError, match="Choose a quarter"):
        action_taken_approve(actor=manager, quarter_start=dt.date(2026, 8, 1))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.DPO, Role.PARTNER])
def test_only_managers_approve(role: str, make_staff: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        action_taken_approve(actor=make_staff(role), quarter_start=Q3)


def test_public_page_needs_no_account_and_shows_nothing_before_approval() -> None:
    page = Client().get("/action-taken/")
    assert page.status_code == 200
    assert "No quarter's figures have been published yet" in page.content.decode()


def test_public_page_shows_approved_figures_suppressed_and_names_nobody(manager: User) -> None:
    north, south = _areas()
    items = [
        intervention(kind="warning_letter", started_on=dt.date(2026, 7, 2 + n), estate=north, manager=manager)
        for n in range(6)
    ]
    intervention(kind="closure_order", started_on=dt.date(2026, 8, 2), estate=south, manager=manager)
    action_taken_approve(actor=manager, quarter_start=Q3)

    page = Client().get("/action-taken/").content.decode()

    assert "July to September 2026" in page
    assert re.search(r">\s*6\s*<", page)  # North's six warnings
    assert "fewer than 5" in page  # South's one closure order
    for item in items:
        assert item.party.last_name not in page
        assert item.case.reference not in page


def test_changes_after_approval_do_not_alter_the_public_page(manager: User) -> None:
    north, _ = _areas()
    for n in range(5):
        intervention(kind="mediation", started_on=dt.date(2026, 7, 2 + n), estate=north, manager=manager)
    action_taken_approve(actor=manager, quarter_start=Q3)
    before = CELL.findall(Client().get("/action-taken/").content.decode())
    intervention(kind="mediation", started_on=dt.date(2026, 7, 20), estate=north, manager=manager)
    after = CELL.findall(Client().get("/action-taken/").content.decode())
    assert "5" in before
    assert before == after


def test_staff_review_page_and_approval_through_it(manager: User, make_staff: Callable[..., User]) -> None:
    client = client_verified_as(manager)
    url = reverse("insights:action-taken")
    page = client.get(url, {"quarter": "2026-07-01"})
    assert page.status_code == 200
    assert "Approve and publish July to September 2026" in page.content.decode()
    response = client.post(url, {"quarter": "2026-07-01"})
    assert response.status_code == 302
    assert ActionTakenSnapshot.objects.filter(quarter_start=Q3).exists()
    again = client.post(url, {"quarter": "2026-07-01"}, follow=True)
    assert "approved already" in again.content.decode()
    assert client_verified_as(make_staff(Role.OFFICER)).get(url).status_code == 403


def test_a_quarter_in_the_address_that_is_not_a_date_falls_back_to_last_quarter(manager: User) -> None:
    page = client_verified_as(manager).get(reverse("insights:action-taken"), {"quarter": "not-a-date\x7f"})
    assert page.status_code in (200, 400)


CELL = re.compile(r'<td class="govuk-table__cell[^"]*">\s*([^<]*?)\s*</td>')


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    figures=st.lists(
        st.dictionaries(st.sampled_from(list(HEADINGS)), st.integers(min_value=0, max_value=40), max_size=6),
        min_size=1,
        max_size=5,
    ),
    threshold=st.integers(min_value=1, max_value=12),
    configured=st.integers(min_value=1, max_value=12),
)
def test_the_public_page_never_shows_a_count_below_the_threshold(
    figures: list[dict[str, int]], threshold: int, configured: int, manager: User, settings_override: Callable
) -> None:
    ActionTakenSnapshot.objects.all().delete()
    ActionTakenSnapshot.objects.create(
        quarter_start=Q3,
        figures={"areas": [{"area": f"Area {i}", "counts": counts} for i, counts in enumerate(figures)]},
        threshold=threshold,
        approved_by=manager,
    )
    with settings_override(SUPPRESSION_THRESHOLD=configured):
        page = Client().get("/action-taken/").content.decode()
    floor = max(threshold, configured)
    cells = CELL.findall(page)
    assert cells
    for text in cells:
        numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]
        if text.startswith("fewer than"):
            assert numbers == [floor]
        else:
            assert all(n >= floor for n in numbers), text
