"""Demo cases: deterministic per seed, every state and kind, data that matches each state, DA cases kept DA-only."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import (
    ActionItem,
    Case,
    CaseType,
    Contact,
    ContactPlan,
    ContactPurpose,
    Party,
    PartyRole,
    Sensitivity,
    Status,
    SurveyInvitation,
)
from saferhomes.cases.references import reference_allocate
from saferhomes.cases.selectors.case import cases_visible_to, contact_conflict
from saferhomes.cases.selectors.closure import case_closure_blockers
from saferhomes.cases.selectors.workload import team_workload
from saferhomes.core.calendar import LONDON, is_working_day
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.seed import SEED_STEPS, seed_demo
from tests.demo_once import seeded_once
from tests.demo_wipe import wipe_demo

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
HOMES = 700


def _wipe() -> None:
    wipe_demo()


def _fingerprint() -> list[tuple[object, ...]]:
    return list(
        Case.objects.order_by("reference").values_list(
            "reference", "case_type", "status", "summary", "received_at", "assigned_officer__username", "outcome"
        )
    )


seeded = seeded_once(homes=HOMES, seed=1, today=TODAY)


def test_cases_are_a_step_of_the_demo_seed_after_the_register() -> None:
    names = [step.name for step in SEED_STEPS]
    assert names.index("cases") > names.index("tenancies")
    assert names.count("cases") == 1


def test_the_same_seed_gives_the_same_cases_and_another_seed_different_ones() -> None:
    seed_demo(homes=300, seed=5, today=TODAY)
    first = _fingerprint()
    parties = list(
        Party.objects.order_by("case__reference", "role", "person__reference").values_list("role", "first_name")
    )
    _wipe()
    seed_demo(homes=300, seed=5, today=TODAY)
    assert _fingerprint() == first
    assert (
        list(Party.objects.order_by("case__reference", "role", "person__reference").values_list("role", "first_name"))
        == parties
    )
    _wipe()
    seed_demo(homes=300, seed=6, today=TODAY)
    assert _fingerprint() != first


def test_about_fifteen_cases_per_hundred_homes_in_every_state_and_kind(seeded: None) -> None:
    assert Case.objects.count() == round(HOMES * 0.15)
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Case.objects.values_list("case_type", flat=True)) == set(CaseType.values)
    assert Case.objects.filter(sensitivity=Sensitivity.RESTRICTED).exists()
    hate = Case.objects.filter(case_type=CaseType.HATE)
    assert all(case.hate_strands for case in hate)
    asb_sub_types = {
        sub for subs in Case.objects.filter(case_type=CaseType.ASB).values_list("sub_types", flat=True) for sub in subs
    }
    assert len(asb_sub_types) >= 8


def test_domestic_abuse_cases_are_da_sensitive_with_the_da_specialist(seeded: None) -> None:
    da = Case.objects.filter(case_type=CaseType.DA).exclude(status=Status.NEW)
    assert da.exists()
    assert set(da.values_list("sensitivity", flat=True)) == {Sensitivity.DA}
    assert set(da.values_list("assigned_officer__username", flat=True)) == {"da_specialist_dev"}
    officer = User.objects.get(username="officer_olivia")
    specialist = User.objects.get(username="da_specialist_dev")
    assert not cases_visible_to(actor=officer).filter(case_type=CaseType.DA).exists()
    assert set(da.values_list("pk", flat=True)) <= set(cases_visible_to(actor=specialist).values_list("pk", flat=True))


def test_restricted_cases_name_their_officer_and_the_manager(seeded: None) -> None:
    for case in Case.objects.filter(sensitivity=Sensitivity.RESTRICTED).exclude(status=Status.NEW):
        names = set(case.restricted_to.values_list("username", flat=True))
        assert {case.assigned_officer.username, "manager_maya"} <= names  # type: ignore[union-attr]


def test_every_case_has_data_that_matches_its_state(seeded: None) -> None:
    now = timezone.now()
    for case in Case.objects.prefetch_related("parties", "contacts", "incidents"):
        assert case.reference.split("-")[0] in {"ASB", "HATE", "DA"}
        assert case.incidents.exists()
        assert any(p.role == PartyRole.REPORTER for p in case.parties.all())
        assert case.response_due_at is not None
        if case.status == Status.NEW:
            assert case.assigned_officer is None
            assert case.triaged_at is None
            assert case.responded_at is None
        else:
            assert case.assigned_officer is not None
            assert case.triaged_at is not None
        if case.status in (Status.OPEN, Status.CLOSING, Status.CLOSED, Status.REOPENED):
            assert case.responded_at is not None
            purposes = {c.purpose for c in case.contacts.all()}
            assert purposes & {ContactPurpose.FIRST_RESPONSE, ContactPurpose.INITIAL_ASSESSMENT}
        if case.status in (Status.CLOSING, Status.CLOSED):
            assert case.outcome
            assert case.closure_requested_at is not None
        if case.status == Status.CLOSED:
            # Demo closures obey the closure rules: discussed (or attempts and a reason), actions done, approved.
            assert case_closure_blockers(case=case) == []
            assert case.closed_at is not None
            assert case.closed_at < now
        if case.status == Status.REOPENED:
            assert (case.closed_at, case.outcome) == (None, "")
        assert case.created_at >= case.received_at


def test_the_dashboard_has_something_true_to_show(seeded: None) -> None:
    today = TODAY
    late = [c for c in Case.objects.exclude(responded_at=None) if c.responded_at > c.response_due_at]  # type: ignore[operator]
    assert late, "some first responses are late"
    assert ActionItem.objects.filter(done_at__isnull=True, due_date__lt=today).exists(), "some actions are overdue"
    assert ContactPlan.objects.exists()
    assert ContactPlan.objects.filter(
        case__status__in=[Status.OPEN, Status.REOPENED], next_due_at__date__lt=today
    ).exists(), "some planned contacts are missed"
    assert Party.objects.filter(
        role=PartyRole.ALLEGED_PERPETRATOR, person__date_of_birth__gt=dt.date(2008, 6, 1)
    ).exists()
    assert Party.objects.filter(role=PartyRole.REPORTER, anonymous=True).exists()
    awaiting_approval = Case.objects.filter(status=Status.CLOSING, closure_approved_at=None)
    assert (
        awaiting_approval.filter(priority="high").exists() or awaiting_approval.filter(case_type=CaseType.DA).exists()
    )


def test_staff_contacts_are_in_office_hours_on_working_days(seeded: None) -> None:
    # Officers phone, visit and write in the working day: no first response at 03:44 or call on a Sunday.
    calendar = calendar_current()
    contacts = list(Contact.objects.values_list("occurred_at", flat=True))
    assert contacts
    for occurred in contacts:
        local = timezone.localtime(occurred)
        assert is_working_day(local.date(), calendar), local
        assert dt.time(9, 0) <= local.time() < dt.time(17, 0), local


def test_closed_cases_have_survey_answers_on_the_five_point_scale(seeded: None) -> None:
    answered = SurveyInvitation.objects.exclude(answered_at=None)
    assert answered.exists()
    scores = Counter(answered.values_list("satisfaction", flat=True))
    assert set(scores) <= {1, 2, 3, 4, 5}
    assert not SurveyInvitation.objects.exclude(case__status=Status.CLOSED).exists()
    for invitation in SurveyInvitation.objects.all():
        assert len(invitation.token_hash) == 64
        assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=90)


def test_cases_created_after_the_seed_carry_on_the_numbering(seeded: None) -> None:
    latest = Case.objects.filter(case_type=CaseType.ASB).order_by("-received_at").first()
    assert latest is not None
    prefix, year, number = latest.reference.split("-")
    with transaction.atomic():
        reference = reference_allocate(case_type=CaseType.ASB, received_at=latest.received_at)

    assert reference == f"{prefix}-{year}-{int(number) + 1:06d}"


def test_the_demo_honours_safe_contact_instructions(seeded: None) -> None:
    """Some demo people asked never to be phoned, written to or visited (ADR 0009), and no demo officer ever did."""
    refusing = Party.objects.filter(case__case_type=CaseType.DA).exclude(contact_avoid=[])
    assert refusing.exists()
    against = [
        contact
        for contact in Contact.objects.select_related("party", "party__person").exclude(party=None)
        if contact.direction == "outbound" and contact_conflict(party=contact.party, method=contact.method)
    ]
    assert against == []
    plans = ContactPlan.objects.select_related("party", "party__person")
    assert [plan for plan in plans if contact_conflict(party=plan.party, method=plan.method)] == []


def test_the_demo_team_workload_is_uneven_with_work_due_and_cases_to_give_out(seeded: None) -> None:
    """What a manager opening the team workload in the demo sees (issue 14 item 20), at the seed's 9 a.m."""
    now = dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=LONDON)
    manager = User.objects.get(username="manager_maya")
    rows = {row.name.split(" ")[0]: row for row in team_workload(actor=manager, now=now).rows}
    assert rows["Unassigned"].open_cases > 0
    busy = [row for row in rows.values() if row.officer is not None and row.open_cases]
    assert len(busy) >= 5
    assert max(row.open_cases for row in busy) >= 2 * min(row.open_cases for row in busy)  # someone to relieve
    assert rows["Dev"].open_cases == next(t.count for t in rows["Dev"].by_type if t.value == "da") > 0
    assert sum(row.responses.overdue + row.responses.due for row in rows.values()) > 0
    reassessments = [c.counts for row in rows.values() for c in row.columns if c.column.key == "reassessments"]
    assert sum(c.overdue for c in reassessments) > 0
    assert sum(c.due for c in reassessments) > 0
    coordinator = User.objects.get(username="coordinator_cara")
    dev = next(row for row in team_workload(actor=coordinator, now=now).rows if row.name.startswith("Dev"))
    assert dev.open_cases == 0  # DA cases are not the coordinator's to see
