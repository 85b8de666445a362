"""Reads for the investigation record: due and missed contacts, overdue actions, and each case tab's lists.

Dashboard selectors take the actor and start from `cases_visible_to`; per-case selectors take a case the view
already fetched with `case_get_for_actor` (which checked the actor may see it).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import (
    ActionItem,
    Case,
    Contact,
    ContactPlan,
    EvidenceFile,
    Incident,
    Note,
    Party,
    Status,
)
from saferhomes.cases.selectors.case import cases_visible_to

WORK_CASE = "cases.work_case"


def contact_plan_is_missed(plan: ContactPlan, *, now: dt.datetime | None = None) -> bool:
    """Whether the plan's next contact is overdue (its case still open)."""
    return plan.case.status != Status.CLOSED and plan.next_due_at < (now or timezone.now())


def case_contact_plan(*, case: Case) -> ContactPlan | None:
    """The case's contact plan with its party, or None."""
    return ContactPlan.objects.select_related("party", "party__person").filter(case=case).first()


def case_incidents(*, case: Case) -> QuerySet[Incident]:
    """Incidents on a case, newest first, with who was involved, witnesses and evidence in a fixed few queries."""
    people = Party.objects.select_related("person")
    return (
        Incident.objects.filter(case=case)
        .select_related("property", "created_by")
        .prefetch_related(
            Prefetch("parties_involved", queryset=people),
            Prefetch("witnesses", queryset=people),
            Prefetch("evidence", queryset=EvidenceFile.objects.select_related("uploaded_by")),
        )
    )


def case_evidence(*, case: Case) -> QuerySet[EvidenceFile]:
    """Every file on a case, newest first."""
    return EvidenceFile.objects.filter(case=case).select_related("incident", "uploaded_by")


def case_contacts(*, case: Case) -> QuerySet[Contact]:
    """Contacts on a case, newest first, with the party and who recorded it."""
    return Contact.objects.filter(case=case).select_related("party", "party__person", "created_by")


def case_actions(*, case: Case) -> QuerySet[ActionItem]:
    """Actions on a case: open ones first by due date, then completed ones."""
    return ActionItem.objects.filter(case=case).select_related("owner", "created_by", "done_by")


def action_owner_candidates(*, case: Case, actor: User) -> list[User]:
    """Who may own an action on `case`, for the owner chooser: the actor, the assigned officer, the case's team and
    the roles that see beyond their team, each checked against `cases_visible_to` (the service checks again)."""
    shortlist = (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk=actor.pk)
            | Q(pk=case.assigned_officer_id)
            | Q(team_id=case.team_id, team_id__isnull=False)
            | Q(role__in=[Role.COORDINATOR, Role.MANAGER, Role.DA_SPECIALIST])
        )
        .order_by("first_name", "last_name", "username")
    )
    return [
        user
        for user in shortlist
        if user.has_perm(WORK_CASE) and cases_visible_to(actor=user).filter(pk=case.pk).exists()
    ]


def case_notes(*, case: Case) -> QuerySet[Note]:
    """Notes on a case, newest first, with who wrote them."""
    return Note.objects.filter(case=case).select_related("created_by")
