"""Reads of a case's case conferences, for the Partnership tab and the timeline."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from saferhomes.cases.models import Case
from saferhomes.referrals.models import Agency, CaseConference, ConferenceAction


def case_conferences(*, case: Case) -> QuerySet[CaseConference]:
    """The case's conferences, latest first, with their agencies and actions (and each action's agency) prefetched."""
    return (
        CaseConference.objects.filter(case=case)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("agencies", queryset=Agency.objects.order_by("name", "id")),
            Prefetch("actions", queryset=ConferenceAction.objects.select_related("owner_agency")),
        )
        .order_by("-held_on", "-id")
    )


def conference_action_on(*, case: Case, action_id: int) -> ConferenceAction | None:
    """An action agreed at one of this case's conferences, or None."""
    return (
        ConferenceAction.objects.select_related("conference__case").filter(conference__case=case, pk=action_id).first()
    )


def conference_agencies() -> QuerySet[Agency]:
    """The agencies a conference may name: the active ones."""
    return Agency.objects.filter(active=True).order_by("name", "id")
