"""Who is told about interventions (issue 16 item 2): managers when formal action awaits their approval, the assigned
officer when a milestone falls due; the list behind the dashboard's counts; the team workload's milestones column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType, Sensitivity
from saferhomes.cases.selectors.workload import team_workload
from saferhomes.core.models import AuditEvent
from saferhomes.core.schedule import registry
from saferhomes.interventions.models import Intervention, MilestoneReminder
from saferhomes.interventions.notifications import MilestoneReminderRun, milestone_reminders_send
from saferhomes.interventions.services.interventions import intervention_propose, intervention_request_approval
from saferhomes.interventions.services.milestones import milestone_record
from tests.cases.factories import force_status
from tests.conftest import client_verified_as
from tests.interventions.helpers import REASONS, active_formal, open_case, perpetrator

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _mid_june_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def remind(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Callable[[], MilestoneReminderRun]:
    """Run the reminders as the worker does: the emails go when the claims commit."""

    def _run() -> MilestoneReminderRun:
        with django_capture_on_commit_callbacks(execute=True):
            return milestone_reminders_send()

    return _run


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER, email="olivia@example.org")


@pytest.fixture
def manager(make_staff: Callable[..., User], officer: User) -> User:
    return make_staff(Role.MANAGER, team=officer.team, email="maya@example.org")


def cpw_due(officer: User, manager: User, *, comply_by: str, **case_fields: object) -> Intervention:
    """An active CPW issued on 1 June 2026 whose time to comply ends on `comply_by` (an expected milestone); a
    restricted case names the officer and the manager."""
    case = open_case(officer, **case_fields)
    if case.sensitivity == Sensitivity.RESTRICTED:
        case.restricted_to.set([officer, manager])
    party = perpetrator(case)
    cpw = active_formal(officer=officer, manager=manager, case=case, party=party, kind="cpw", started_on=D(2026, 6, 1))
    milestone_record(
        actor=officer, intervention=cpw, key="issued", occurred_on=D(2026, 6, 1), details={"comply_by": comply_by}
    )
    return cpw


# Formal action awaiting approval ---------------------------------------------------------------------------------


def test_putting_formal_action_forward_emails_each_manager_who_may_approve_it_but_not_its_proposer(
    officer: User,
    manager: User,
    make_staff: Callable[..., User],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    second = make_staff(Role.MANAGER, username="manager_second", team=officer.team, email="second@example.org")
    make_staff(Role.COORDINATOR, username="coord", team=officer.team, email="coord@example.org")  # may not approve
    case = open_case(officer)
    party = perpetrator(case)
    intervention = intervention_propose(
        actor=officer, case=case, kind="civil_injunction", party=party, proportionality=REASONS
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        intervention_request_approval(actor=officer, intervention=intervention)
    assert sorted(email.to[0] for email in mail.outbox) == [manager.email, second.email]
    email = mail.outbox[0]
    assert email.subject == f"Formal action to approve: {case.reference}"
    assert "Civil injunction" in email.body
    assert f"/staff/cases/{case.reference}/interventions/" in email.body
    assert "/staff/interventions/due/?show=approval" in email.body
    assert party.display_name not in email.body
    assert party.last_name not in email.body


def test_a_manager_putting_formal_action_forward_is_not_asked_to_approve_it_and_a_da_case_names_no_kind(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first = make_staff(Role.MANAGER, username="manager_first", email="first@example.org")
    second = make_staff(Role.MANAGER, username="manager_second", email="second@example.org")
    case = open_case(first, case_type=CaseType.DA, sensitivity=Sensitivity.DA)
    party = perpetrator(case)
    intervention = intervention_propose(
        actor=first, case=case, kind="civil_injunction", party=party, proportionality=REASONS
    )
    with django_capture_on_commit_callbacks(execute=True):
        intervention_request_approval(actor=first, intervention=intervention)
    assert [email.to for email in mail.outbox] == [[second.email]]
    assert "injunction" not in mail.outbox[0].body.lower()
    assert "restricted case" in mail.outbox[0].body


def test_the_request_is_kept_when_the_mail_server_refuses(
    officer: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = open_case(officer)
    party = perpetrator(case)
    intervention = intervention_propose(actor=officer, case=case, kind="demotion", party=party, proportionality=REASONS)

    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        intervention_request_approval(actor=officer, intervention=intervention)
    intervention.refresh_from_db()
    assert intervention.status == "awaiting_approval"


# Milestone reminders ----------------------------------------------------------------------------------------------


def test_a_milestone_is_reminded_once_when_due_soon_and_once_more_when_overdue(
    officer: User, manager: User, remind: Callable[[], MilestoneReminderRun]
) -> None:
    cpw = cpw_due(officer, manager, comply_by="2026-06-20")
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 6, 12, 9, tzinfo=dt.UTC), tick=False):
        assert remind().claimed == 0  # 8 days ahead: not yet
    run = remind()  # 15 June: due in 5 days
    assert (run.claimed, run.milestones) == (1, [cpw.milestones.get(key="time_to_comply_ends").pk])
    assert [email.to for email in mail.outbox] == [[officer.email]]
    email = mail.outbox[0]
    assert email.subject == f"Milestone due: {cpw.case.reference}"
    assert "Saturday 20 June 2026" in email.body
    assert "Time to comply" in email.body
    assert cpw.party.last_name not in email.body
    assert remind().claimed == 0  # a rerun sends nothing more
    with time_machine.travel(dt.datetime(2026, 6, 22, 9, tzinfo=dt.UTC), tick=False):
        overdue = remind()
        assert overdue.claimed == 1
        assert remind().claimed == 0
    assert mail.outbox[-1].subject == f"Milestone overdue: {cpw.case.reference}"
    assert "has not been recorded" in mail.outbox[-1].body
    reminders = MilestoneReminder.objects.order_by("pk")
    assert [(r.kind, r.due_on, r.sent_at is not None) for r in reminders] == [
        ("due_soon", D(2026, 6, 20), True),
        ("overdue", D(2026, 6, 20), True),
    ]
    assert AuditEvent.objects.filter(verb="milestone.reminded").count() == 2


def test_a_milestone_that_happened_is_not_reminded(
    officer: User, manager: User, remind: Callable[[], MilestoneReminderRun]
) -> None:
    cpw = cpw_due(officer, manager, comply_by="2026-06-20")
    milestone_record(actor=officer, intervention=cpw, key="time_to_comply_ends", occurred_on=D(2026, 6, 15))
    assert remind().checked == 0


def test_unassigned_cases_and_officers_who_left_are_left_to_the_dashboard(
    officer: User, manager: User, make_staff: Callable[..., User], remind: Callable[[], MilestoneReminderRun]
) -> None:
    unassigned = cpw_due(officer, manager, comply_by="2026-06-18")
    unassigned.case.assigned_officer = None
    unassigned.case.save(update_fields=["assigned_officer"])
    leaver = make_staff(Role.OFFICER, username="leaver", team=officer.team, email="leaver@example.org")
    held = cpw_due(leaver, manager, comply_by="2026-06-19")
    User.objects.filter(pk=leaver.pk).update(is_active=False)
    assert held.case.assigned_officer_id == leaver.pk
    run = remind()
    assert (run.checked, run.claimed, run.unrouted) == (2, 0, 2)
    assert mail.outbox == []
    assert not MilestoneReminder.objects.exists()


def test_a_restricted_case_reminder_says_only_that(
    officer: User, manager: User, remind: Callable[[], MilestoneReminderRun]
) -> None:
    cpw = cpw_due(officer, manager, comply_by="2026-06-18", sensitivity=Sensitivity.RESTRICTED)
    mail.outbox.clear()
    assert remind().claimed == 1
    body = mail.outbox[0].body
    assert f"restricted case, {cpw.case.reference}," in body
    assert "warning" not in body.lower()
    assert "comply" not in body.lower()


def test_a_closed_case_is_not_reminded(
    officer: User, manager: User, remind: Callable[[], MilestoneReminderRun]
) -> None:
    cpw = cpw_due(officer, manager, comply_by="2026-06-18")
    force_status(cpw.case, "closed")
    assert remind().checked == 0


def test_the_worker_runs_milestone_reminders() -> None:
    assert "milestone-reminders" in {job.name for job in registry.all()}


# The list behind the dashboard, and the workload column ----------------------------------------------------------


def test_the_due_list_shows_overdue_and_soon_milestones_and_managers_see_formal_action_to_approve(
    officer: User, manager: User, make_staff: Callable[..., User]
) -> None:
    soon = cpw_due(officer, manager, comply_by="2026-06-20")
    late = cpw_due(officer, manager, comply_by="2026-06-10")
    case = open_case(officer)
    waiting = intervention_request_approval(
        actor=officer,
        intervention=intervention_propose(
            actor=officer, case=case, kind="demotion", party=perpetrator(case), proportionality=REASONS
        ),
    )
    client = client_verified_as(officer)
    page = client.get("/staff/interventions/due/?show=overdue").content.decode()
    assert late.case.reference in page
    assert soon.case.reference not in page
    assert "Overdue" in page
    page = client.get("/staff/interventions/due/?show=soon").content.decode()
    assert soon.case.reference in page
    assert late.case.reference not in page
    assert "Time to comply" in page
    # An officer may not approve: no approval list, and asking for it shows the overdue list.
    page = client.get("/staff/interventions/due/?show=approval").content.decode()
    assert "Formal action awaiting approval" not in page
    assert late.case.reference in page
    page = client_verified_as(manager).get("/staff/interventions/due/?show=approval").content.decode()
    assert waiting.case.reference in page
    assert "Demotion" in page
    assert (
        client_verified_as(make_staff(Role.PARTNER, username="pat")).get("/staff/interventions/due/").status_code == 403
    )


def test_the_due_list_never_shows_a_case_the_reader_may_not_see(
    officer: User, manager: User, make_staff: Callable[..., User]
) -> None:
    hidden = cpw_due(officer, manager, comply_by="2026-06-10", sensitivity=Sensitivity.RESTRICTED)
    hidden.case.restricted_to.set([officer])
    other = make_staff(Role.COORDINATOR, username="coordinator_c", team=officer.team)
    page = client_verified_as(other).get("/staff/interventions/due/?show=overdue").content.decode()
    assert hidden.case.reference not in page
    assert "There are none" in page


def test_the_dashboard_counts_link_to_the_lists(officer: User, manager: User) -> None:
    cpw_due(officer, manager, comply_by="2026-06-10")
    page = client_verified_as(officer).get("/staff/cases/").content.decode()
    assert "/staff/interventions/due/?show=overdue&amp;mine=1" in page
    assert "1 milestone<span" in page


def test_the_team_workload_counts_milestones_per_officer(officer: User, manager: User) -> None:
    cpw_due(officer, manager, comply_by="2026-06-10")  # overdue
    cpw_due(officer, manager, comply_by="2026-06-20")  # due within 7 days
    cpw_due(officer, manager, comply_by="2026-07-20")  # not yet
    workload = team_workload(actor=manager)
    row = next(r for r in workload.rows if r.officer == officer)
    milestones = next(c.counts for c in row.columns if c.column.key == "milestones")
    assert (milestones.due, milestones.overdue) == (1, 1)
