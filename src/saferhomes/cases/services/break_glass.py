"""Break glass: a manager opens a case they are not entitled to see, for a stated reason, for a limited time.

Audited, and the data protection officer is emailed (`_tell_dpo`, after the commit).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import AccessGrant, Case
from saferhomes.cases.permissions import BREAK_GLASS
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require

REASON_MIN = 10
# A break-glass grant lasts one working day's worth of hours; the manager breaks glass again if they need longer.
BREAK_GLASS_HOURS = 8


def case_break_glass(*, actor: User, reference: str, reason: str, request: HttpRequest | None = None) -> AccessGrant:
    """A manager opens a case they are not entitled to see: reason required, time-limited, audited, DPO emailed."""
    require(actor, BREAK_GLASS)
    reason = reason.strip()
    wanted = reference.strip().upper()
    errors: dict[str, str] = {}
    if not wanted:
        errors["reference"] = "Enter the case reference"
    if len(reason) < REASON_MIN:
        errors["reason"] = f"Enter why you need to open this case ({REASON_MIN} characters or more)"
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        case = Case.objects.filter(reference=wanted).first()
        if case is None:
            raise DomainError(field_errors={"reference": f"No case has the reference {wanted}"})
        if cases_visible_to(actor=actor).filter(pk=case.pk).exists():
            raise DomainError(field_errors={"reference": f"You can already open {wanted}: no need to break glass"})
        grant = AccessGrant.objects.create(
            case=case,
            user=actor,
            reason=reason,
            expires_at=timezone.now() + dt.timedelta(hours=BREAK_GLASS_HOURS),
        )
        audit(
            actor=actor,
            verb=AuditVerb.CASE_BREAK_GLASS,
            obj=case,
            after={"expires_at": grant.expires_at, "sensitivity": case.sensitivity},
            reason=reason,
            request=request,
        )
        transaction.on_commit(lambda: _tell_dpo(grant_id=grant.pk))
    return grant


def _tell_dpo(*, grant_id: int) -> None:
    """Email the data protection officer(s) that glass was broken: who, which case, when, why."""
    grant = AccessGrant.objects.select_related("case", "user").get(pk=grant_id)
    recipients = {settings.LANDLORD_CONTACT["dpo_email"]}
    recipients |= set(User.objects.filter(role="dpo", is_active=True).exclude(email="").values_list("email", flat=True))
    granted = timezone.localtime(grant.granted_at)
    send_mail(
        subject=f"Break-glass access to case {grant.case.reference}",
        message=(
            f"{grant.user.get_full_name() or grant.user.get_username()} ({grant.user.get_username()}) broke glass "
            f"to open case {grant.case.reference} on {granted:%d %B %Y at %H:%M}.\n\n"
            f"Reason given: {grant.reason}\n\n"
            f"Access ends {timezone.localtime(grant.expires_at):%d %B %Y at %H:%M}. "
            "Every page they open is in the audit trail.\n"
        ),
        from_email=None,
        recipient_list=sorted(recipients),
    )
