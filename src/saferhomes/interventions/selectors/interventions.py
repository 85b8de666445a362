"""Reading interventions: the catalogue in force, a party's tenancy type, the interventions on a case, the CPWs a
CPN needs, and the milestones due. Case access is the caller's (the case came from `case_get_for_actor`), or is
checked here with `cases_visible_to` (a case the actor cannot see is a 404, never a hint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, EvidenceFile, Party
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.errors import DomainError
from saferhomes.housing.models import Tenancy, TenancyType
from saferhomes.interventions import rules
from saferhomes.interventions.models import Catalogue, Intervention, InterventionStatus, Milestone

CATALOGUE_KEY = "interventions"


def catalogue_current() -> Catalogue:
    """The newest loaded version of the catalogue (loaded after migrate, so always there)."""
    catalogue = Catalogue.objects.filter(key=CATALOGUE_KEY).order_by("-version").first()
    if catalogue is None:
        raise DomainError("The intervention catalogue is not loaded: run migrate")
    return catalogue


def catalogue_kinds(catalogue: Catalogue | None = None) -> list[dict[str, Any]]:
    """Every kind of the catalogue, lightest rung first."""
    kinds = (catalogue or catalogue_current()).definition["kinds"]
    return sorted(kinds, key=lambda k: (k["rung"], k["name"]))


def party_tenancy(party: Party, on_date: dt.date) -> Tenancy | None:
    """The tenancy the party's register person holds or lives in on a date (the newest); None if none with us."""
    if party.person_id is None:
        return None
    tenancies = Tenancy.objects.filter(members__person_id=party.person_id, start_date__lte=on_date).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on_date)
    )
    return tenancies.order_by("-start_date", "-pk").first()


def party_tenancy_type(party: Party, on_date: dt.date) -> tuple[str | None, str]:
    """(TenancyType value or None, its label) for the rules."""
    tenancy = party_tenancy(party, on_date)
    if tenancy is None:
        return None, ""
    return tenancy.tenancy_type, TenancyType(tenancy.tenancy_type).label


def party_date_of_birth(party: Party) -> dt.date | None:
    """From the register when the party is linked to it, else as entered on the case."""
    if party.person_id is not None and party.person is not None:
        return party.person.date_of_birth
    return party.date_of_birth


def interventions_for_case(*, case: Case) -> QuerySet[Intervention]:
    """The interventions on a case, on the ladder (lightest rung first), with their milestones (3 queries)."""
    return (
        Intervention.objects.filter(case=case)
        .select_related("party__person", "catalogue", "proposed_by", "requested_by", "approved_by", "refused_by")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.select_related("recorded_by", "document")))
    )


def intervention_get_for_actor(*, actor: User, case: Case, intervention_id: int) -> Intervention:
    """One intervention on a case the actor may see; Http404 otherwise."""
    if not cases_visible_to(actor=actor).filter(pk=case.pk).exists():
        raise Http404("No such case.")
    intervention = interventions_for_case(case=case).filter(pk=intervention_id).first()
    if intervention is None:
        raise Http404("No such intervention.")
    return intervention


def case_documents(*, case: Case) -> QuerySet[EvidenceFile]:
    """The evidence files on the case a milestone may point at (the caller has checked the case is visible)."""
    return EvidenceFile.objects.filter(case=case).order_by("-uploaded_at", "-id")


def milestone_date(milestone: Milestone | None) -> dt.date | None:
    if milestone is None:
        return None
    return milestone.occurred_on or milestone.due_on


def warnings_given(*, case: Case, party: Party) -> list[rules.WarningGiven]:
    """The community protection warnings to this party on this case (not withdrawn): issued, and time to comply."""
    cpws = (
        Intervention.objects.filter(case=case, party=party, kind="cpw")
        .exclude(status=InterventionStatus.WITHDRAWN)
        .prefetch_related("milestones")
    )
    given = []
    for cpw in cpws:
        by_key = {m.key: m for m in cpw.milestones.all()}
        issued = by_key.get("issued")
        given.append(
            rules.WarningGiven(
                issued_on=issued.occurred_on if issued else None,
                comply_by=milestone_date(by_key.get("time_to_comply_ends")),
            )
        )
    return given
