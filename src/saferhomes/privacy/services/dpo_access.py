"""The DPO sees metadata, not case contents, "unless granted" (issue 19 part 5; ADR 0020).

A manager or administrator (`privacy.grant_dpo_access`) gives a data protection officer access to one case for a few
hours, with a reason: a `cases.AccessGrant` for the DPO (the one thing `cases_visible_to` lets a role without
`cases.view_case` see) and a `DpoAccessGrant` saying who gave it. The DPO cannot give it to themselves, and a DPO's own
break glass does not exist (they hold no `cases.break_glass`). Every page the DPO then opens is audited like any
restricted read (`case.viewed`), and shows under "How: Access given to the DPO" in oversight. The giver may end it
early. Both are audited with the case's reference only (never its summary).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import AccessGrant, Case
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.privacy.oversight_models import DpoAccessGrant

GRANT_DPO_ACCESS = "privacy.grant_dpo_access"
REASON_MIN = 10
HOURS_CHOICES = (1, 4, 8, 24, 72)


def dpo_users() -> list[User]:
    """The active data protection officers, by username (whom access may be given to)."""
    return list(User.objects.filter(role=Role.DPO, is_active=True).order_by("username"))


def dpo_access_grant(
    *, actor: User, dpo: User | None, reference: str, reason: str, hours: int, request: HttpRequest | None = None
) -> AccessGrant:
    """Give `dpo` access to the case with this reference for `hours` hours, for `reason`; audited."""
    require(actor, GRANT_DPO_ACCESS)
    reason, wanted = reason.strip(), (reference or "").strip().upper()
    errors: dict[str, str] = {}
    if dpo is None or dpo.role != Role.DPO or not dpo.is_active:
        errors["dpo"] = "Select the data protection officer to give access to"
    elif dpo.pk == actor.pk:
        errors["dpo"] = "You cannot give access to yourself"
    if not wanted:
        errors["reference"] = "Enter the case reference"
    if len(reason) < REASON_MIN:
        errors["reason"] = (
            f"Enter why the data protection officer needs to see this case ({REASON_MIN} characters or more)"
        )
    if hours not in HOURS_CHOICES:
        errors["hours"] = "Select how long the access lasts"
    if errors:
        raise DomainError(field_errors=errors)
    assert dpo is not None
    with transaction.atomic():
        case = Case.objects.filter(reference=wanted).only("pk", "reference", "sensitivity").first()
        if case is None:
            raise DomainError(field_errors={"reference": f"No case has the reference {wanted}"})
        now = timezone.now()
        grant = AccessGrant.objects.create(
            case=case, user=dpo, reason=reason, granted_at=now, expires_at=now + dt.timedelta(hours=hours)
        )
        DpoAccessGrant.objects.create(access_grant=grant, granted_by=actor, granted_at=now)
        audit(
            actor=actor,
            verb=AuditVerb.OVERSIGHT_ACCESS_GRANTED,
            obj=case,
            object_label=case.reference,
            after={"to": dpo.get_username(), "expires_at": grant.expires_at, "sensitivity": case.sensitivity},
            reason=reason,
            request=request,
        )
    return grant


def dpo_access_end(*, actor: User, grant_id: int, request: HttpRequest | None = None) -> AccessGrant:
    """End a DPO's access early (it stops now); audited. Ending one already over changes nothing."""
    require(actor, GRANT_DPO_ACCESS)
    with transaction.atomic():
        record = (
            DpoAccessGrant.objects.select_for_update()
            .select_related("access_grant__case")
            .filter(access_grant_id=grant_id)
            .first()
        )
        if record is None:
            raise DomainError("That access does not exist")
        grant = record.access_grant
        now = timezone.now()
        if grant.expires_at <= now:
            return grant
        AccessGrant.objects.filter(pk=grant.pk).update(expires_at=now)
        DpoAccessGrant.objects.filter(pk=record.pk).update(ended_by=actor, ended_at=now)
        grant.expires_at = now
        audit(
            actor=actor,
            verb=AuditVerb.OVERSIGHT_ACCESS_ENDED,
            obj=grant.case,
            object_label=grant.case.reference,
            after={"to": grant.user.get_username(), "ended_at": now},
            request=request,
        )
    return grant


def dpo_grants_recent(*, actor: User, limit: int = 50) -> list[DpoAccessGrant]:
    """The latest access given to the DPO, newest first (for the page where it is given)."""
    require(actor, GRANT_DPO_ACCESS)
    return list(
        DpoAccessGrant.objects.select_related("access_grant__user", "granted_by", "ended_by")
        .select_related("access_grant__case")
        .only(
            "id",
            "granted_at",
            "ended_at",
            "granted_by__username",
            "ended_by__username",
            "access_grant__id",
            "access_grant__reason",
            "access_grant__expires_at",
            "access_grant__user__username",
            "access_grant__case__reference",
        )
        .order_by("-granted_at", "-id")[:limit]
    )


def dpo_grants_for(*, dpo: User) -> list[AccessGrant]:
    """The DPO's own unexpired access to cases (shown on their oversight pages, with a link to each case)."""
    return list(
        AccessGrant.objects.filter(user=dpo, expires_at__gt=timezone.now(), dpo_grant__isnull=False)
        .select_related("case", "dpo_grant__granted_by")
        .only("id", "reason", "expires_at", "case__reference", "dpo_grant__granted_by__username")
        .order_by("expires_at")
    )
