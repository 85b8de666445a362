"""Reading Case Review applications: who may see them, and one application by its reference."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from saferhomes.accounts.models import User
from saferhomes.case_review.models import Application

VIEW_PERMISSIONS = ("case_review.take_case_review", "case_review.decide_case_review")


def may_view_applications(actor: User) -> bool:
    return any(actor.has_perm(permission) for permission in VIEW_PERMISSIONS)


def applications_visible_to(*, actor: User) -> QuerySet[Application]:
    """Every application for staff who take or decide them; none for anyone else (partners included)."""
    if not actor.is_active or not may_view_applications(actor):
        return Application.objects.none()
    return Application.objects.all()


def application_get_for_actor(*, actor: User, reference: str) -> Application:
    """The application with this reference (any letter case, spaces ignored) if the actor may see it, else 404."""
    application = (
        applications_visible_to(actor=actor)
        .select_related("home", "person", "victim_person", "rule_set", "decided_by", "spoc")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if application is None:
        raise Http404("No such Case Review application")
    return application
