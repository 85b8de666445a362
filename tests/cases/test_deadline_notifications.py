"""Response alerts (DESIGN.md §4.1): staff are emailed once per deadline when a response is due soon, and once when it
is overdue; never twice, never about answered or closed cases, never with who is involved in the email."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from datetime import UTC, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import Team, User
from saferhomes.accounts.roles import Role
from saferhomes.cases import notifications
from saferhomes.cases.models import (
    Case,
    CaseType,
    Outcome,
    PartyRole,
    ResponseAlert,
    ResponseAlertKind,
    Sensitivity,
    Status,
)
from saferhomes.cases.notifications import (
    AlertRun,
    due_soon_horizon,
    response_alerts_send,
)
from saferhomes.cases.tasks import response_alerts
from saferhomes.core import calendar as rules
from saferhomes.core import schedule
from saferhomes.core.calendar import LONDON
from saferhomes.core.calendar_config import CalendarConfig, case_response_due
from saferhomes.core.models import AuditEvent, CalendarSettings
from saferhomes.core.schedule import PeriodicRegistry
from tests.cases.factories import CaseFactory, PartyFactory
from tests.factories import TeamFactory, UserFactory

# Received Mon 2 Mar 2026 10:00 (GMT), no bank holidays near: 5 working days → due at the end of Mon 9 Mar 2026.
RECEIVED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
DUE = dt.datetime(2026, 3, 9, 23, 59, 59, tzinfo=LONDON)
FRIDAY_NOON = dt.datetime(2026, 3, 6, 12, 0, tzinfo=LONDON)  # 12 h of Friday + Monday left: on track
SATURDAY = dt.datetime(2026, 3, 7, 10, 0, tzinfo=LONDON)  # only Monday left (< 1 working day): due soon
TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)  # past the deadline: overdue


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


@pytest.fixture(name="team")
def team_fixture(db: None) -> Team:
    team: Team = TeamFactory.create(name="North neighbourhood team")
    return team


def staff(role: str, team: Team | None, **kwargs: Any) -> User:
    user: User = UserFactory.create(role=role, team=team, **kwargs)
    return user


@pytest.fixture(name="officer")
def officer_fixture(team: Team) -> User:
    return staff(Role.OFFICER, team, username="officer_olivia", first_name="Olivia", last_name="Okafor")


@pytest.fixture(name="coordinator")
def coordinator_fixture(team: Team) -> User:
    return staff(Role.COORDINATOR, team, username="coordinator_cara")


def make_case(
    officer: User | None, *, team: Team | None = None, received_at: dt.datetime = RECEIVED, **kwargs: Any
) -> Case:
    """An open case with its deadline set as the services set it: from receipt, under the calendar in force."""
    urgent = kwargs.pop("urgent", False)
    kwargs.setdefault("status", Status.OPEN)
    case: Case = CaseFactory.create(
        assigned_officer=officer,
        team=team if team is not None else (officer.team if officer is not None else None),
        received_at=received_at,
        urgent=urgent,
        response_due_at=case_response_due(received_at, urgent=urgent),
        **kwargs,
    )
    return case


@pytest.fixture(name="run_at")
def run_at_fixture(
    django_capture_on_commit_callbacks: Callable[..., Any], mailoutbox: list[mail.EmailMessage]
) -> Callable[[dt.datetime], AlertRun]:
    """Run the job with the clock at `moment`, its on-commit emails sent as a committing worker would send them."""

    def run(moment: dt.datetime) -> AlertRun:
        with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
            return response_alerts_send()

    return run


def sent_to(outbox: list[mail.EmailMessage]) -> list[tuple[str, list[str]]]:
    return [(str(message.subject), list(message.to)) for message in outbox]


def use_calendar(**fields: Any) -> None:
    """Change the calendar settings as another process would (a new revision, so every process notices)."""
    CalendarSettings.objects.update_or_create(
        pk=CalendarSettings.SINGLETON_ID, defaults={**fields, "revision": uuid.uuid4()}
    )


# Once per deadline and kind ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_deadline_used_in_these_tests_is_the_end_of_the_fifth_working_day() -> None:
    assert case_response_due(RECEIVED, urgent=False) == DUE


@pytest.mark.django_db
def test_a_response_on_track_sends_nothing(officer: User, coordinator: User, run_at: Callable[..., AlertRun]) -> None:
    make_case(officer)

    run = run_at(FRIDAY_NOON)

    assert (run.checked, run.claimed) == (1, 0)
    assert mail.outbox == []
    assert not ResponseAlert.objects.exists()


@pytest.mark.django_db
def test_due_soon_alert_emails_the_officer_and_team_coordinator_once(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    case = make_case(officer)

    run = run_at(SATURDAY)

    subject = f"Response due soon: {case.reference}"
    assert sent_to(mail.outbox) == [(subject, [officer.email]), (subject, [coordinator.email])]
    assert (run.claimed, run.emails, run.references) == (1, 2, [case.reference])
    body = mail.outbox[0].body
    assert f"The first response to case {case.reference} is due by the end of Mon 9 Mar 2026.\n" in body
    assert f"http://127.0.0.1:8000/staff/cases/{case.reference}/" in body
    alert = ResponseAlert.objects.get()
    assert (alert.case, alert.due_at, alert.kind) == (case, DUE, ResponseAlertKind.DUE_SOON)
    assert sorted(alert.recipients) == sorted([officer.pk, coordinator.pk])
    assert alert.sent_at == SATURDAY

    later = run_at(SATURDAY + timedelta(hours=6))

    assert len(mail.outbox) == 2
    assert (later.claimed, later.already_sent) == (0, 1)
    assert ResponseAlert.objects.count() == 1


@pytest.mark.django_db
def test_overdue_alert_follows_the_due_soon_one_and_is_sent_once(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    case = make_case(officer)
    run_at(SATURDAY)

    run_at(TUESDAY)
    run_at(TUESDAY + timedelta(minutes=15))
    run_at(TUESDAY + timedelta(days=7))

    subjects = [message.subject for message in mail.outbox]
    assert subjects == [f"Response due soon: {case.reference}"] * 2 + [f"Response overdue: {case.reference}"] * 2
    assert "was due by the end of Mon 9 Mar 2026 and has not been recorded" in mail.outbox[-1].body
    assert sorted(ResponseAlert.objects.values_list("kind", flat=True)) == ["due_soon", "overdue"]


@pytest.mark.django_db
def test_a_deadline_first_seen_overdue_gets_only_the_overdue_alert(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    make_case(officer)

    run_at(TUESDAY)

    assert {message.subject.split(":")[0] for message in mail.outbox} == {"Response overdue"}
    assert list(ResponseAlert.objects.values_list("kind", flat=True)) == ["overdue"]


@pytest.mark.django_db
def test_a_rerun_after_an_overdue_alert_does_not_even_look_at_the_case(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    make_case(officer)
    run_at(TUESDAY)

    again = run_at(TUESDAY + timedelta(hours=1))

    assert (again.checked, again.claimed, again.already_sent) == (0, 0, 0)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_an_answered_case_sends_nothing(officer: User, coordinator: User, run_at: Callable[..., AlertRun]) -> None:
    make_case(officer, responded_at=RECEIVED + timedelta(days=1))

    run = run_at(TUESDAY)

    assert run.checked == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_closed_case_sends_nothing(officer: User, coordinator: User, run_at: Callable[..., AlertRun]) -> None:
    make_case(officer, status=Status.CLOSED, closed_at=RECEIVED + timedelta(days=1), outcome=Outcome.RESOLVED)

    run = run_at(TUESDAY)

    assert run.checked == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_case_without_a_deadline_sends_nothing(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    case = make_case(officer)
    Case.objects.filter(pk=case.pk).update(response_due_at=None)

    assert run_at(TUESDAY).checked == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_recalculated_deadline_is_alerted_again(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    case = make_case(officer)
    run_at(TUESDAY)
    assert len(mail.outbox) == 2
    # A closure day on Mon 9 Mar, recalculated: the deadline moves to the end of Tue 10 Mar.
    new_due = london(2026, 3, 10, 23, 59, 59)
    Case.objects.filter(pk=case.pk).update(response_due_at=new_due)

    run_at(TUESDAY)
    run_at(TUESDAY + timedelta(hours=1))
    run_at(london(2026, 3, 11, 9, 0))

    subjects = [message.subject.split(":")[0] for message in mail.outbox]
    assert subjects == ["Response overdue"] * 2 + ["Response due soon"] * 2 + ["Response overdue"] * 2
    assert "the end of Tue 10 Mar 2026" in mail.outbox[2].body
    assert set(ResponseAlert.objects.values_list("due_at", "kind")) == {
        (DUE, "overdue"),
        (new_due, "due_soon"),
        (new_due, "overdue"),
    }


@pytest.mark.django_db
def test_an_alert_another_worker_claims_between_read_and_insert_is_not_sent(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(officer)
    real_alert_kind = notifications._alert_kind

    def another_worker_claims_first(case_: Case, **kwargs: Any) -> ResponseAlertKind | None:
        # This run has read the case (no alert yet); another worker's claim commits before this run inserts.
        ResponseAlert.objects.create(case=case_, due_at=DUE, kind=ResponseAlertKind.OVERDUE)
        return real_alert_kind(case_, **kwargs)

    monkeypatch.setattr(notifications, "_alert_kind", another_worker_claims_first)

    run = run_at(TUESDAY)

    assert (run.claimed, run.already_sent) == (0, 1)
    assert mail.outbox == []
    assert ResponseAlert.objects.get().case == case
    # The transaction carries on after the refused insert (a savepoint on PostgreSQL).
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_a_response_recorded_while_the_job_runs_stops_the_alert(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(officer)
    real_alert_kind = notifications._alert_kind

    def officer_responds_meanwhile(case_: Case, **kwargs: Any) -> ResponseAlertKind | None:
        Case.objects.filter(pk=case_.pk).update(responded_at=TUESDAY)
        return real_alert_kind(case_, **kwargs)

    monkeypatch.setattr(notifications, "_alert_kind", officer_responds_meanwhile)

    run = run_at(TUESDAY)

    assert (run.checked, run.claimed, run.already_sent) == (1, 0, 0)
    assert mail.outbox == []
    assert not ResponseAlert.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_each_alert_is_in_the_case_audit_trail_as_the_system(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    case = make_case(officer)

    run_at(SATURDAY)

    event = AuditEvent.objects.get(verb="case.response_alert")
    assert (event.actor_id, event.actor_label, event.object_id) == (None, "system", str(case.pk))
    assert event.after == {
        "kind": "due_soon",
        "due_at": DUE.astimezone(UTC).isoformat(),
        "recipients": ResponseAlert.objects.get().recipients,
    }
    assert event.reason == "Response due soon: due the end of Mon 9 Mar 2026; 2 staff emailed"


@pytest.mark.django_db
def test_a_failed_send_is_logged_and_never_retried(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun], settings: Settings
) -> None:
    make_case(officer)
    settings.EMAIL_BACKEND = "tests.cases.test_deadline_notifications.BrokenEmailBackend"

    run_at(TUESDAY)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_at(TUESDAY + timedelta(minutes=15))

    alert = ResponseAlert.objects.get()
    assert alert.sent_at is None
    assert mail.outbox == []


class BrokenEmailBackend:
    """An email backend whose server is unreachable."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> BrokenEmailBackend:
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def send_messages(self, messages: list[mail.EmailMessage]) -> int:
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.mark.django_db
def test_one_run_reads_the_calendar_once_and_each_persons_access_once(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    cases = [make_case(officer, received_at=RECEIVED + timedelta(minutes=n)) for n in range(4)]

    with CaptureQueriesContext(connection) as queries:
        run = run_at(TUESDAY)

    assert run.claimed == len(cases)
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum("core_calendarsettings" in statement for statement in sql) == 1
    # The officer's and the coordinator's access to the cases: one query each, whatever the number of cases.
    assert sum("cases_accessgrant" in statement for statement in sql) == 2


@pytest.mark.django_db
def test_access_is_checked_in_batches_without_losing_a_case(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notifications, "VISIBILITY_BATCH", 2)
    cases = [make_case(officer, received_at=RECEIVED + timedelta(minutes=n)) for n in range(5)]

    run = run_at(TUESDAY)

    assert sorted(run.references) == sorted(case.reference for case in cases)
    assert len(mail.outbox) == 10


# Who is told ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinators_of_other_teams_and_managers_are_not_told_when_the_team_has_one(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    staff(Role.COORDINATOR, TeamFactory.create(name="South team"), username="coordinator_south")
    staff(Role.MANAGER, None, username="manager_maya")
    staff(Role.OFFICER, officer.team, username="officer_teammate")
    make_case(officer)

    run_at(TUESDAY)

    assert sorted(to for message in mail.outbox for to in message.to) == sorted([officer.email, coordinator.email])


@pytest.mark.django_db
def test_a_team_without_a_coordinator_escalates_to_every_coordinator(
    officer: User, run_at: Callable[..., AlertRun]
) -> None:
    south = staff(Role.COORDINATOR, TeamFactory.create(name="South team"), username="coordinator_south")
    floating = staff(Role.COORDINATOR, None, username="coordinator_floating")
    staff(Role.COORDINATOR, None, username="coordinator_left", is_active=False)
    staff(Role.COORDINATOR, None, username="coordinator_no_email", email="")
    make_case(officer)

    run_at(TUESDAY)

    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        [officer.email, south.email, floating.email]
    )


