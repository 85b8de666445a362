"""Disclosures over the API (issue 15 item 5): what of a case was disclosed to other organisations, the same list as
the case's Partnership tab. Thin: `case_of` (404 for a case the token holder cannot see), then
`referrals.selectors.disclosures.disclosures_for_case` (a MARAC form's disclosure only to the DA permission set)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from saferhomes.accounts.http import actor_of
from saferhomes.api.schemas import COMMON_ERRORS, ProblemOut, RecordReference
from saferhomes.cases.http import case_of
from saferhomes.referrals.models import Disclosure
from saferhomes.referrals.selectors.disclosures import disclosures_for_case

router = Router(tags=["Disclosures"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}


class DisclosureOut(Schema):
    """Personal data from the case disclosed outside the landlord."""

    id: int
    agency: str = Field(description="The agency's code")
    agency_name: str
    source: str = Field(description="How: referral, marac_form, share, partner_read or other")
    what: str
    reason: str
    lawful_basis: str = Field(
        description="consent, legal_obligation, vital_interests, public_task or legitimate_interests"
    )
    agreement: str = Field("", description="The information-sharing agreement's name, if one applied")
    disclosed_at: dt.datetime
    disclosed_by: str = Field(description="The username of who disclosed it")


def _out(disclosure: Disclosure) -> DisclosureOut:
    return DisclosureOut(
        id=disclosure.pk,
        agency=disclosure.agency.code,
        agency_name=disclosure.agency.name,
        source=disclosure.source,
        what=disclosure.what,
        reason=disclosure.reason,
        lawful_basis=disclosure.lawful_basis,
        agreement=disclosure.agreement.name if disclosure.agreement is not None else "",
        disclosed_at=disclosure.disclosed_at,
        disclosed_by=disclosure.disclosed_by.get_username(),
    )


@router.get(
    "/cases/{reference}/disclosures",
    response={200: list[DisclosureOut], **READ_ERRORS},
    summary="A case's disclosures",
    operation_id="cases_disclosures",
    url_name="cases-disclosures",
)
def disclosures(request: HttpRequest, reference: RecordReference) -> list[DisclosureOut]:
    """Everything from the case disclosed to other organisations, newest first."""
    case = case_of(request, reference)
    return [_out(disclosure) for disclosure in disclosures_for_case(case=case, actor=actor_of(request))]
