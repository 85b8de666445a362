"""Assessment services (issue 7 parts 2 and 3): record, override, MARAC decisions, the closure blocker, priority."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Priority, Status
from saferhomes.cases.rules import FixAt
from saferhomes.cases.selectors.closure import case_closure_blockers
from saferhomes.cases.services.case import case_set_priority
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.housing.models import Person
from saferhomes.risk.models import Assessment, InstrumentStatus, MaracConsent, MaracDecision, MaracGround
from saferhomes.risk.services.assessments import (
    assessment_override,
    assessment_record,
    marac_not_referred,
    marac_referral_made,
)
from tests.cases.factories import CaseFactory, force_status
from tests.risk.assessment_helpers import (
    CHECKLIST,
    FACTORS,
    MATRIX,
    MATRIX_HIGH,
    MATRIX_MEDIUM,
    checklist_answers,
    da_case,
    matrix_answers,
    published,
    victim,
    working_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def da_specialist(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.DA_SPECIALIST)


@pytest.fixture
def manager(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.MANAGER)


def _asb(officer: User, **fields: Any) -> Case:
    return working_case(assigned_officer=officer, team=officer.team, **fields)


def _da(specialist: User, **fields: Any) -> Case:
    return da_case(assigned_officer=specialist, team=specialist.team, **fields)


# Recording ------------------------------------------------------------------------------------------------------


def test_matrix_assessment_scores_bands_and_sets_priority(officer: User) -> None:
    case = _asb(officer, priority=Priority.LOW)
    version = case.version
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        assessment = assessment_record(
            actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_HIGH)
        )
    assert (assessment.score, assessment.computed_band, assessment.band) == (26, "high", "high")
    assert assessment.reassess_by == dt.date(2026, 3, 9)  # high: 7 days
    assert any("(+6)" in reason for reason in assessment.reasons)
    case.refresh_from_db()
    assert case.priority == Priority.HIGH
    assert case.version == version + 1
    assert AuditEvent.objects.filter(verb="risk.assessed", object_id=str(assessment.pk)).exists()
    changed = AuditEvent.objects.get(verb="case.priority_changed", object_id=str(case.pk))
    assert (changed.before or {}).get("priority") == "low"
    assert (changed.after or {}).get("priority") == "high"
    assert "high risk" in changed.reason


def test_medium_band_edge_and_reassessment_in_14_days(officer: User) -> None:
    case = _asb(officer)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        assessment = assessment_record(
            actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_MEDIUM)
        )
    assert (assessment.score, assessment.band, assessment.reassess_by) == (12, "medium", dt.date(2026, 3, 16))
    case.refresh_from_db()
    assert case.priority == Priority.NORMAL


def test_unchanged_priority_writes_no_priority_event(officer: User) -> None:
    case = _asb(officer, priority=Priority.NORMAL)
    assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_MEDIUM))
    assert not AuditEvent.objects.filter(verb="case.priority_changed").exists()


def test_bad_answers_name_each_question(officer: User) -> None:
    case = _asb(officer)
    answers = matrix_answers()
    del answers["fear"]
    answers["threats"] = "maybe"
    answers["no_such_question"] = "yes"
    with pytest.raises(DomainError) as caught:
        assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=answers)
    assert set(caught.value.field_errors) == {"answers.fear", "answers.threats"}
    assert "no_such_question" in caught.value.messages[0]
    assert not Assessment.objects.exists()


def test_instrument_must_apply_to_the_case_type(officer: User) -> None:
    with pytest.raises(DomainError) as caught:
        assessment_record(
            actor=officer, case=_asb(officer), instrument=published(CHECKLIST), answers=checklist_answers(yes=0)
        )
    assert "instrument" in caught.value.field_errors


def test_instrument_must_be_published(officer: User) -> None:
    instrument, answers = published(MATRIX), matrix_answers()
    instrument.status = InstrumentStatus.RETIRED
    instrument.save(update_fields=["status"])
    with pytest.raises(DomainError) as caught:
        assessment_record(actor=officer, case=_asb(officer), instrument=instrument, answers=answers)
    assert "instrument" in caught.value.field_errors


def test_closed_case_cannot_be_assessed(officer: User) -> None:
    case = force_status(_asb(officer), Status.CLOSED)
    with pytest.raises(DomainError, match="closed"):
        assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers())


def test_invisible_case_is_404(officer: User, make_staff: Callable[..., User]) -> None:
    stranger = make_staff(Role.OFFICER, username="stranger", team=None)
    with pytest.raises(Http404):
        assessment_record(actor=stranger, case=_asb(officer), instrument=published(MATRIX), answers=matrix_answers())


def test_partner_may_not_assess(officer: User, make_staff: Callable[..., User]) -> None:
    partner = make_staff(Role.PARTNER)
    with pytest.raises(PermissionDenied):
        assessment_record(actor=partner, case=_asb(officer), instrument=published(MATRIX), answers=matrix_answers())


def test_subject_must_be_on_the_case(officer: User) -> None:
    other = victim(CaseFactory.create())
    with pytest.raises(DomainError) as caught:
        assessment_record(
            actor=officer, case=_asb(officer), instrument=published(MATRIX), answers=matrix_answers(), subject=other
        )
    assert "subject" in caught.value.field_errors


def test_factors_are_recorded_without_band_or_priority(officer: User) -> None:
    case = _asb(officer, priority=Priority.LOW)
    assessment = assessment_record(
        actor=officer, case=case, instrument=published(FACTORS), answers={"perpetrator_is_minor": "yes"}
    )
    assert (assessment.band, assessment.reassess_by) == ("", None)
    case.refresh_from_db()
    assert case.priority == Priority.LOW
    assert not MaracDecision.objects.exists()


# DA checklist and MARAC -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("yes", "band", "required"), [(9, "standard", False), (10, "medium", False),
                                                       (13, "medium", False), (14, "high", True)])  # fmt: skip
def test_checklist_yes_answers_set_band_and_marac(da_specialist: User, yes: int, band: str, required: bool) -> None:
    case = _da(da_specialist)
    assessment = assessment_record(
        actor=da_specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=yes)
    )
    assert (assessment.yes_count, assessment.band) == (yes, band)
    decision = MaracDecision.objects.get(assessment=assessment)
    assert decision.required is required
    assert decision.grounds == ([MaracGround.VISIBLE_HIGH_RISK] if required else [])
    assert decision.outstanding is required


def test_not_known_never_counts_as_yes(da_specialist: User) -> None:
    assessment = assessment_record(
        actor=da_specialist,
        case=_da(da_specialist),
        instrument=published(CHECKLIST),
        answers=checklist_answers(yes=13, not_known=11),
    )
    assert (assessment.yes_count, assessment.band) == (13, "medium")
    assert not assessment.marac_decision.required


@pytest.mark.parametrize(("callouts", "required"), [(2, False), (3, True)])
def test_escalation_at_three_police_callouts(da_specialist: User, callouts: int, required: bool) -> None:
    assessment = assessment_record(
        actor=da_specialist,
        case=_da(da_specialist),
        instrument=published(CHECKLIST),
        answers=checklist_answers(yes=2, callouts=callouts),
    )
    decision = assessment.marac_decision
    assert decision.required is required
    assert decision.police_callouts_12m == callouts
    assert (MaracGround.POTENTIAL_ESCALATION in decision.grounds) is required


def test_professional_judgement_needs_checklist_and_is_a_ground(da_specialist: User, officer: User) -> None:
    assessment = assessment_record(
        actor=da_specialist,
        case=_da(da_specialist),
        instrument=published(CHECKLIST),
        answers=checklist_answers(yes=3),
        professional_judgement_reason="Visible bruising and she would not speak in front of him",
        consent=MaracConsent.REFUSED,
    )
    decision = assessment.marac_decision
    assert decision.required
    assert decision.grounds == [MaracGround.PROFESSIONAL_JUDGEMENT]
    assert decision.consent == MaracConsent.REFUSED
    assert decision.professional_judgement_reason.startswith("Visible bruising")
    with pytest.raises(DomainError) as caught:
        assessment_record(
            actor=officer,
            case=_asb(officer),
            instrument=published(MATRIX),
            answers=matrix_answers(),
            professional_judgement_reason="Not for matrices",
        )
    assert "professional_judgement_reason" in caught.value.field_errors


def test_unknown_consent_is_refused(da_specialist: User) -> None:
    with pytest.raises(DomainError) as caught:
        assessment_record(
            actor=da_specialist,
            case=_da(da_specialist),
            instrument=published(CHECKLIST),
            answers=checklist_answers(yes=3),
            consent="perhaps",
        )
    assert "consent" in caught.value.field_errors


def _referred(actor: User, case_fields: dict[str, Any], person: Person | None, made_on: dt.date) -> None:
    case = _da(actor, **case_fields)
    subject = victim(case, person=person) if person else None
    assessment = assessment_record(
        actor=actor, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=15), subject=subject
    )
    marac_referral_made(actor=actor, decision=assessment.marac_decision, made_on=made_on)


@pytest.mark.parametrize(("days_before", "repeat"), [(364, True), (365, True), (366, False)])
def test_repeat_referral_for_the_same_person_on_another_case(
    da_specialist: User, days_before: int, repeat: bool
) -> None:
    from tests.housing.factories import PersonFactory

    person = PersonFactory.create()
    today = dt.date(2026, 6, 15)
    earlier = today - dt.timedelta(days=days_before)
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC), tick=False):
        received = timezone.now() - dt.timedelta(days=400)
        _referred(da_specialist, {"received_at": received}, person, earlier)
        case = _da(da_specialist)
        assessment = assessment_record(
            actor=da_specialist,
            case=case,
            instrument=published(CHECKLIST),
            answers=checklist_answers(yes=14),
            subject=victim(case, person=person),
        )
    decision = assessment.marac_decision
    assert decision.repeat is repeat
    assert decision.previous_referral_on == earlier


def test_repeat_referral_on_the_same_case_without_a_register_person(da_specialist: User) -> None:
    case = _da(da_specialist)
    first = assessment_record(
        actor=da_specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=14)
    )
    marac_referral_made(actor=da_specialist, decision=first.marac_decision, made_on=timezone.localdate())
    second = assessment_record(
        actor=da_specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=16)
    )
    assert second.marac_decision.repeat


def test_no_repeat_when_no_referral_is_required(da_specialist: User) -> None:
    case = _da(da_specialist)
    first = assessment_record(
        actor=da_specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=14)
    )
    marac_referral_made(actor=da_specialist, decision=first.marac_decision, made_on=timezone.localdate())
    second = assessment_record(
        actor=da_specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=2)
    )
    assert not second.marac_decision.required
    assert not second.marac_decision.repeat


# MARAC decisions and closure ------------------------------------------------------------------------------------


def test_outstanding_marac_referral_blocks_closure_until_made(da_specialist: User) -> None:
    case = _da(da_specialist)
    assessment = assessment_record(
        actor=da_specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=14, callouts=4)
    )
    blockers = [b for b in case_closure_blockers(case=case) if b.code == "marac_outstanding"]
    assert len(blockers) == 1
    assert blockers[0].fix_at == FixAt.RISK
    assert "14 or more 'yes' answers and potential escalation" in blockers[0].message
    decision = marac_referral_made(
        actor=da_specialist, decision=assessment.marac_decision, made_on=timezone.localdate()
    )
    assert decision.referral_made_on == timezone.localdate()
    assert decision.referral_recorded_by == da_specialist
    assert not [b for b in case_closure_blockers(case=case) if b.code == "marac_outstanding"]
    assert AuditEvent.objects.filter(verb="risk.marac_referral_made", object_id=str(decision.pk)).exists()


def test_referral_date_cannot_be_in_the_future_or_before_the_case(da_specialist: User) -> None:
    case = _da(da_specialist)
    assessment = assessment_record(
        actor=da_specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=14)
    )
    for bad in (timezone.localdate() + dt.timedelta(days=1), timezone.localdate(case.received_at) - dt.timedelta(1)):
        with pytest.raises(DomainError) as caught:
            marac_referral_made(actor=da_specialist, decision=assessment.marac_decision, made_on=bad)
        assert "made_on" in caught.value.field_errors
    with pytest.raises(DomainError):
        marac_referral_made(actor=da_specialist, decision=assessment.marac_decision, made_on=None)


def test_only_a_manager_records_why_not_and_it_unblocks_closure(da_specialist: User, manager: User) -> None:
    case = _da(da_specialist)
    assessment = assessment_record(
        actor=da_specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=14)
    )
    decision = assessment.marac_decision
    with pytest.raises(PermissionDenied):
        marac_not_referred(actor=da_specialist, decision=decision, reason="Heard at MARAC last week")
    with pytest.raises(DomainError) as caught:
        marac_not_referred(actor=manager, decision=decision, reason="   ")
    assert "reason" in caught.value.field_errors
    decision = marac_not_referred(actor=manager, decision=decision, reason="Heard at MARAC last week")
    assert decision.not_referred_by == manager
    assert not decision.outstanding
    assert not [b for b in case_closure_blockers(case=case) if b.code == "marac_outstanding"]
    event = AuditEvent.objects.get(verb="risk.marac_not_referred")
    assert event.reason == "Heard at MARAC last week"
    with pytest.raises(DomainError, match="already"):
        marac_referral_made(actor=manager, decision=decision, made_on=timezone.localdate())


def test_decisions_not_required_cannot_be_recorded(da_specialist: User) -> None:
    assessment = assessment_record(
        actor=da_specialist, case=_da(da_specialist), instrument=published(CHECKLIST), answers=checklist_answers(yes=1)
    )
    with pytest.raises(DomainError, match="does not require"):
        marac_referral_made(actor=da_specialist, decision=assessment.marac_decision, made_on=timezone.localdate())


# Override -------------------------------------------------------------------------------------------------------


def test_override_needs_a_reason_and_a_real_other_band(officer: User) -> None:
    case = _asb(officer)
    assessment = assessment_record(
        actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_MEDIUM)
    )
    for band, reason, field in (("high", "", "reason"), ("extreme", "Why", "band"), ("medium", "Why", "band")):
        with pytest.raises(DomainError) as caught:
            assessment_override(actor=officer, assessment=assessment, band=band, reason=reason)
        assert field in caught.value.field_errors


def test_override_moves_band_reassessment_and_priority_and_is_audited(officer: User) -> None:
    case = _asb(officer)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        assessment = assessment_record(
            actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_MEDIUM)
        )
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC), tick=False):
        assessment = assessment_override(
            actor=officer, assessment=assessment, band="high", reason="Threats escalated at the weekend"
        )
    assert (assessment.band, assessment.computed_band) == ("high", "medium")
    assert assessment.overridden
    assert assessment.overridden_by == officer
    assert assessment.reassess_by == dt.date(2026, 3, 9)  # 7 days from the assessment, not from the override
    case.refresh_from_db()
    assert case.priority == Priority.HIGH
    event = AuditEvent.objects.get(verb="risk.band_overridden")
    assert ((event.before or {}).get("band"), (event.after or {}).get("band"), event.reason) == (
        "medium",
        "high",
        "Threats escalated at the weekend",
    )


def test_only_the_latest_assessment_can_be_overridden(officer: User) -> None:
    case = _asb(officer)
    first = assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers())
    assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers())
    with pytest.raises(DomainError, match="latest"):
        assessment_override(actor=officer, assessment=first, band="high", reason="Too late")


def test_factors_cannot_be_overridden(officer: User) -> None:
    case = _asb(officer)
    factors = assessment_record(actor=officer, case=case, instrument=published(FACTORS), answers={})
    with pytest.raises(DomainError, match="not banded"):
        assessment_override(actor=officer, assessment=factors, band="high", reason="No")


# case_set_priority (cases/services/case.py, added for risk) ----------------------------------------------------


def test_case_set_priority_refuses_bad_values_and_closed_cases(officer: User) -> None:
    case = _asb(officer)
    with pytest.raises(DomainError):
        case_set_priority(actor=officer, case=case, priority="extreme", reason="x")
    with pytest.raises(DomainError):
        case_set_priority(actor=officer, case=case, priority="high", reason=" ")
    closed = force_status(_asb(officer), Status.CLOSED)
    with pytest.raises(DomainError, match="closed"):
        case_set_priority(actor=officer, case=closed, priority="high", reason="Risk")
    assert case_set_priority(actor=officer, case=case, priority="high", reason="Risk").priority == "high"
