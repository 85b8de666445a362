"""The database keeps the case lifecycle too (migration 0004): only allowed status moves, triaged before open."""

from __future__ import annotations

import itertools

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from saferhomes.cases import rules
from saferhomes.cases.models import Case, Status
from tests.cases.factories import CaseFactory, force_status

pytestmark = pytest.mark.django_db


def _case_in(status: str) -> Case:
    extra: dict[str, object] = {}
    if status == Status.CLOSED:
        extra = {"closed_at": timezone.now(), "outcome": "resolved"}
    case: Case = CaseFactory.create(status=status, **extra)
    return case


def _changes(target: str) -> dict[str, object]:
    changes: dict[str, object] = {"status": target, "triaged_at": timezone.now()}
    if target == Status.CLOSED:
        changes.update(closed_at=timezone.now(), outcome="resolved")
    else:
        changes.update(closed_at=None)
    return changes


@pytest.mark.parametrize(("current", "target"), list(itertools.permutations(Status.values, 2)))
def test_database_allows_exactly_the_lifecycle_moves(current: str, target: str) -> None:
    case = _case_in(current)
    allowed = rules.transition_problem(current, target) is None
    if allowed:
        Case.objects.filter(pk=case.pk).update(**_changes(target))
        assert Case.objects.get(pk=case.pk).status == target
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.filter(pk=case.pk).update(**_changes(target))


def test_saving_other_fields_never_trips_the_trigger() -> None:
    case = _case_in(Status.OPEN)
    Case.objects.filter(pk=case.pk).update(summary="Changed", status=Status.OPEN)
    assert Case.objects.get(pk=case.pk).summary == "Changed"


def test_a_case_past_new_must_have_been_triaged() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory.create(status=Status.OPEN, triaged_at=None)


@pytest.mark.parametrize("status", Status.values)
def test_force_status_walks_to_any_status(status: str) -> None:
    case = force_status(CaseFactory.create(), status)
    assert case.status == status
