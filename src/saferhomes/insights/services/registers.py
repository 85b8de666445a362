"""Writes to the registers (issue 18 part 5): initiatives and campaigns, staff training, policy reviews. Each is
permission-checked (`insights.manage_registers`, managers), atomic and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.models import TrainingRecord, User
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing.models import Area, Estate
from saferhomes.insights import register_rules
from saferhomes.insights.models import Initiative, PolicyReview
from saferhomes.referrals.models import Agency

MANAGE = "insights.manage_registers"


def initiative_record(
    *,
    actor: User,
    kind: str,
    title: str,
    description: str = "",
    area: Area | None = None,
    estate: Estate | None = None,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    partners: list[Agency] | None = None,
    reach: int | None = None,
    cost: Decimal | None = None,
    published: bool = True,
) -> Initiative:
    """Add a prevention initiative or publicity campaign to the register."""
    require(actor, MANAGE)
    problems: dict[str, str] = {}
    if ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "The end date must be the same as or after the start date"
    if estate is not None and area is not None and estate.area_id != area.pk:
        problems["estate"] = f"{estate.name} is not in {area.name}: choose one of its estates, or no estate"
    if cost is not None and cost < 0:
        problems["cost"] = "The cost must be £0 or more"
    if problems:
        raise DomainError(field_errors=problems)
    with transaction.atomic():
        initiative = Initiative.objects.create(
            kind=kind,
            title=title,
            description=description,
            area=area if area is not None else (estate.area if estate is not None else None),
            estate=estate,
            starts_on=starts_on,
            ends_on=ends_on,
            reach=reach,
            cost=cost,
            published=published,
            created_by=actor,
        )
        if partners:
            initiative.partners.set(partners)
        audit(actor=actor, verb=AuditVerb.INITIATIVE_RECORDED, obj=initiative, after=snapshot(initiative))
    return initiative


def training_record_add(
    *,
    actor: User,
    user: User,
    course: str,
    title: str = "",
    completed_on: dt.date,
    expires_on: dt.date | None,
    today: dt.date | None = None,
) -> TrainingRecord:
    """Record a course a member of staff completed (and when it runs out)."""
    require(actor, MANAGE)
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    if completed_on > today:
        problems["completed_on"] = "The date completed must be today or in the past"
    if expires_on is not None and expires_on < completed_on:
        problems["expires_on"] = "The expiry date must be the same as or after the date completed"
    if problems:
        raise DomainError(field_errors=problems)
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            user=user, course=course, title=title, completed_on=completed_on, expires_on=expires_on, recorded_by=actor
        )
        audit(
            actor=actor,
            verb=AuditVerb.TRAINING_RECORDED,
            obj=record,
            object_label=f"{user.username}: {record.get_course_display()}",
            after={"user": user.pk, "course": course, "completed_on": str(completed_on), "expires_on": str(expires_on)},
        )
    return record


def policy_review_schedule(*, actor: User, kind: str, due_on: dt.date) -> PolicyReview:
    """Put a review of the policy on the register for a due date."""
    require(actor, MANAGE)
    if PolicyReview.objects.filter(kind=kind, due_on=due_on).exists():
        raise DomainError(field_errors={"due_on": "A review of that kind is already due on that date"})
    with transaction.atomic():
        review = PolicyReview.objects.create(kind=kind, due_on=due_on, created_by=actor)
        audit(actor=actor, verb=AuditVerb.POLICY_REVIEW_SCHEDULED, obj=review, after=snapshot(review))
    return review


def policy_review_approve(
    *,
    actor: User,
    review: PolicyReview,
    completed_on: dt.date,
    summary: str,
    approval_body: str,
    today: dt.date | None = None,
) -> PolicyReview:
    """Record that a review was done and approved, and schedule the next review of its kind."""
    require(actor, MANAGE)
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    if completed_on > today:
        problems["completed_on"] = "The date the review was completed must be today or in the past"
    if not summary.strip():
        problems["summary"] = "Enter what the review found and changed"
    if problems:
        raise DomainError(field_errors=problems)
    with transaction.atomic():
        locked = PolicyReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
        if locked.approved_at is not None:
            raise DomainError("This review was approved already")
        before = snapshot(locked)
        locked.completed_on = completed_on
        locked.summary = summary.strip()
        locked.approval_body = approval_body.strip()
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.save(update_fields=["completed_on", "summary", "approval_body", "approved_by", "approved_at"])
        audit(actor=actor, verb=AuditVerb.POLICY_REVIEW_APPROVED, obj=locked, before=before, after=snapshot(locked))
        next_due = register_rules.next_review_due(locked.kind, locked.due_on)
        if not PolicyReview.objects.filter(kind=locked.kind, due_on=next_due).exists():
            following = PolicyReview.objects.create(kind=locked.kind, due_on=next_due, created_by=actor)
            audit(actor=actor, verb=AuditVerb.POLICY_REVIEW_SCHEDULED, obj=following, after=snapshot(following))
    return locked
