"""Case factories (Faker en_GB: synthetic people only). References use a TEST prefix so they never collide with
numbers the services allocate."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from saferhomes.cases import rules
from saferhomes.cases.models import Case, CaseType, Party, PartyRole, Priority, Sensitivity, Status
from saferhomes.cases.search import refresh_search_documents
from tests.factories import TeamFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    """A new normal ASB case received yesterday, assigned to a fresh officer in their team."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"TST-2026-{n:06d}")
    case_type = CaseType.ASB
    summary = factory.Faker("sentence", nb_words=6)
    description = factory.Faker("paragraph")
    status = Status.NEW
    priority = Priority.NORMAL
    sensitivity = factory.LazyAttribute(lambda c: Sensitivity.DA if c.case_type == CaseType.DA else Sensitivity.NORMAL)
    team = factory.SubFactory(TeamFactory)
    assigned_officer = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..team"))
    received_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    triaged_at = factory.LazyAttribute(lambda c: None if c.status == Status.NEW else c.received_at)

    @factory.post_generation
    def search_document(obj: Case, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        """Write the search document, as the services do (a test adding parties or homes later calls it again)."""
        if create:
            refresh_search_documents(case_ids=[obj.pk])


class PartyFactory(factory.django.DjangoModelFactory[Party]):
    """An ad hoc reporter on a case."""

    class Meta:
        model = Party
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    role = PartyRole.REPORTER
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def search_document(obj: Party, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        """Keep the case's search document in step, as the party services do."""
        if create:
            refresh_search_documents(case_ids=[obj.case_id])


def force_status(case: Case, status: str, **fields: object) -> Case:
    """Test set-up: walk an existing case to `status` along allowed moves with plain updates (no services, no
    audit). The database refuses any other change of status (migration 0004), so tests cannot jump."""
    paths: dict[str, list[str]] = {
        Status.NEW: [],
        Status.TRIAGED: [Status.TRIAGED],
        Status.OPEN: [Status.TRIAGED, Status.OPEN],
        Status.CLOSING: [Status.TRIAGED, Status.OPEN, Status.CLOSING],
        Status.CLOSED: [Status.TRIAGED, Status.OPEN, Status.CLOSING, Status.CLOSED],
        Status.REOPENED: [Status.TRIAGED, Status.OPEN, Status.CLOSING, Status.CLOSED, Status.REOPENED],
    }
    path = paths[status]
    current = Case.objects.values_list("status", flat=True).get(pk=case.pk)
    steps = path[path.index(current) + 1 :] if current in path else path
    now = timezone.now()
    for step in steps:
        assert rules.transition_problem(current, step) is None, (current, step)
        changes: dict[str, object] = {"status": step}
        if step == Status.TRIAGED:
            changes["triaged_at"] = case.triaged_at or now
        if step == Status.CLOSED:
            changes.update({"closed_at": now, "outcome": fields.get("outcome", "resolved")})
        if step == Status.REOPENED:
            changes.update({"closed_at": None, "outcome": ""})
        Case.objects.filter(pk=case.pk).update(**changes)
        current = step
    if fields:
        Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case
