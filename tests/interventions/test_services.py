"""The intervention services: the approval of formal action, the rules checked on the way, and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.selectors.closure import case_closure_blockers
from saferhomes.cases.timeline import case_timeline
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.interventions.extensions import milestones_panel
from saferhomes.interventions.models import InterventionStatus, Milestone
from saferhomes.interventions.services.errors import RuleBrokenError
from saferhomes.interventions.services.interventions import (
    intervention_approve,
    intervention_conclude,
    intervention_propose,
    intervention_refuse,
    intervention_request_approval,
    intervention_start,
    intervention_withdraw,
)
from saferhomes.interventions.services.milestones import milestone_record
from tests.interventions.helpers import REASONS, active_formal, open_case, perpetrator

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _mid_june_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def manager(make_staff: Callable[..., User], officer: User) -> User:
    return make_staff(Role.MANAGER, team=officer.team)


def test_an_informal_warning_starts_at_once_and_is_audited(officer: User) -> None:
    case = open_case(officer)
    party = perpetrator(case)
    intervention = intervention_propose(
        actor=officer, case=case, kind="verbal_warning", party=party, started_on=D(2026, 6, 14)
    )
    assert (intervention.status, intervention.formal, intervention.rung) == (InterventionStatus.ACTIVE, False, 2)
    assert intervention.catalogue.version == 1
    assert AuditEvent.objects.filter(verb="intervention.proposed", object_id=str(intervention.pk)).count() == 1


def test_formal_action_needs_proportionality_then_a_manager_who_did_not_put_it_forward(
    officer: User, manager: User, make_staff: Callable[..., User]
) -> None:
    case = open_case(officer)
    party = perpetrator(case)
    with pytest.raises(RuleBrokenError) as caught:
        intervention_propose(actor=officer, case=case, kind="civil_injunction", party=party, proportionality=" ")
    assert caught.value.rules == ["proportionality"]
    with pytest.raises(DomainError, match="only once a manager has approved"):
        intervention_propose(
            actor=officer, case=case, kind="civil_injunction", party=party, proportionality=REASONS,
            started_on=D(2026, 6, 1),
        )  # fmt: skip
    intervention = intervention_propose(
        actor=officer, case=case, kind="civil_injunction", party=party, proportionality=REASONS
    )
    with pytest.raises(DomainError, match="only once a manager has approved"):
        intervention_start(actor=officer, intervention=intervention, started_on=D(2026, 6, 15))
    with pytest.raises(PermissionDenied):
        intervention_approve(actor=officer, intervention=intervention)
    intervention = intervention_request_approval(actor=manager, intervention=intervention)
    with pytest.raises(DomainError, match="Another manager must approve"):
        intervention_approve(actor=manager, intervention=intervention)
    other = make_staff(Role.MANAGER, username="manager_two", team=officer.team)
    intervention = intervention_refuse(actor=other, intervention=intervention, reason="Try an ABC first")
    assert (intervention.status, intervention.refused_reason) == (InterventionStatus.PROPOSED, "Try an ABC first")
    intervention = intervention_request_approval(actor=officer, intervention=intervention)
    intervention = intervention_approve(actor=other, intervention=intervention)
    intervention = intervention_start(actor=officer, intervention=intervention, started_on=D(2026, 6, 15))
    assert intervention.status == InterventionStatus.ACTIVE
    verbs = list(
        AuditEvent.objects.filter(object_id=str(intervention.pk), verb__startswith="intervention.").values_list(
            "verb", flat=True
        )
    )
    assert sorted(verbs) == sorted([
        "intervention.proposed", "intervention.approval_requested", "intervention.refused",
        "intervention.approval_requested", "intervention.approved", "intervention.started",
    ])  # fmt: skip


def test_an_active_or_awaiting_intervention_blocks_closure_until_concluded_or_withdrawn(
    officer: User, manager: User
) -> None:
    case = open_case(officer)
    party = perpetrator(case)
    warning = intervention_propose(
        actor=officer, case=case, kind="warning_letter", party=party, started_on=D(2026, 6, 1)
    )
    cpw = intervention_propose(actor=officer, case=case, kind="cpw", party=party, proportionality=REASONS)
    cpw = intervention_request_approval(actor=officer, intervention=cpw)
    assert [b.code for b in case_closure_blockers(case=case)].count("intervention_open") == 2
    intervention_conclude(
        actor=officer, intervention=warning, outcome="Noise stopped for a week", outcome_on=D(2026, 6, 10)
    )
    intervention_withdraw(actor=officer, intervention=cpw, reason="The household moved out")
    assert "intervention_open" not in [b.code for b in case_closure_blockers(case=case)]


def test_the_tenancy_type_decides_the_possession_tools(officer: User) -> None:
    case = open_case(officer)
    starter = perpetrator(case, tenancy_type="starter")
    with pytest.raises(RuleBrokenError) as caught:
        intervention_propose(actor=officer, case=case, kind="absolute_ground", party=starter, proportionality=REASONS)
    assert caught.value.rules == ["tenancy_type"]
    assert "starter or introductory tenancy" in str(caught.value)
    intervention_propose(actor=officer, case=case, kind="starter_extension", party=starter, proportionality=REASONS)
    not_ours = perpetrator(case, tenancy_type=None)
    with pytest.raises(RuleBrokenError, match="no tenancy with us"):
        intervention_propose(actor=officer, case=case, kind="demotion", party=not_ours, proportionality=REASONS)


def test_a_cpn_needs_a_cpw_whose_time_to_comply_has_passed(officer: User, manager: User) -> None:
    case = open_case(officer)
    party = perpetrator(case)
    with pytest.raises(RuleBrokenError) as caught:
        intervention_propose(actor=officer, case=case, kind="cpn", party=party, proportionality=REASONS)
    assert caught.value.rules == ["cpn_needs_cpw"]
    cpw = active_formal(officer=officer, manager=manager, case=case, party=party, kind="cpw", started_on=D(2026, 6, 1))
    milestone_record(
        actor=officer, intervention=cpw, key="issued", occurred_on=D(2026, 6, 1), details={"comply_by": "2026-06-10"}
    )
    due = Milestone.objects.get(intervention=cpw, key="time_to_comply_ends")
    assert (due.due_on, due.occurred_on) == (D(2026, 6, 10), None)
    cpn = active_formal(officer=officer, manager=manager, case=case, party=party, kind="cpn", started_on=D(2026, 6, 5))
    with pytest.raises(RuleBrokenError) as caught:
        milestone_record(actor=officer, intervention=cpn, key="issued", occurred_on=D(2026, 6, 10))
    assert caught.value.rules == ["cpw_time_to_comply"]
    recorded = milestone_record(actor=officer, intervention=cpn, key="issued", occurred_on=D(2026, 6, 11))
    assert recorded.warnings == []
    # A CPW to someone else on the case does not count.
    other = perpetrator(case)
    with pytest.raises(RuleBrokenError):
        intervention_propose(actor=officer, case=case, kind="cpn", party=other, proportionality=REASONS)


def test_an_injunction_against_a_16_year_old_needs_the_yot_and_12_months_at_most(officer: User, manager: User) -> None:
    case = open_case(officer)
    young = perpetrator(case, date_of_birth=D(2010, 1, 20))
    injunction = active_formal(
        officer=officer, manager=manager, case=case, party=young, kind="civil_injunction", started_on=D(2026, 6, 1)
    )
    with pytest.raises(RuleBrokenError) as caught:
        milestone_record(actor=officer, intervention=injunction, key="application", occurred_on=D(2026, 6, 2))
    assert caught.value.rules == ["injunction_youth_offending_team"]
    milestone_record(
        actor=officer, intervention=injunction, key="application", occurred_on=D(2026, 6, 2),
        details={"yot_consulted_on": "2026-06-01"},
    )  # fmt: skip
    with pytest.raises(RuleBrokenError, match="must end by 12 June 2027"):
        milestone_record(
            actor=officer, intervention=injunction, key="granted", occurred_on=D(2026, 6, 12),
            details={"ends_on": "2027-06-13"},
        )  # fmt: skip
    milestone_record(
        actor=officer, intervention=injunction, key="granted", occurred_on=D(2026, 6, 12),
        details={"ends_on": "2027-06-12"},
    )  # fmt: skip
    assert Milestone.objects.get(intervention=injunction, key="expiry").due_on == D(2027, 6, 12)


def test_closure_warns_past_48_hours_and_limits_the_order_to_3_then_6_months(officer: User, manager: User) -> None:
    case = open_case(officer)
    party = perpetrator(case)
    closure = active_formal(
        officer=officer, manager=manager, case=case, party=party, kind="closure_order", started_on=D(2026, 6, 1)
    )
    milestone_record(
        actor=officer, intervention=closure, key="notice_served", occurred_on=D(2026, 6, 1), occurred_time=dt.time(9)
    )
    hearing = milestone_record(
        actor=officer, intervention=closure, key="court_hearing", occurred_on=D(2026, 6, 3), occurred_time=dt.time(14)
    )
    assert [w.rule for w in hearing.warnings] == ["closure_hearing_48_hours"]
    assert [w["rule"] for w in hearing.milestone.details["warnings"]] == ["closure_hearing_48_hours"]
    assert hearing.milestone.details["warnings"][0]["message"] == hearing.warnings[0].message
    with pytest.raises(RuleBrokenError) as caught:
        milestone_record(
            actor=officer,
            intervention=closure,
            key="order_made",
            occurred_on=D(2026, 6, 3),
            details={"order_months": 4},
        )
    assert caught.value.rules == ["closure_order_3_months"]
    milestone_record(
        actor=officer, intervention=closure, key="order_made", occurred_on=D(2026, 6, 3), details={"order_months": 3}
    )
    assert Milestone.objects.get(intervention=closure, key="order_expiry").due_on == D(2026, 9, 3)
    milestone_record(
        actor=officer,
        intervention=closure,
        key="extension",
        occurred_on=D(2026, 6, 14),
        details={"extension_months": 2},
    )
    assert Milestone.objects.get(intervention=closure, key="order_expiry").due_on == D(2026, 11, 3)
    with pytest.raises(RuleBrokenError) as caught:
        milestone_record(
            actor=officer, intervention=closure, key="extension", occurred_on=D(2026, 6, 15),
            details={"extension_months": 2},
        )  # fmt: skip
    assert caught.value.rules == ["closure_order_6_months"]


def test_an_absolute_ground_notice_names_its_condition_and_tracks_a_secure_tenants_review_window(
    officer: User, manager: User
) -> None:
    case = open_case(officer)
    party = perpetrator(case, tenancy_type="secure")
    ground = active_formal(
        officer=officer, manager=manager, case=case, party=party, kind="absolute_ground", started_on=D(2026, 6, 1)
    )
    with pytest.raises(RuleBrokenError) as caught:
        milestone_record(actor=officer, intervention=ground, key="notice_served", occurred_on=D(2026, 6, 5))
    assert caught.value.rules == ["absolute_ground_condition"]
    with pytest.raises(RuleBrokenError) as caught:  # convicted on 5 June 2025: the 12 months ended on 4 June 2026
        milestone_record(
            actor=officer, intervention=ground, key="notice_served", occurred_on=D(2026, 6, 5),
            details={"condition": "serious_offence", "trigger_on": "2025-06-05"},
        )  # fmt: skip
    assert caught.value.rules == ["absolute_ground_notice_time_limit"]
    assert not Milestone.objects.filter(intervention=ground, key="notice_served").exists()
    served = milestone_record(
        actor=officer, intervention=ground, key="notice_served", occurred_on=D(2026, 6, 5),
        details={"condition": "serious_offence", "trigger_on": "2025-06-06"},
    )  # fmt: skip
    assert served.milestone.details["trigger_on"] == "2025-06-06"
    assert served.milestone.details["review_window_ends"] == "2026-06-11"
    assert Milestone.objects.get(intervention=ground, key="review_requested").due_on == D(2026, 6, 11)
    late = milestone_record(actor=officer, intervention=ground, key="review_requested", occurred_on=D(2026, 6, 12))
    assert [w.rule for w in late.warnings] == ["absolute_ground_review_window"]
    assert not Milestone.objects.filter(intervention=ground, key="review_requested", occurred_on__isnull=True).exists()


def test_a_case_the_actor_cannot_see_is_a_404_and_bad_input_is_a_domain_error(
    officer: User, make_staff: Callable[..., User]
) -> None:
    case = open_case(officer)
    party = perpetrator(case)
    stranger = make_staff(Role.OFFICER, username="stranger")
    with pytest.raises(Http404):
        intervention_propose(actor=stranger, case=case, kind="advice", party=party, started_on=D(2026, 6, 1))
    with pytest.raises(DomainError) as caught:
        intervention_propose(actor=officer, case=case, kind="duel", party=party)
    assert "kind" in caught.value.field_errors
    advice = intervention_propose(actor=officer, case=case, kind="advice", party=party, started_on=D(2026, 6, 1))
    with pytest.raises(DomainError) as caught:
        milestone_record(actor=officer, intervention=advice, key="committal", occurred_on=D(2026, 6, 2))
    assert "key" in caught.value.field_errors
    with pytest.raises(DomainError) as caught:
        milestone_record(actor=officer, intervention=advice, key="given", occurred_on=D(2026, 6, 16))
    assert "occurred_on" in caught.value.field_errors


def test_the_timeline_and_the_dashboard_show_interventions(officer: User, manager: User) -> None:
    case = open_case(officer)
    party = perpetrator(case)
    cpw = active_formal(officer=officer, manager=manager, case=case, party=party, kind="cpw", started_on=D(2026, 6, 1))
    milestone_record(
        actor=officer, intervention=cpw, key="issued", occurred_on=D(2026, 6, 1), details={"comply_by": "2026-06-20"}
    )
    titles = [entry.title for entry in case_timeline(case=case) if entry.kind == "interventions"]
    name = f"Community protection warning against {party.display_name}"
    assert set(titles) >= {f"Proposed: {name}", f"Approved: {name}", f"Started: {name}", f"Warning issued: {name}"}
    panel = milestones_panel(actor=officer, sees_all=False)
    assert panel is not None
    assert panel.context["counts"] == {"overdue": 0, "soon": 1, "approval": None}
