"""Interventions on a case (issue 16 item 2): propose, put forward for approval, approve or refuse, start, conclude,
withdraw. Every write is audited.

proposed --request_approval--> awaiting_approval --approve--> approved --start--> active --conclude--> concluded
                                                 --refuse-->  proposed (with the reason)
Informal kinds start straight from proposed (or are proposed already started). Any open intervention may be
withdrawn with a reason. Formal action needs proportionality reasoning and a manager's approval before it starts; a
manager may not approve formal action they put forward themselves (as with closing a case).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Party, PartyRole
from saferhomes.cases.services.locking import case_locked_workable
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.interventions import rules
from saferhomes.interventions.models import Intervention, InterventionStatus
from saferhomes.interventions.notifications import formal_action_approval_requested
from saferhomes.interventions.selectors.interventions import (
    catalogue_current,
    party_tenancy_type,
    warnings_given,
)
from saferhomes.interventions.services.errors import raise_if_blocking

RECORD_INTERVENTION = "interventions.record_intervention"
APPROVE_FORMAL_ACTION = "interventions.approve_formal_action"
TEXT_MAX = 5000

FIELDS = [
    "kind",
    "party_id",
    "status",
    "proportionality",
    "requested_at",
    "requested_by_id",
    "approved_at",
    "approved_by_id",
    "refused_at",
    "refused_by_id",
    "refused_reason",
    "started_on",
    "outcome",
    "outcome_on",
    "withdrawn_reason",
    "withdrawn_at",
    "version",
]


def _snapshot(intervention: Intervention) -> dict[str, Any]:
    return snapshot(intervention, FIELDS)


def _text(value: str, field: str, label: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(field_errors={field: f"Enter {label}"})
    if len(value) > TEXT_MAX:
        raise DomainError(field_errors={field: f"{label.capitalize()} must be {TEXT_MAX:,} characters or fewer"})
    return value


def _not_future(day: dt.date | None, field: str, label: str) -> dt.date:
    if day is None:
        raise DomainError(field_errors={field: f"Enter {label}"})
    if day > timezone.localdate():
        raise DomainError(field_errors={field: f"{label.capitalize()} must be today or in the past"})
    return day


def _locked(*, actor: User, intervention: Intervention) -> Intervention:
    """Lock the case (404 if the actor cannot see it; refused if closed), then the intervention."""
    case_locked_workable(actor=actor, case=intervention.case)
    return (
        Intervention.objects.select_for_update(of=("self",))
        .select_related("catalogue", "party__person")
        .get(pk=intervention.pk)
    )


def _check_version(intervention: Intervention, version: int | None) -> None:
    if version is not None and int(version) != intervention.version:
        raise DomainError(
            "This intervention was changed by someone else while you were editing. Your changes were not saved: "
            "check it and try again."
        )


def _save(intervention: Intervention, fields: list[str]) -> Intervention:
    intervention.version = F("version") + 1
    intervention.save(update_fields=[*fields, "version"])
    intervention.refresh_from_db()
    return intervention


def _write(
    *, actor: User, intervention: Intervention, verb: AuditVerb, before: dict[str, Any], request: HttpRequest | None
) -> None:
    audit(actor=actor, verb=verb, obj=intervention, before=before, after=_snapshot(intervention), request=request)


def intervention_propose(
    *,
    actor: User,
    case: Case,
    kind: str,
    party: Party | int,
    proportionality: str = "",
    started_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Intervention:
    """Propose an intervention against a party on the case; an informal one with `started_on` starts at once.

    Rule breaks (tenancy type, proportionality, a CPN without a CPW) raise RuleBrokenError naming the rule.
    """
    require(actor, RECORD_INTERVENTION)
    catalogue = catalogue_current()
    definition = catalogue.kind(kind)
    if definition is None:
        raise DomainError(field_errors={"kind": "Select a kind of intervention from the catalogue"})
    proportionality = _text(
        proportionality, "proportionality", "why this is necessary and proportionate", required=False
    )
    raise_if_blocking(rules.proportionality_findings(definition, proportionality), field="proportionality")
    if started_on is not None:
        if definition["formal"]:
            raise DomainError(
                field_errors={"started_on": "Formal action starts only once a manager has approved it: leave it empty"}
            )
        started_on = _not_future(started_on, "started_on", "the date it started")
    with transaction.atomic():
        locked_case = case_locked_workable(actor=actor, case=case)
        party_id = party.pk if isinstance(party, Party) else party
        target = Party.objects.select_related("person").filter(case=locked_case, pk=party_id).first()
        if target is None:
            raise DomainError(field_errors={"party": "Select a person on this case"})
        if definition["formal"] and target.role != PartyRole.ALLEGED_PERPETRATOR:
            raise DomainError(field_errors={"party": "Formal action is taken against an alleged perpetrator"})
        tenancy_type, tenancy_label = party_tenancy_type(target, started_on or timezone.localdate())
        raise_if_blocking(rules.tenancy_findings(definition, tenancy_type, tenancy_label), field="kind")
        if kind == "cpn" and not any(w for w in warnings_given(case=locked_case, party=target)):
            raise_if_blocking(rules.cpn_findings(issued_on=timezone.localdate(), warnings=[]), field="kind")
        intervention = Intervention.objects.create(
            case=locked_case,
            party=target,
            kind=kind,
            catalogue=catalogue,
            formal=definition["formal"],
            rung=definition["rung"],
            proportionality=proportionality,
            status=InterventionStatus.ACTIVE if started_on else InterventionStatus.PROPOSED,
            started_on=started_on,
            proposed_by=actor,
        )
        audit(
            actor=actor,
            verb=AuditVerb.INTERVENTION_PROPOSED,
            obj=intervention,
            after={**_snapshot(intervention), "catalogue_version": catalogue.version},
            request=request,
        )
    return intervention


def _step(
    *,
    actor: User,
    intervention: Intervention,
    version: int | None,
    verb: AuditVerb,
    request: HttpRequest | None,
    change: Callable[[Intervention], list[str]],
) -> Intervention:
    """One step of an intervention: lock the case and the intervention, check the version the user saw, let `change`
    check the step is allowed (raising DomainError if not) and set the fields it names, save, audit before/after."""
    with transaction.atomic():
        current = _locked(actor=actor, intervention=intervention)
        _check_version(current, version)
        before = _snapshot(current)
        fields = change(current)
        current = _save(current, fields)
        _write(actor=actor, intervention=current, verb=verb, before=before, request=request)
    return current


def intervention_request_approval(
    *, actor: User, intervention: Intervention, version: int | None = None, request: HttpRequest | None = None
) -> Intervention:
    """Put formal action forward for a manager's approval; the managers who may approve it are emailed on commit."""
    require(actor, RECORD_INTERVENTION)

    def change(current: Intervention) -> list[str]:
        if not current.formal:
            raise DomainError("Only formal action needs a manager's approval: start it instead")
        if current.status != InterventionStatus.PROPOSED:
            raise DomainError("Only a proposed intervention can be put forward for approval")
        current.status = InterventionStatus.AWAITING_APPROVAL
        current.requested_at, current.requested_by = timezone.now(), actor
        transaction.on_commit(partial(formal_action_approval_requested, intervention_id=current.pk), robust=True)
        return ["status", "requested_at", "requested_by"]

    verb = AuditVerb.INTERVENTION_APPROVAL_REQUESTED
    return _step(actor=actor, intervention=intervention, version=version, verb=verb, request=request, change=change)


