"""audit_events_search: who may search, what each filter matches, and that searching is itself audited."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import cast

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from saferhomes.accounts.roles import Role
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.privacy.selectors.audit import AuditFilters, audit_events_search, audit_object_types, audit_verbs

pytestmark = pytest.mark.django_db


def _at(moment: datetime, **kwargs) -> AuditEvent:
    with time_machine.travel(moment, tick=False):
        return audit(**kwargs)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.DPO])
def test_only_the_dpo_role_may_search_the_audit_trail(make_staff, role) -> None:
    with pytest.raises(PermissionDenied):
        audit_events_search(actor=make_staff(role), filters=AuditFilters())
    assert not AuditEvent.objects.filter(verb="audit.searched").exists()


def test_search_records_audit_searched_with_the_filters_and_does_not_list_itself(dpo_daniel, officer_olivia) -> None:
    audit(actor=officer_olivia, verb=AuditVerb.CASE_CLOSED, reason="Resolved")
    filters = AuditFilters(actor="officer_olivia", date_from=date(2026, 3, 1))
    results = list(audit_events_search(actor=dpo_daniel, filters=filters))
    searched = AuditEvent.objects.get(verb="audit.searched")
    assert searched.actor == dpo_daniel
    assert searched.after == {"filters": {"actor": "officer_olivia", "date_from": "2026-03-01"}, "output": "page"}
    assert searched not in results


def test_each_filter_narrows_the_results(dpo_daniel, officer_olivia, admin_ada) -> None:
    closed = audit(actor=officer_olivia, verb=AuditVerb.CASE_CLOSED, obj=admin_ada, reason="Tenant moved away")
    opened = audit(
        actor=admin_ada,
        verb=cast(AuditVerb, "case.opened"),
        object_type="cases.case",
        object_id=42,
        object_label="ASB-42",
    )
    system = audit(actor=None, verb=cast(AuditVerb, "import.finished"), reason="Nightly import")

    def search(**kwargs) -> list[AuditEvent]:
        return list(audit_events_search(actor=dpo_daniel, filters=AuditFilters(**kwargs)))

    assert search() == [system, opened, closed]
    assert search(actor="OFFICER_OLIVIA") == [closed]
    assert search(actor="system") == [system]
    assert search(verb="case.opened") == [opened]
    assert search(object_type="accounts.user") == [closed]
    assert search(object_id="42") == [opened]
    assert search(text="moved") == [closed]
    assert search(text="asb-42") == [opened]
    assert search(verb="case.closed", actor="admin_ada") == []


def test_dates_are_inclusive_local_days_in_europe_london(dpo_daniel, officer_olivia) -> None:
    # 30 June 23:30 UTC is already 1 July in London (BST); 1 July 23:30 UTC is 2 July.
    late_june_utc = _at(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), actor=officer_olivia, verb="a.one")
    first_july = _at(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), actor=officer_olivia, verb="a.two")
    second_july = _at(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), actor=officer_olivia, verb="a.three")

    def search(**kwargs) -> list[AuditEvent]:
        return list(audit_events_search(actor=dpo_daniel, filters=AuditFilters(**kwargs)))

    july_first = date(2026, 7, 1)
    assert search(date_from=july_first, date_to=july_first) == [first_july, late_june_utc]
    assert search(date_from=date(2026, 7, 2), date_to=date(2026, 7, 2)) == [second_july]
    assert search(date_to=date(2026, 6, 30)) == []


def test_verb_and_object_type_choices_come_from_recorded_events(officer_olivia) -> None:
    audit(actor=officer_olivia, verb=cast(AuditVerb, "case.opened"), object_type="cases.case", object_id=1)
    audit(actor=officer_olivia, verb=AuditVerb.CASE_CLOSED, object_type="cases.case", object_id=1)
    audit(actor=None, verb=cast(AuditVerb, "import.finished"))
    assert audit_verbs() == [
        ("case.closed", "Case closed"),
        ("case.opened", "Case opened"),  # no longer a verb: its code in words
        ("import.finished", "Import finished"),
    ]
    assert audit_object_types() == [("cases.case", "Case")]


def test_filters_as_dict_keeps_only_what_was_set() -> None:
    filters = AuditFilters(verb="case.closed", date_to=date(2026, 1, 31))
    assert filters.as_dict() == {"verb": "case.closed", "date_to": "2026-01-31"}
