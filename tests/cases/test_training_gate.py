"""Training-gated visibility (issue 18 part 5; ADR 0016): with TRAINING_GATES_SENSITIVE_CASES on, DA cases need
current domestic abuse training and hate cases current hate crime training, in the one visibility filter. Off (the
default), training changes nothing. The whole access matrix, for each case type and training state."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from saferhomes.accounts.models import TrainingCourse, TrainingRecord, User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType, Sensitivity
from saferhomes.cases.selectors import case as selectors
from tests.access.surfaces import Grid
from tests.cases.matrix import RELATIONS, ROLES, case_for, visible
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db

# Which case type each sensitivity is tried with (a DA case is DA-sensitive; hate and ASB cases normal or restricted).
TYPES_BY_SENSITIVITY = {
    Sensitivity.NORMAL: [CaseType.ASB, CaseType.HATE],
    Sensitivity.RESTRICTED: [CaseType.ASB, CaseType.HATE],
    Sensitivity.DA: [CaseType.DA],
}
TRAINING_STATES = ["none", "current", "expired"]
GATE_COURSE: dict[str, str] = {CaseType.DA: TrainingCourse.DOMESTIC_ABUSE, CaseType.HATE: TrainingCourse.HATE_CRIME}


# The relations that decide (mine; a stranger's with view-all; a break-glass grant) keep the matrix affordable.
GATE_RELATIONS = ("assigned", "other_team", "grant")
assert set(GATE_RELATIONS) <= set(RELATIONS)


def _matrix(*, gated: bool) -> list[Any]:
    states = TRAINING_STATES if gated else ["none"]
    return [
        pytest.param(
            role, sensitivity, case_type, relation, state, id=f"{role}-{sensitivity}-{case_type}-{relation}-{state}"
        )
        for role, (sensitivity, types), relation, state in itertools.product(
            ROLES, TYPES_BY_SENSITIVITY.items(), GATE_RELATIONS, states
        )
        for case_type in types
    ]


def _train(user: User, course: str, state: str) -> None:
    today = timezone.localdate()
    if state == "current":
        TrainingRecord.objects.create(
            user=user, course=course, completed_on=today - dt.timedelta(days=30), expires_on=today, recorded_by=user
        )
    elif state == "expired":
        TrainingRecord.objects.create(
            user=user,
            course=course,
            completed_on=today - dt.timedelta(days=800),
            expires_on=today - dt.timedelta(days=1),
            recorded_by=user,
        )


def expected(role: str, sensitivity: str, case_type: str, relation: str, state: str, *, gated: bool) -> bool:
    """The base matrix, less gated case types for staff without current training (a break-glass grant still opens)."""
    base = visible(role, sensitivity, relation)
    if not gated or case_type not in GATE_COURSE or relation == "grant":
        return base
    return base and state == "current"


@pytest.mark.parametrize(("role", "sensitivity", "case_type", "relation", "state"), _matrix(gated=True))
def test_training_gate_matrix_when_on(
    role: str, sensitivity: str, case_type: str, relation: str, state: str, make_staff: Callable[..., User]
) -> None:
    _check(role, sensitivity, case_type, relation, state, gated=True, make_staff=make_staff)


@pytest.mark.parametrize(("role", "sensitivity", "case_type", "relation", "state"), _matrix(gated=False))
def test_training_changes_nothing_when_the_gate_is_off(
    role: str, sensitivity: str, case_type: str, relation: str, state: str, make_staff: Callable[..., User]
) -> None:
    _check(role, sensitivity, case_type, relation, state, gated=False, make_staff=make_staff)


def _gate_cell(row: str, column: str) -> str:
    role, state = row.split(" / training ")
    kind, relation = column.split(" / ")
    sensitivity, case_type = kind.split(" ")
    return "sees" if expected(role, sensitivity, case_type, relation, state, gated=True) else "—"


GATE = Grid(
    "Case pages",
    "Training-gated visibility (TRAINING_GATES_SENSITIVE_CASES on)",
    rows=[f"{role} / training {state}" for role in ROLES for state in TRAINING_STATES],
    columns=[
        f"{sensitivity} {case_type} / {relation}"
        for (sensitivity, types), relation in itertools.product(TYPES_BY_SENSITIVITY.items(), GATE_RELATIONS)
        for case_type in types
    ],
    cell=_gate_cell,
    note="`tests/cases/test_training_gate.py`: whether the case is visible (404 otherwise) to a role with no, current "
    "or expired training in the course the case type needs (domestic abuse for DA cases, hate crime for hate cases), "
    "by the case's sensitivity and type / the standing to it. With the setting off (the default), training changes "
    "nothing: *Who sees a case* applies.",
)


def _check(
    role: str,
    sensitivity: str,
    case_type: str,
    relation: str,
    state: str,
    *,
    gated: bool,
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(role)
    course = GATE_COURSE.get(case_type, TrainingCourse.HATE_CRIME)
    _train(user, course, state)
    case = case_for(user, sensitivity=sensitivity, relation=relation, case_type=case_type)
    with override_settings(TRAINING_GATES_SENSITIVE_CASES=gated):
        seen = selectors.cases_visible_to(actor=user).filter(pk=case.pk).exists()
    if gated:
        assert seen is (GATE.cell(f"{role} / training {state}", f"{sensitivity} {case_type} / {relation}") == "sees")
    else:
        assert seen is expected(role, sensitivity, case_type, relation, state, gated=gated)


@override_settings(TRAINING_GATES_SENSITIVE_CASES=True)
def test_the_wrong_course_does_not_open_a_gated_case(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    _train(manager, TrainingCourse.HATE_CRIME, "current")
    da_case = case_for(manager, sensitivity=Sensitivity.DA, relation="other_team", case_type=CaseType.DA)
    hate_case = case_for(manager, sensitivity=Sensitivity.NORMAL, relation="other_team", case_type=CaseType.HATE)
    seen = set(selectors.cases_visible_to(actor=manager).values_list("pk", flat=True))
    assert hate_case.pk in seen
    assert da_case.pk not in seen


@override_settings(TRAINING_GATES_SENSITIVE_CASES=True)
def test_training_completed_in_the_future_is_not_yet_in_force(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    today = timezone.localdate()
    TrainingRecord.objects.create(
        user=manager, course=TrainingCourse.HATE_CRIME, completed_on=today + dt.timedelta(days=1), recorded_by=manager
    )
    case = case_for(manager, sensitivity=Sensitivity.NORMAL, relation="other_team", case_type=CaseType.HATE)
    assert not selectors.cases_visible_to(actor=manager).filter(pk=case.pk).exists()


@override_settings(TRAINING_GATES_SENSITIVE_CASES=True)
def test_an_untrained_officer_gets_404_for_their_own_hate_case_page(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.NORMAL, relation="assigned", case_type=CaseType.HATE)
    with pytest.raises(Http404):
        selectors.case_get_for_actor(actor=officer, reference=case.reference)
    assert client_verified_as(officer).get(f"/staff/cases/{case.reference}/").status_code == 404
    _train(officer, TrainingCourse.HATE_CRIME, "current")
    assert client_verified_as(officer).get(f"/staff/cases/{case.reference}/").status_code == 200