def intervention_approve(
    *, actor: User, intervention: Intervention, version: int | None = None, request: HttpRequest | None = None
) -> Intervention:
    """A manager approves formal action (not one they put forward themselves)."""
    require(actor, APPROVE_FORMAL_ACTION)

    def change(current: Intervention) -> list[str]:
        if current.status != InterventionStatus.AWAITING_APPROVAL:
            raise DomainError("Only formal action put forward for approval can be approved")
        if current.requested_by_id == actor.pk:
            raise DomainError("Another manager must approve this, because you put it forward")
        current.status = InterventionStatus.APPROVED
        current.approved_at, current.approved_by = timezone.now(), actor
        return ["status", "approved_at", "approved_by"]

    verb = AuditVerb.INTERVENTION_APPROVED
    return _step(actor=actor, intervention=intervention, version=version, verb=verb, request=request, change=change)


def intervention_refuse(
    *,
    actor: User,
    intervention: Intervention,
    reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Intervention:
    """A manager refuses formal action with a reason: it goes back to proposed (it may be put forward again)."""
    require(actor, APPROVE_FORMAL_ACTION)
    reason = _text(reason, "reason", "why it is refused", required=True)

    def change(current: Intervention) -> list[str]:
        if current.status != InterventionStatus.AWAITING_APPROVAL:
            raise DomainError("Only formal action put forward for approval can be refused")
        current.status = InterventionStatus.PROPOSED
        current.refused_at, current.refused_by, current.refused_reason = timezone.now(), actor, reason
        return ["status", "refused_at", "refused_by", "refused_reason"]

    verb = AuditVerb.INTERVENTION_REFUSED
    return _step(actor=actor, intervention=intervention, version=version, verb=verb, request=request, change=change)


def intervention_start(
    *,
    actor: User,
    intervention: Intervention,
    started_on: dt.date | None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Intervention:
    """Start an intervention: informal ones once proposed, formal ones once approved."""
    require(actor, RECORD_INTERVENTION)
    started = _not_future(started_on, "started_on", "the date it started")

    def change(current: Intervention) -> list[str]:
        ready = InterventionStatus.APPROVED if current.formal else InterventionStatus.PROPOSED
        if current.status != ready:
            raise DomainError(
                "Formal action starts only once a manager has approved it"
                if current.formal
                else "Only a proposed intervention can be started"
            )
        if current.approved_at is not None and started < timezone.localtime(current.approved_at).date():
            raise DomainError(field_errors={"started_on": "Formal action cannot start before it was approved"})
        current.status, current.started_on = InterventionStatus.ACTIVE, started
        return ["status", "started_on"]

    verb = AuditVerb.INTERVENTION_STARTED
    return _step(actor=actor, intervention=intervention, version=version, verb=verb, request=request, change=change)


def intervention_conclude(
    *,
    actor: User,
    intervention: Intervention,
    outcome: str,
    outcome_on: dt.date | None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Intervention:
    """Record the outcome of an active intervention."""
    require(actor, RECORD_INTERVENTION)
    outcome = _text(outcome, "outcome", "the outcome", required=True)
    concluded = _not_future(outcome_on, "outcome_on", "the date of the outcome")

    def change(current: Intervention) -> list[str]:
        if current.status != InterventionStatus.ACTIVE:
            raise DomainError("Only an active intervention can be concluded")
        if current.started_on is not None and concluded < current.started_on:
            raise DomainError(field_errors={"outcome_on": "The outcome cannot be before the intervention started"})
        current.status, current.outcome, current.outcome_on = InterventionStatus.CONCLUDED, outcome, concluded
        return ["status", "outcome", "outcome_on"]

    verb = AuditVerb.INTERVENTION_CONCLUDED
    return _step(actor=actor, intervention=intervention, version=version, verb=verb, request=request, change=change)


def intervention_withdraw(
    *,
    actor: User,
    intervention: Intervention,
    reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Intervention:
    """Withdraw an open intervention with the reason."""
    require(actor, RECORD_INTERVENTION)
    reason = _text(reason, "reason", "why it is withdrawn", required=True)

    def change(current: Intervention) -> list[str]:
        if not current.is_open:
            raise DomainError("Only an open intervention can be withdrawn")
        current.status, current.withdrawn_reason = InterventionStatus.WITHDRAWN, reason
        current.withdrawn_at = timezone.now()
        return ["status", "withdrawn_reason", "withdrawn_at"]

    verb = AuditVerb.INTERVENTION_WITHDRAWN
    return _step(actor=actor, intervention=intervention, version=version, verb=verb, request=request, change=change)
