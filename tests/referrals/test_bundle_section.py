"""The evidence bundle's "Partner agencies and support" section (issue 16 item 5): referrals, support offered to the
person the action is against, and case conferences — and nothing that belongs to the people the bundle protects
(safeguarding and MARAC referrals, support offered to reporters, victims and witnesses), free text redacted."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import PartyRole
from saferhomes.documents.bundle import BUNDLE_SECTIONS, Redactor
from saferhomes.documents.services.bundle import bundle_build
from saferhomes.referrals.bundle import referrals_bundle_section
from saferhomes.referrals.models import CaseConference, ConferenceAction, ReferralKind, SupportKind, SupportOffer
from tests.cases.factories import PartyFactory
from tests.interventions.helpers import open_case, perpetrator
from tests.referrals.factories import AgencyFactory, ReferralFactory

pytestmark = pytest.mark.django_db
PHONE = "07700 900123"


@pytest.fixture(autouse=True)
def _mid_june_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


def test_the_section_shows_partnership_and_support_to_the_perpetrator_and_leaves_out_what_is_not_theirs(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff(Role.OFFICER)
    case = open_case(officer)
    victim = PartyFactory.create(case=case, role=PartyRole.VICTIM, first_name="Harriet", last_name="Vale", phone=PHONE)
    party = perpetrator(case)
    police = AgencyFactory.create(code="POLICE-NPT", name="Exampleton Neighbourhood Policing Team")
    ReferralFactory.create(
        case=case,
        agency=police,
        kind=ReferralKind.POLICE,
        crime_reference="NPT/26/01234",
        reason=f"Threats to Harriet; she can be reached on {PHONE}.",
        acknowledged_at=timezone.now() - dt.timedelta(hours=20),
    )
    ReferralFactory.create(case=case, kind=ReferralKind.SAFEGUARDING, reason="Children in the home at risk")
    ReferralFactory.create(case=case, kind=ReferralKind.MARAC, reason="High-risk domestic abuse")
    mental_health = AgencyFactory.create(code="CMHT", name="Exampleton Community Mental Health Team")
    for to, kind in ((party, SupportKind.MENTAL_HEALTH), (victim, SupportKind.VICTIM_SUPPORT)):
        SupportOffer.objects.create(
            case=case, party=to, kind=kind, agency=mental_health if to == party else None,
            offered_at=timezone.now() - dt.timedelta(days=3), created_by=officer,
        )  # fmt: skip
    conference = CaseConference.objects.create(
        case=case, held_on=dt.date(2026, 6, 10), attendees="PC Patel, police", decisions="Seek an injunction.",
        created_by=officer,
    )  # fmt: skip
    conference.agencies.set([police])
    ConferenceAction.objects.create(
        conference=conference, description="Send the incident log", owner_agency=police, owner_name="PC Patel",
        due_on=dt.date(2026, 6, 17),
    )  # fmt: skip

    assert referrals_bundle_section in BUNDLE_SECTIONS  # registered from ReferralsConfig.ready()
    section = referrals_bundle_section(case=case, redactor=Redactor(case))
    assert section is not None
    assert [row["kind"] for row in section.context["referrals"]] == ["Police (crime or incident report)"]
    assert section.context["referrals"][0]["reason"] == "Threats to Harriet; she can be reached on [redacted]."
    assert section.context["referrals"][0]["state"] == "Acknowledged 14 Jun 2026"
    assert [row["to"] for row in section.context["support"]] == [party.display_name]
    assert section.context["conferences"][0]["actions"][0]["who"] == police.name

    built = bundle_build(actor=officer, case=case)
    text = " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(built.pdf)).pages)
    assert "Partner agencies and support" in text
    assert "Exampleton Neighbourhood Policing Team" in text
    assert "crime reference NPT/26/01234" in text
    assert "Mental health" in text
    assert "Seek an injunction." in text
    assert "Children in the home" not in text
    assert "High-risk domestic abuse" not in text
    assert "Victim support" not in text
    assert PHONE not in text


def test_a_case_with_no_partnership_work_has_no_such_section(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = open_case(officer)
    ReferralFactory.create(case=case, kind=ReferralKind.MARAC, reason="High-risk domestic abuse")
    assert referrals_bundle_section(case=case, redactor=Redactor(case)) is None
