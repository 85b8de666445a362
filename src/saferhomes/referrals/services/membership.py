"""Which agency a partner user works for (issue 15 item 6): a partner sees only what is shared with their agency, so
a partner without one sees nothing. Set by `saferhomes createstaff NAME --role partner --agency CODE`, the
configuration admin, or the demo seed; audited as `partner.membership_set` with the agency before and after."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Agency, PartnerMembership

MANAGE_STAFF = "accounts.manage_staff"


def membership_problems(*, user: User, agency: Agency | None) -> dict[str, str]:
    """Why `user` may not be made a member of `agency`, by field (none: they may)."""
    if agency is None:
        return {}
    if user.role != Role.PARTNER:
        return {"user": f"Only partner users belong to an agency; {user.username} is not one"}
    if not agency.active:
        return {"agency": f"{agency.name} is no longer taking referrals: choose another agency"}
    return {}


def partner_membership_set(
    *, actor: User | None, user: User, agency: Agency | None, request: HttpRequest | None = None
) -> PartnerMembership | None:
    """Make `user` (a partner user) a member of `agency`, or of none (`agency` None). `actor` None: the command line
    or the demo seed. Nothing is written or audited when it is already so."""
    if actor is not None:
        require(actor, MANAGE_STAFF)
    problems = membership_problems(user=user, agency=agency)
    if problems:
        raise DomainError(field_errors=problems)
    with transaction.atomic():
        current = PartnerMembership.objects.select_for_update().filter(user=user).select_related("agency").first()
        before = current.agency.code if current is not None else None
        if agency is None:
            if current is None:
                return None
            current.delete()
            membership = None
        elif current is None:
            membership = PartnerMembership.objects.create(user=user, agency=agency)
        elif current.agency_id == agency.pk:
            return current
        else:
            current.agency = agency
            current.save(update_fields=["agency"])
            membership = current
        audit(
            actor=actor,
            verb=AuditVerb.PARTNER_MEMBERSHIP_SET,
            obj=user,
            object_label=f"{user.username}: {agency.name if agency else 'no agency'}"[:200],
            before={"agency": before},
            after={"agency": agency.code if agency else None},
            request=request,
        )
    return membership
