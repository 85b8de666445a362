"""The registers (issue 18 part 5): initiatives and campaigns, staff training, the policy review register with its
reminders. Managers keep them; nobody else may."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from saferhomes.accounts.models import TrainingCourse, TrainingRecord, User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.insights import register_rules
from saferhomes.insights.models import Initiative, PolicyReview, PolicyReviewKind, PolicyReviewReminder
from saferhomes.insights.policy_reminders import policy_review_reminders_send
from saferhomes.insights.services import registers as services
from tests.access.surfaces import RoleSurface
from tests.conftest import client_verified_as
from tests.housing.factories import AreaFactory, EstateFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _mid_june_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def manager(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.MANAGER, email="manager@example.org")


# --- pure rules -------------------------------------------------------------------------------------------------


def test_next_review_is_a_year_or_three_after_the_due_date() -> None:
    assert register_rules.next_review_due("annual", dt.date(2026, 4, 1)) == dt.date(2027, 4, 1)
    assert register_rules.next_review_due("full", dt.date(2026, 4, 1)) == dt.date(2029, 4, 1)


def test_a_review_due_on_a_leap_day_falls_due_next_on_28_february() -> None:
    assert register_rules.next_review_due("annual", dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert register_rules.add_years(dt.date(2028, 2, 29), 4) == dt.date(2032, 2, 29)


@pytest.mark.parametrize(
    ("due_on", "approved", "state"),
    [
        (dt.date(2026, 6, 14), False, "overdue"),
        (dt.date(2026, 6, 15), False, "due"),  # due today: not overdue until tomorrow
        (dt.date(2026, 7, 15), False, "due"),  # exactly 30 days ahead
        (dt.date(2026, 7, 16), False, "scheduled"),
        (dt.date(2026, 6, 1), True, "approved"),
    ],
)
def test_review_state(due_on: dt.date, approved: bool, state: str) -> None:
    assert register_rules.review_state(due_on=due_on, approved=approved, today=TODAY, notice_days=30).key == state


def test_training_is_in_force_on_its_expiry_day_and_not_after() -> None:
    done = dt.date(2024, 6, 15)
    assert register_rules.training_in_force(completed_on=done, expires_on=TODAY, on=TODAY)
    assert not register_rules.training_in_force(completed_on=done, expires_on=TODAY, on=TODAY + dt.timedelta(days=1))
    assert register_rules.training_in_force(completed_on=done, expires_on=None, on=TODAY)
    assert not register_rules.training_in_force(completed_on=TODAY + dt.timedelta(days=1), expires_on=None, on=TODAY)


# --- services ---------------------------------------------------------------------------------------------------


def test_initiative_recorded_and_audited(manager: User) -> None:
    estate = EstateFactory.create()
    initiative = services.initiative_record(
        actor=manager,
        kind="prevention",
        title="Youth football",
        estate=estate,
        starts_on=dt.date(2026, 6, 1),
        reach=120,
        cost=Decimal("800.00"),
    )
    assert initiative.area == estate.area  # the estate's area, when only the estate was chosen
    assert AuditEvent.objects.filter(verb=AuditVerb.INITIATIVE_RECORDED, object_id=str(initiative.pk)).exists()


def test_initiative_rules_land_on_their_fields(manager: User) -> None:
    estate = EstateFactory.create()
    with pytest.raises(DomainError) as error:
        services.initiative_record(
            actor=manager,
            kind="publicity",
            title="Leaflets",
            area=AreaFactory.create(),
            estate=estate,
            starts_on=dt.date(2026, 6, 1),
            ends_on=dt.date(2026, 5, 1),
        )
    assert set(error.value.field_errors) == {"ends_on", "estate"}
    assert not Initiative.objects.exists()


NOT_MANAGERS = [Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.DPO, Role.ADMIN]
REGISTER_PAGES = [
    RoleSurface("Registers", name, "GET", path, "insights.manage_registers", tried=frozenset(NOT_MANAGERS))
    for name, path in [
        ("Prevention initiatives", "/staff/insights/initiatives/"),
        ("Training", "/staff/insights/training/"),
        ("Policy reviews", "/staff/insights/policy-reviews/"),
        ("Add an initiative", "/staff/insights/initiatives/new/"),
    ]
]


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_managers_keep_the_registers(role: str, make_staff: Callable[..., User]) -> None:
    user = make_staff(role)
    with pytest.raises(PermissionDenied):
        services.policy_review_schedule(actor=user, kind="annual", due_on=TODAY)
    client = client_verified_as(user)
    for page in REGISTER_PAGES:
        assert client.get(page.url()).status_code == page.expected(role) == 403, page.path


def test_training_cannot_be_completed_in_the_future_or_expire_before_it_was_done(manager: User) -> None:
    officer = User.objects.create(username="o", role=Role.OFFICER)
    with pytest.raises(DomainError) as error:
        services.training_record_add(
            actor=manager,
            user=officer,
            course=TrainingCourse.HATE_CRIME,
            completed_on=TODAY + dt.timedelta(days=1),
            expires_on=TODAY,
        )
    assert set(error.value.field_errors) == {"completed_on", "expires_on"}
    record = services.training_record_add(
        actor=manager, user=officer, course=TrainingCourse.HATE_CRIME, completed_on=TODAY, expires_on=None
    )
    assert TrainingRecord.objects.current(on=TODAY).filter(pk=record.pk).exists()


def test_approving_a_review_records_who_and_schedules_the_next(manager: User) -> None:
    review = services.policy_review_schedule(actor=manager, kind="full", due_on=dt.date(2026, 6, 30))
    services.policy_review_approve(
        actor=manager, review=review, completed_on=TODAY, summary="Rewrote the DA section.", approval_body="The board"
    )
    review.refresh_from_db()
    assert review.approved_by == manager
    assert review.completed_on == TODAY
    assert PolicyReview.objects.filter(kind="full", due_on=dt.date(2029, 6, 30), approved_at__isnull=True).exists()
    with pytest.raises(DomainError, match="approved already"):
        services.policy_review_approve(actor=manager, review=review, completed_on=TODAY, summary="x", approval_body="")


def test_a_review_needs_a_summary_and_a_date_not_in_the_future(manager: User) -> None:
    review = services.policy_review_schedule(actor=manager, kind="annual", due_on=TODAY)
    with pytest.raises(DomainError) as error:
        services.policy_review_approve(
            actor=manager, review=review, completed_on=TODAY + dt.timedelta(days=1), summary="  ", approval_body=""
        )
    assert set(error.value.field_errors) == {"completed_on", "summary"}


def test_the_same_review_cannot_be_scheduled_twice(manager: User) -> None:
    services.policy_review_schedule(actor=manager, kind="annual", due_on=TODAY)
    with pytest.raises(DomainError):
        services.policy_review_schedule(actor=manager, kind="annual", due_on=TODAY)


# --- reminders --------------------------------------------------------------------------------------------------


def test_managers_are_reminded_once_when_due_and_once_when_overdue(
    manager: User, django_capture_on_commit_callbacks: Callable
) -> None:
    review = PolicyReview.objects.create(kind=PolicyReviewKind.ANNUAL, due_on=dt.date(2026, 7, 10), created_by=manager)
    PolicyReview.objects.create(kind=PolicyReviewKind.FULL, due_on=dt.date(2026, 9, 1), created_by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        run = policy_review_reminders_send(today=TODAY)
    assert run.reviews == [review.pk]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["manager@example.org"]
    assert mail.outbox[0].subject == "Due soon: annual review of the community safety policy"
    with django_capture_on_commit_callbacks(execute=True):
        assert policy_review_reminders_send(today=TODAY).claimed == 0
    with django_capture_on_commit_callbacks(execute=True):
        overdue = policy_review_reminders_send(today=dt.date(2026, 7, 11))
    assert overdue.reviews == [review.pk]
    assert mail.outbox[-1].subject.startswith("Overdue:")
    assert PolicyReviewReminder.objects.filter(review=review, sent_at__isnull=False).count() == 2


def test_an_approved_review_is_not_reminded(manager: User) -> None:
    PolicyReview.objects.create(
        kind=PolicyReviewKind.ANNUAL,
        due_on=dt.date(2026, 6, 1),
        completed_on=dt.date(2026, 5, 30),
        approved_by=manager,
        approved_at=dt.datetime(2026, 5, 30, tzinfo=dt.UTC),
        created_by=manager,
    )
    assert policy_review_reminders_send(today=TODAY).checked == 0


def test_with_no_manager_to_tell_nothing_is_claimed(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    PolicyReview.objects.create(kind=PolicyReviewKind.ANNUAL, due_on=TODAY, created_by=officer)
    run = policy_review_reminders_send(today=TODAY)
    assert run.unrouted == 1
    assert not PolicyReviewReminder.objects.exists()


# --- pages ------------------------------------------------------------------------------------------------------


def test_register_pages_and_forms(manager: User) -> None:
    client = client_verified_as(manager)
    for name in ("insights:initiatives", "insights:training", "insights:policy-reviews"):
        assert client.get(reverse(name)).status_code == 200
    bad = client.post(
        reverse("insights:initiative-new"),
        {"kind": "prevention", "title": "Keep me", "starts_on_0": "31", "starts_on_1": "2", "starts_on_2": "2026"},
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "must be a real date" in body
    assert 'value="Keep me"' in body
    good = client.post(
        reverse("insights:initiative-new"),
        {"kind": "publicity", "title": "Leaflets", "starts_on_0": "1", "starts_on_1": "6", "starts_on_2": "2026"},
    )
    assert good.status_code == 302
    assert Initiative.objects.get().title == "Leaflets"
    review = client.post(
        reverse("insights:policy-review-new"),
        {"kind": "annual", "due_on_0": "1", "due_on_1": "7", "due_on_2": "2026"},
    )
    assert review.status_code == 302
    pk = PolicyReview.objects.get().pk
    approval = client.post(
        reverse("insights:policy-review", args=[pk]),
        {
            "completed_on_0": "14",
            "completed_on_1": "6",
            "completed_on_2": "2026",
            "summary": "Done",
            "approval_body": "",
        },
    )
    assert approval.status_code == 302
    assert "Approved" in client.get(reverse("insights:policy-reviews")).content.decode()
    trained = client.post(
        reverse("insights:training-new"),
        {
            "user": str(manager.pk),
            "course": "domestic_abuse",
            "completed_on_0": "1",
            "completed_on_1": "6",
            "completed_on_2": "2026",
            "expires_on_0": "1",
            "expires_on_1": "6",
            "expires_on_2": "2028",
        },
    )
    assert trained.status_code == 302
    assert "In force" in client.get(reverse("insights:training")).content.decode()
