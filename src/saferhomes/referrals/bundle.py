"""The evidence bundle's "Partner agencies and support" section (issue 16 part 5; registered with
`documents.bundle.register_bundle_section` from `referral_extensions.register`).

A bundle goes to a court or a panel and may be disclosed to the person the action is against, so it carries what
shows the landlord acted in partnership and proportionately, and nothing that belongs to the people it protects:
- referrals to the police, mediation, support services and other agencies (made, acknowledged, outcome, withdrawn);
  safeguarding and MARAC referrals are left out (they concern the safety of children, adults at risk and victims
  of domestic abuse, and are shared only under their own protocols);
- support offered to alleged perpetrators (what was offered, by whom, the answer and the outcome: evidence that
  support came before enforcement); support offered to reporters, victims and witnesses is theirs and is left out;
- case conferences: when, which agencies, what was decided and the actions agreed.
Free text passes through the bundle's `Redactor` (contact details and addresses of reporters, victims and witnesses).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.cases.models import Case, PartyRole
from saferhomes.documents.bundle import BundleSection, Redactor
from saferhomes.referrals.models import CaseConference, ConferenceAction, Referral, ReferralKind, SupportOffer

LEFT_OUT_KINDS = (ReferralKind.SAFEGUARDING, ReferralKind.MARAC)


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "j M Y")


def _referral_rows(case: Case, redactor: Redactor) -> list[dict[str, Any]]:
    rows = []
    referrals = Referral.objects.filter(case=case).exclude(kind__in=LEFT_OUT_KINDS).select_related("agency")
    for referral in referrals.order_by("sent_at", "pk"):
        if referral.withdrawn_at is not None:
            state = f"Withdrawn {_day(referral.withdrawn_at)}: {redactor.text(referral.withdrawn_reason)}"
        elif referral.outcome_at is not None:
            state = f"Outcome {_day(referral.outcome_at)}: {redactor.text(referral.outcome)}"
        elif referral.acknowledged_at is not None:
            state = f"Acknowledged {_day(referral.acknowledged_at)}"
        else:
            state = "Not yet acknowledged"
        rows.append(
            {
                "sent": _day(referral.sent_at),
                "agency": referral.agency.name,
                "kind": referral.get_kind_display(),
                "crime_reference": referral.crime_reference,
                "reason": redactor.text(referral.reason),
                "state": state,
            }
        )
    return rows


def _support_rows(case: Case, redactor: Redactor) -> list[dict[str, Any]]:
    offers = (
        SupportOffer.objects.filter(case=case, party__role=PartyRole.ALLEGED_PERPETRATOR)
        .select_related("party__person", "agency")
        .order_by("offered_at", "pk")
    )
    return [
        {
            "offered": _day(offer.offered_at),
            "to": offer.party.display_name,
            "kind": offer.get_kind_display(),
            "agency": offer.agency.name if offer.agency else "",
            "answer": offer.get_status_display() + (f" {_day(offer.decided_at)}" if offer.decided_at else ""),
            "outcome": redactor.text(offer.outcome or offer.declined_reason),
        }
        for offer in offers
    ]


def _conference_rows(case: Case, redactor: Redactor) -> list[dict[str, Any]]:
    conferences = (
        CaseConference.objects.filter(case=case)
        .prefetch_related(
            "agencies", Prefetch("actions", queryset=ConferenceAction.objects.select_related("owner_agency"))
        )
        .order_by("held_on", "pk")
    )
    return [
        {
            "held": _day(conference.held_on),
            "agencies": ", ".join(agency.name for agency in conference.agencies.all()),
            "decisions": redactor.text(conference.decisions),
            "actions": [
                {
                    "what": redactor.text(action.description),
                    "who": action.owner_agency.name if action.owner_agency else "The landlord",
                    "due": _day(action.due_on),
                    "done": _day(action.done_at),
                }
                for action in conference.actions.all()
            ],
        }
        for conference in conferences
    ]


def referrals_bundle_section(*, case: Case, redactor: Redactor) -> BundleSection | None:
    """The section, or None when the case has none of it (the index then does not list it)."""
    context = {
        "referrals": _referral_rows(case, redactor),
        "support": _support_rows(case, redactor),
        "conferences": _conference_rows(case, redactor),
    }
    if not any(context.values()):
        return None
    return BundleSection("partnership", "Partner agencies and support", "referrals/pdf/bundle_section.html", context)
