"""Information-sharing agreements (issue 15 item 5: "a register of information-sharing agreements (parties, purpose,
data shared, start, review and end dates, review reminders)"): recorded and changed by the staff who keep the
register (`referrals.manage_agreements`, the DPO), audited (agreement.recorded, agreement.updated).

Rules: a name, a purpose, the data shared, a lawful basis, at least one agency; the review and end dates on or after
the start. Moving the review date makes a new reminder due (one per agreement and review date,
`referrals/agreement_reminders.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Agency, LawfulBasis, SharingAgreement
from saferhomes.referrals.selectors.agreements import MANAGE

NAME_MAX = 200
TEXT_MAX = 10_000
FIELDS = ["name", "purpose", "data_shared", "lawful_basis", "starts_on", "review_on", "ends_on"]


def _validated(
    *,
    name: str,
    agencies: Iterable[Agency],
    purpose: str,
    data_shared: str,
    lawful_basis: str,
    starts_on: dt.date | None,
    review_on: dt.date | None,
    ends_on: dt.date | None,
) -> dict[str, Any]:
    """The agreement's values, stripped; DomainError naming every field that is wrong."""
    errors: dict[str, str] = {}
    values = {"name": name.strip(), "purpose": purpose.strip(), "data_shared": data_shared.strip()}
    required = {
        "name": "Enter the agreement's name",
        "purpose": "Enter what the agreement is for",
        "data_shared": "Enter the kinds of personal data the agreement covers",
    }
    for field, message in required.items():
        if not values[field]:
            errors[field] = message
    if len(values["name"]) > NAME_MAX:
        errors["name"] = f"The name must be {NAME_MAX} characters or fewer"
    for field in ("purpose", "data_shared"):
        if len(values[field]) > TEXT_MAX:
            errors[field] = f"This must be {TEXT_MAX:,} characters or fewer"
    chosen = list(dict.fromkeys(agencies))
    if not chosen:
        errors["agencies"] = "Choose at least one agency the agreement is with"
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Select the lawful basis for sharing"
    if starts_on is None:
        errors["starts_on"] = "Enter the date the agreement starts"
    if review_on is None:
        errors["review_on"] = "Enter the date the agreement is to be reviewed"
    elif starts_on is not None and review_on < starts_on:
        errors["review_on"] = "The review date must be the same as or after the start date"
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    if errors:
        raise DomainError(field_errors=errors)
    return {
        **values,
        "agencies": chosen,
        "lawful_basis": lawful_basis,
        "starts_on": starts_on,
        "review_on": review_on,
        "ends_on": ends_on,
    }


def _state(agreement: SharingAgreement) -> dict[str, Any]:
    return {**snapshot(agreement, FIELDS), "agencies": sorted(agreement.agencies.values_list("code", flat=True))}


def agreement_record(
    *,
    actor: User,
    name: str,
    agencies: Iterable[Agency],
    purpose: str,
    data_shared: str,
    lawful_basis: str,
    starts_on: dt.date | None,
    review_on: dt.date | None,
    ends_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> SharingAgreement:
    """Add an agreement to the register; audited."""
    require(actor, MANAGE)
    values = _validated(
        name=name,
        agencies=agencies,
        purpose=purpose,
        data_shared=data_shared,
        lawful_basis=lawful_basis,
        starts_on=starts_on,
        review_on=review_on,
        ends_on=ends_on,
    )
    chosen = values.pop("agencies")
    with transaction.atomic():
        agreement = SharingAgreement.objects.create(**values, created_by=actor)
        agreement.agencies.set(chosen)
        audit(actor=actor, verb=AuditVerb.AGREEMENT_RECORDED, obj=agreement, after=_state(agreement), request=request)
    return agreement


def agreement_update(
    *,
    actor: User,
    agreement: SharingAgreement,
    name: str,
    agencies: Iterable[Agency],
    purpose: str,
    data_shared: str,
    lawful_basis: str,
    starts_on: dt.date | None,
    review_on: dt.date | None,
    ends_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> SharingAgreement:
    """Change an agreement (its review after a review, a new end date, another agency); audited with before/after."""
    require(actor, MANAGE)
    values = _validated(
        name=name,
        agencies=agencies,
        purpose=purpose,
        data_shared=data_shared,
        lawful_basis=lawful_basis,
        starts_on=starts_on,
        review_on=review_on,
        ends_on=ends_on,
    )
    chosen = values.pop("agencies")
    with transaction.atomic():
        locked = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
        before = _state(locked)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
        locked.agencies.set(chosen)
        after = _state(locked)
        if after != before:
            audit(
                actor=actor, verb=AuditVerb.AGREEMENT_UPDATED, obj=locked, before=before, after=after, request=request
            )
    agreement.refresh_from_db()
    return agreement
