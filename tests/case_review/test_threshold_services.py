"""The threshold engine against the database: complaints found by email, register person, home and linked cases;
a complaint to another agency added by hand; the decision keeps its rule-set version; rules files validated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application, ApplicationStatus, ComplaintSource, ThresholdRuleSet
from saferhomes.case_review.schema import RulesFileError, parse_rules
from saferhomes.case_review.services.rule_sets import SHIPPED_DIR, rule_set_current, rule_set_load
from saferhomes.case_review.services.threshold import complaint_add, threshold_assess, threshold_decide
from saferhomes.cases.models import CaseLink, LinkReason, PartyRole
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from tests.case_review.helpers import apply, london, report_on
from tests.cases.factories import CaseFactory, PartyFactory
from tests.housing.factories import PersonFactory, PropertyFactory

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 8, 20)
SHIPPED = (SHIPPED_DIR / "threshold-v1.yaml").read_text("utf-8")


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(london(TODAY, 18), tick=False):
        yield


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def coordinator(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.COORDINATOR)


def counted(application: Application) -> list[tuple[str, bool, str]]:
    return [(c.received_on.isoformat(), c.counts, c.reason) for c in application.complaints.order_by("received_on")]


def test_shipped_rules_are_loaded_after_migrate() -> None:
    current = rule_set_current()
    assert (current.key, current.version) == ("threshold", 1)
    assert current.definition["default_rule"] == "three_complaints"
    assert current.definition["timescales"]["decision_working_days"] == 10


def test_a_rule_asking_for_four_complaints_is_refused_with_its_line() -> None:
    text = SHIPPED.replace("    required: 3\n", "    required: 4\n", 1)
    with pytest.raises(RulesFileError) as refused:
        parse_rules(text, source_name="threshold-v2.yaml")
    assert "may not ask for more than 3 complaints (it asks for 4)" in str(refused.value)
    assert "threshold-v2.yaml line" in str(refused.value)


def test_a_changed_file_needs_a_new_version_number() -> None:
    with pytest.raises(DomainError, match="already loaded with different content"):
        rule_set_load(text=SHIPPED.replace("required: 2", "required: 1"), source_name="edited.yaml")


def test_decision_due_is_the_end_of_the_tenth_working_day(officer: User) -> None:
    application = apply(officer, D(2026, 8, 20))  # Thursday; 31 Aug is the summer bank holiday
    assert application.reference.startswith("CR-2026-")
    assert application.decision_due_at == dt.datetime(2026, 9, 4, 23, 59, 59, tzinfo=london(TODAY).tzinfo)


def test_three_reports_by_the_applicant_meet_the_default_threshold(officer: User) -> None:
    for day in (D(2026, 3, 1), D(2026, 5, 1), D(2026, 8, 1)):
        report_on(day)
    application = apply(officer, TODAY)
    assert application.threshold_suggested_met is True
    assert application.rule_key == "three_complaints"
    assert [c[1] for c in counted(application)] == [True, True, True]


def test_two_reports_do_not_meet_it_and_each_reason_is_listed(officer: User) -> None:
    report_on(D(2026, 2, 19))  # the day before the window (20 Feb .. 20 Aug)
    report_on(D(2026, 2, 20))  # the first day of the window
    report_on(D(2026, 7, 2), occurred=D(2026, 6, 1))  # more than a month after the behaviour
    report_on(D(2026, 8, 1))
    application = apply(officer, TODAY)
    assert counted(application) == [
        ("2026-02-19", False, "outside_window"),
        ("2026-02-20", True, ""),
        ("2026-07-02", False, "late"),
        ("2026-08-01", True, ""),
    ]
    assert application.threshold_suggested_met is False


def test_reports_are_matched_by_register_person_and_home_and_cases_by_links(officer: User) -> None:
    person, home = PersonFactory.create(), PropertyFactory.create()
    report_on(D(2026, 4, 1), person=person, email="")
    report_on(D(2026, 5, 1), home=home, email="")
    case = CaseFactory.create(received_at=london(D(2026, 6, 1)))
    PartyFactory.create(case=case, role=PartyRole.REPORTER, person=person)
    linked = CaseFactory.create(received_at=london(D(2026, 6, 15)))
    CaseLink.objects.create(from_case=case, to_case=linked, reason=LinkReason.choices[0][0], created_by=officer)
    report_on(D(2026, 1, 1), email="someone-else@example.org")  # nobody's complaint of theirs
    application = apply(officer, TODAY, person=person, home=home, email="other@example.org")
    found = {(c.source, c.case_reference or c.report_reference) for c in application.complaints.all()}
    assert len(found) == 4
    assert (ComplaintSource.CASE, case.reference) in found
    assert (ComplaintSource.CASE, linked.reference) in found


def test_a_complaint_to_another_agency_added_by_hand_makes_the_threshold(officer: User) -> None:
    report_on(D(2026, 4, 1))
    report_on(D(2026, 6, 1))
    application = apply(officer, TODAY)
    assert application.threshold_suggested_met is False
    item = complaint_add(
        actor=officer,
        application=application,
        agency_name="Metropolitan Police",
        received_on=D(2026, 7, 10),
        occurred_on=D(2026, 7, 9),
    )
    application.refresh_from_db()
    assert (item.source, item.counts, item.agency_name) == (ComplaintSource.AGENCY, True, "Metropolitan Police")
    assert application.threshold_suggested_met is True
    assert AuditEvent.objects.filter(verb=AuditVerb.CASE_REVIEW_COMPLAINT_ADDED).count() == 1
    threshold_assess(application=application, actor=officer)  # searching again keeps complaints added by hand
    assert application.complaints.filter(source=ComplaintSource.AGENCY).count() == 1


def test_an_agency_complaint_made_a_month_and_a_day_after_the_behaviour_does_not_count(officer: User) -> None:
    application = apply(officer, D(2026, 3, 10))
    late = complaint_add(
        actor=officer, application=application, agency_name="Council", received_on=D(2026, 3, 1),
        occurred_on=D(2026, 1, 31),
    )  # fmt: skip
    on_time = complaint_add(
        actor=officer, application=application, agency_name="Police", received_on=D(2026, 2, 28),
        occurred_on=D(2026, 1, 31),
    )  # fmt: skip
    late.refresh_from_db()
    assert (late.counts, late.reason) == (False, "late")
    assert (on_time.counts, on_time.reason) == (True, "")


@pytest.mark.parametrize(
    ("received", "occurred", "field"),
    [
        (D(2026, 8, 21), D(2026, 8, 1), "received_on"),
        (D(2026, 8, 1), D(2026, 8, 21), "occurred_on"),
        (D(2026, 8, 1), D(2026, 8, 2), "occurred_on"),
        (None, D(2026, 8, 2), "received_on"),
    ],
)
def test_agency_complaint_dates_in_the_future_or_out_of_order_are_refused_and_nothing_saved(
    officer: User, received: dt.date | None, occurred: dt.date, field: str
) -> None:
    application = apply(officer, TODAY)
    with pytest.raises(DomainError) as refused:
        complaint_add(
            actor=officer, application=application, agency_name="Police", received_on=received, occurred_on=occurred
        )
    assert field in refused.value.field_errors
    assert not application.complaints.filter(source=ComplaintSource.AGENCY).exists()


def test_decision_keeps_its_rule_set_version_when_new_rules_are_loaded(officer: User, coordinator: User) -> None:
    for day in (D(2026, 4, 1), D(2026, 6, 1)):
        report_on(day)
    application = apply(officer, TODAY)
    decided = threshold_decide(
        actor=coordinator, application=application, rule_key="three_complaints", met=False, reasons="Two complaints."
    )
    assert decided.status == ApplicationStatus.THRESHOLD_NOT_MET
    rule_set_load(
        text=SHIPPED.replace("version: 1", "version: 2").replace("    required: 3\n", "    required: 2\n", 1),
        source_name="threshold-v2.yaml",
    )
    assert rule_set_current().version == 2
    decided.refresh_from_db()
    assert decided.rule_set is not None
    assert decided.rule_set.version == 1
    assert decided.rule_set.definition["rules"][0]["required"] == 3
    assert (decided.threshold_met, decided.rule_key) == (False, "three_complaints")
    assert [c.counts for c in decided.complaints.all()] == [True, True]
    with pytest.raises(DomainError, match="has been decided"):
        threshold_assess(application=decided, actor=officer)
    assert ThresholdRuleSet.objects.count() == 2


def test_threshold_met_sets_the_review_and_outcome_deadlines(officer: User, coordinator: User) -> None:
    application = apply(officer, TODAY)
    decided = threshold_decide(
        actor=coordinator, application=application, rule_key="three_complaints", met=True, reasons="Met, on balance."
    )
    assert decided.status == ApplicationStatus.REVIEW
    assert decided.review_due_at is not None
    assert decided.outcome_due_at is not None
    assert decided.review_due_at.date() == D(2026, 9, 25)  # 25 working days after 20 Aug (31 Aug a bank holiday)
    assert decided.outcome_due_at.date() == D(2026, 10, 2)  # and 5 more
    assert decided.decided_by == coordinator


def test_decision_needs_reasons_and_an_officer_who_may_decide(officer: User, coordinator: User) -> None:
    application = apply(officer, TODAY)
    with pytest.raises(DomainError) as refused:
        threshold_decide(actor=coordinator, application=application, rule_key="three_complaints", met=None, reasons="")
    assert set(refused.value.field_errors) == {"met", "reasons"}
    from django.core.exceptions import PermissionDenied

    partner = PersonFactory.create()  # noqa: F841 (a register person is no member of staff)
    with pytest.raises(PermissionDenied):
        threshold_decide(actor=officer, application=application, rule_key="three_complaints", met=True, reasons="x")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert application.decided_at is None


def test_met_under_a_rule_that_does_not_cover_the_problem_is_refused(officer: User, coordinator: User) -> None:
    report_on(D(2026, 6, 1), case_type="da")
    application = apply(officer, TODAY)
    with pytest.raises(DomainError) as refused:
        threshold_decide(
            actor=coordinator, application=application, rule_key="three_complaints", met=True, reasons="Met."
        )
    assert "does not cover" in refused.value.field_errors["rule_key"][0]
    application.refresh_from_db()
    assert application.decided_at is None


def test_hate_rule_is_met_by_one_hate_incident(officer: User, coordinator: User) -> None:
    report_on(D(2026, 8, 3), case_type="hate")
    application = apply(officer, TODAY)
    assessment = threshold_assess(application=application, actor=officer, rule_key="one_hate_incident")
    assert (assessment.counted, assessment.required, assessment.suggested_met) == (1, 1, True)
    decided = threshold_decide(
        actor=coordinator, application=application, rule_key="one_hate_incident", met=True, reasons="A hate crime."
    )
    assert (decided.rule_key, decided.threshold_met) == ("one_hate_incident", True)


def test_the_caserules_command_loads_a_new_version_and_refuses_a_rule_asking_for_four(tmp_path: Any) -> None:
    from django.core.management import CommandError, call_command

    good = tmp_path / "threshold-v2.yaml"
    good.write_text(SHIPPED.replace("version: 1", "version: 2"), "utf-8")
    call_command("caserules", "load", str(good))
    assert rule_set_current().version == 2
    assert AuditEvent.objects.filter(verb=AuditVerb.CASE_REVIEW_RULES_LOADED).exists()
    bad = tmp_path / "threshold-v3.yaml"
    bad.write_text(SHIPPED.replace("version: 1", "version: 3").replace("    required: 3\n", "    required: 4\n", 1))
    with pytest.raises(CommandError, match="more than 3 complaints"):
        call_command("caserules", "load", str(bad))
    assert rule_set_current().version == 2