@pytest.mark.django_db
def test_an_unassigned_case_goes_to_its_teams_coordinators_only(
    team: Team, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    staff(Role.COORDINATOR, TeamFactory.create(name="South team"), username="coordinator_south")
    case = make_case(None, team=team)

    run_at(TUESDAY)

    assert sent_to(mail.outbox) == [(f"Response overdue: {case.reference}", [coordinator.email])]
    assert "No officer is assigned yet." in mail.outbox[0].body


@pytest.mark.django_db
def test_an_unassigned_case_without_a_team_goes_to_every_coordinator(
    coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    south = staff(Role.COORDINATOR, TeamFactory.create(name="South team"), username="coordinator_south")
    make_case(None)

    run_at(TUESDAY)

    assert sorted(to for message in mail.outbox for to in message.to) == sorted([coordinator.email, south.email])


@pytest.mark.django_db
def test_coordinators_of_the_case_team_and_of_the_officers_team_are_both_told(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    east = TeamFactory.create(name="East team")
    east_coordinator = staff(Role.COORDINATOR, east, username="coordinator_east")
    make_case(officer, team=east)

    run_at(TUESDAY)

    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        [officer.email, coordinator.email, east_coordinator.email]
    )


@pytest.mark.django_db
def test_an_officer_who_left_or_has_no_email_is_skipped_and_the_coordinator_still_told(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    User.objects.filter(pk=officer.pk).update(is_active=False)
    make_case(officer)

    run_at(TUESDAY)

    assert sent_to(mail.outbox) == [(mail.outbox[0].subject, [coordinator.email])]
    assert ResponseAlert.objects.get().recipients == [coordinator.pk]


@pytest.mark.django_db
def test_an_alert_with_nobody_to_tell_waits_until_somebody_can_be_told(
    officer: User, run_at: Callable[..., AlertRun]
) -> None:
    case = make_case(None, team=officer.team)

    run = run_at(TUESDAY)

    assert (run.unrouted, run.claimed) == (1, 0)
    assert mail.outbox == []
    assert not ResponseAlert.objects.exists()

    Case.objects.filter(pk=case.pk).update(assigned_officer=officer)
    assert run_at(TUESDAY + timedelta(minutes=15)).claimed == 1
    assert sent_to(mail.outbox) == [(f"Response overdue: {case.reference}", [officer.email])]


@pytest.mark.django_db
def test_a_da_case_is_told_to_its_specialist_and_the_managers_never_to_coordinators_who_cannot_see_it(
    coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    da_team = TeamFactory.create(name="Domestic abuse team")
    specialist = staff(Role.DA_SPECIALIST, da_team, username="da_specialist_dev")
    staff(Role.COORDINATOR, da_team, username="coordinator_da_team")
    manager = staff(Role.MANAGER, None, username="manager_maya")
    make_case(specialist, case_type=CaseType.DA)

    run_at(TUESDAY)

    assert sorted(to for message in mail.outbox for to in message.to) == sorted([specialist.email, manager.email])


@pytest.mark.django_db
def test_a_restricted_case_is_told_only_to_named_staff(
    officer: User, coordinator: User, team: Team, run_at: Callable[..., AlertRun]
) -> None:
    named = staff(Role.COORDINATOR, team, username="coordinator_named")
    staff(Role.MANAGER, None, username="manager_maya")
    case = make_case(officer, sensitivity=Sensitivity.RESTRICTED)
    case.restricted_to.add(named)

    run_at(TUESDAY)

    assert sorted(to for message in mail.outbox for to in message.to) == sorted([officer.email, named.email])


# What the email says ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_email_names_no_party_and_leaves_out_the_summary(
    officer: User, coordinator: User, run_at: Callable[..., AlertRun]
) -> None:
    case = make_case(officer, summary="Loud music from Flat 3 reported by Mrs Jones", urgent=True)
    reporter = PartyFactory.create(
        case=case, role=PartyRole.REPORTER, first_name="Bethan", last_name="Pryce-Lloyd", phone="07700 900123"
    )

    run_at(TUESDAY)

    to_officer, to_coordinator = mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for secret in (case.summary, "Jones", "Flat 3", reporter.first_name, reporter.last_name, reporter.phone):
            assert secret not in text
        assert "Case type: Anti-social behaviour (urgent: 24 working hours)" in message.body
    assert "The case is assigned to you." in to_officer.body
    assert f"Assigned to: {officer.get_full_name()}" in to_coordinator.body


@pytest.mark.django_db
@pytest.mark.parametrize("sensitivity", [Sensitivity.RESTRICTED, Sensitivity.DA])
def test_restricted_and_da_emails_give_only_the_reference_and_a_link(
    sensitivity: str, run_at: Callable[..., AlertRun]
) -> None:
    team = TeamFactory.create(name="Domestic abuse team")
    specialist = staff(Role.DA_SPECIALIST, team, username="da_specialist_dev", last_name="Devereux")
    case_type = CaseType.DA if sensitivity == Sensitivity.DA else CaseType.HATE
    case = make_case(specialist, case_type=case_type, sensitivity=sensitivity, summary="Threats from ex-partner")
    PartyFactory.create(case=case, role=PartyRole.VICTIM)

    run_at(SATURDAY)

    (message,) = mail.outbox
    assert message.subject == f"Response due soon: {case.reference}"
    assert message.body.startswith(f"{case.reference}: a restricted case needs your response.\n")
    assert "The first response is due by the end of Mon 9 Mar 2026." in message.body
    assert f"http://127.0.0.1:8000/staff/cases/{case.reference}/" in message.body
    for secret in ("Threats", "ex-partner", "Domestic abuse", "Hate", "Case type", "Assigned", specialist.last_name):
        assert secret not in message.body


@pytest.mark.django_db
def test_the_link_uses_the_staff_sites_address(
    officer: User, run_at: Callable[..., AlertRun], settings: Settings
) -> None:
    settings.SAFERHOMES_BASE_URL = "https://casework.calico.example"
    case = make_case(officer)

    run_at(TUESDAY)

    assert f"https://casework.calico.example/staff/cases/{case.reference}/\n" in mail.outbox[0].body


# The working calendar ---------------------------------------------------------------------------------------------

# Summer bank holiday 2026: Mon 31 Aug in England and Wales, Mon 3 Aug in Scotland (gov.uk).
AUGUST_RECEIVED = london(2026, 8, 24, 10, 0)
DUE_AFTER_BANK_HOLIDAY = london(2026, 9, 1, 23, 59, 59)


@pytest.mark.django_db
def test_a_deadline_after_a_bank_holiday_monday_is_due_soon_from_the_saturday_before(
    officer: User, run_at: Callable[..., AlertRun]
) -> None:
    # 5 working days from Mon 24 Aug: Tue, Wed, Thu, Fri, then Tue 1 Sep (Mon 31 Aug is a bank holiday).
    case = make_case(officer, received_at=AUGUST_RECEIVED)
    assert case.response_due_at == DUE_AFTER_BANK_HOLIDAY

    # Friday 23:00: an hour of Friday and all of Tuesday are left, more than one working day: on track.
    assert run_at(london(2026, 8, 28, 23, 0)).claimed == 0
    # Saturday: only Tuesday is left (less than one working day), though the deadline is three days away.
    assert run_at(london(2026, 8, 29, 0, 0)).claimed == 1
    assert mail.outbox[0].subject == f"Response due soon: {case.reference}"
    assert "the end of Tue 1 Sep 2026" in mail.outbox[0].body


@pytest.mark.django_db
def test_in_scotland_the_same_deadline_is_not_due_soon_until_tuesday(
    officer: User, run_at: Callable[..., AlertRun]
) -> None:
    case = make_case(officer, received_at=AUGUST_RECEIVED)  # set under England and Wales; it stays where it is
    use_calendar(nation=rules.Nation.SCOTLAND.value)

    # Mon 31 Aug is a working day in Scotland: on Saturday, and all of Monday, more than a working day is left.
    assert run_at(london(2026, 8, 29, 10, 0)).claimed == 0
    assert run_at(london(2026, 8, 31, 23, 59)).claimed == 0
    assert run_at(london(2026, 9, 1, 0, 0)).claimed == 1
    assert mail.outbox[0].subject == f"Response due soon: {case.reference}"


@pytest.mark.django_db
def test_the_due_soon_threshold_comes_from_the_calendar_settings(
    officer: User, run_at: Callable[..., AlertRun]
) -> None:
    make_case(officer)
    use_calendar(due_soon_hours=48)

    assert run_at(FRIDAY_NOON).claimed == 1  # 36 working hours left: under 48
    assert mail.outbox[0].subject.startswith("Response due soon")


@pytest.mark.django_db
def test_an_urgent_case_is_due_soon_and_overdue_on_the_working_hours_clock(
    officer: User, run_at: Callable[..., AlertRun]
) -> None:
    # Urgent, received Fri 6 Mar 15:00: 24 working hours → Mon 9 Mar 15:00 (the weekend does not count).
    make_case(officer, received_at=london(2026, 3, 6, 15, 0), urgent=True)

    assert run_at(london(2026, 3, 6, 15, 1)).claimed == 1  # due soon from the start: under 24 h left
    assert run_at(london(2026, 3, 9, 15, 1)).claimed == 1
    assert "15:00 on Mon 9 Mar 2026" in mail.outbox[-1].body
    assert [message.subject.split(":")[0] for message in mail.outbox] == ["Response due soon", "Response overdue"]


office_hours = st.one_of(
    st.none(),
    st.tuples(st.integers(0, 22), st.integers(1, 23)).filter(lambda t: t[0] < t[1]),
)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    now=st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 1), timezones=st.just(UTC)),
    after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
    hours=office_hours,
    due_soon_hours=st.one_of(st.none(), st.integers(1, 120)),
    nation=st.sampled_from(list(rules.Nation)),
)
def test_no_deadline_at_or_after_the_horizon_is_due_soon(
    now: dt.datetime, after: timedelta, hours: tuple[int, int] | None, due_soon_hours: int | None, nation: rules.Nation
) -> None:
    """The job only looks at deadlines before the horizon: nothing later may be due soon (pure, no database)."""
    calendar = rules.WorkingCalendar(
        nation=nation, office_hours=None if hours is None else (dt.time(hours[0]), dt.time(hours[1]))
    )
    config = CalendarConfig(
        calendar=calendar,
        due_soon=None if due_soon_hours is None else timedelta(hours=due_soon_hours),
        revision="test",
    )
    horizon = due_soon_horizon(now=now, config=config)
    status = rules.response_status(horizon + after, None, now, calendar=calendar, due_soon=config.due_soon)
    assert status == rules.ResponseStatus.ON_TRACK


# The periodic job and the dashboard -------------------------------------------------------------------------------


def test_the_job_is_registered_to_run_every_fifteen_minutes() -> None:
    jobs = {job.name: job for job in schedule.registry.all()}
    assert jobs["response-alerts"].every == timedelta(minutes=15)
    assert jobs["response-alerts"].task is response_alerts


@pytest.fixture(name="only_response_alerts")
def only_response_alerts_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker with only this job in its schedule."""
    registry = PeriodicRegistry()
    registry.discovered = True
    registry.register(next(job for job in schedule.registry.all() if job.name == "response-alerts"))
    monkeypatch.setattr("saferhomes.core.management.commands.worker.registry", registry)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_job_and_the_emails_go_after_commit(
    only_response_alerts: None, mailoutbox: list[mail.EmailMessage]
) -> None:
    team = TeamFactory.create(name="North neighbourhood team")
    officer = staff(Role.OFFICER, team, username="officer_olivia")
    case = make_case(officer)

    with time_machine.travel(TUESDAY, tick=False) as traveller:
        call_command("worker", "--once", stdout=StringIO())
        call_command("worker", "--once", stdout=StringIO())
        traveller.shift(timedelta(minutes=15))
        call_command("worker", "--once", stdout=StringIO())

    assert sent_to(mailoutbox) == [(f"Response overdue: {case.reference}", [officer.email])]
    assert ResponseAlert.objects.get().sent_at == TUESDAY
