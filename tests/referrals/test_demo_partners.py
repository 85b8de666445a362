"""Demo partner access (`saferhomes seed`, step 67): partner_pete at the council ASB team and partner_ida at the IDVA
service each see one case shared with them, with an update, a case conference with actions and an ended share;
deterministic, and agencies made by the directory's own step are left as they are."""

from __future__ import annotations

import pytest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.selectors import totp_device_confirmed
from saferhomes.cases.models import CaseType, Sensitivity
from saferhomes.core.seed import SEED_STEPS
from saferhomes.housing.demo_data import DEMO_PASSWORD, SeedContext
from saferhomes.referrals.demo_partners import seed_partners
from saferhomes.referrals.models import (
    Agency,
    CaseConference,
    CaseShare,
    Disclosure,
    PartnerMembership,
    PartnerUpdate,
)
from saferhomes.referrals.selectors.partner import shared_case_for, shared_cases_for
from saferhomes.referrals.selectors.shares import share_state
from tests.demo_once import seeded_once

pytestmark = pytest.mark.django_db

HOMES = 400


seeded = seeded_once(homes=HOMES, seed=1, today=timezone.localdate())


def _clear_partner_data() -> None:
    Disclosure.objects.filter(share__isnull=False).delete()
    PartnerUpdate.objects.all().delete()
    CaseConference.objects.all().delete()
    CaseShare.objects.all().delete()


def test_partners_are_a_step_after_risk_and_before_the_reports() -> None:
    orders = {step.name: step.order for step in SEED_STEPS}
    assert orders["risk"] < orders["partners"] == 67 < orders["reports"]


def test_each_demo_partner_sees_one_case_shared_with_their_agency(seeded: None) -> None:
    council, idva = Agency.objects.get(code="COUNCIL-ASB"), Agency.objects.get(code="IDVA")
    assert (council.kind, council.handles_da, idva.kind, idva.handles_da) == ("council", False, "idva", True)
    pete, ida = User.objects.get(username="partner_pete"), User.objects.get(username="partner_ida")
    for user, agency in ((pete, council), (ida, idva)):
        assert user.role == "partner"
        assert user.check_password(DEMO_PASSWORD)
        assert totp_device_confirmed(user=user) is not None
        assert PartnerMembership.objects.get(user=user).agency == agency

    [pete_row] = shared_cases_for(actor=pete)
    assert pete_row.parts == ["summary", "incidents"]
    pete_case = shared_case_for(actor=pete, reference=pete_row.reference)
    assert pete_case.case_type == "Anti-social behaviour"
    assert pete_case.incidents
    assert [update.author for update in pete_case.updates] == ["Pete Okafor"]

    [ida_row] = shared_cases_for(actor=ida)
    assert ida_row.parts == ["summary", "risk"]
    ida_case = shared_case_for(actor=ida, reference=ida_row.reference)
    assert ida_case.case_type == "Domestic abuse"
    assert ida_case.risk is not None


def test_the_demo_has_an_ended_share_and_a_conference_with_actions_across_agencies(seeded: None) -> None:
    states = sorted(share_state(share) for share in CaseShare.objects.all())
    assert states == ["active", "active", "ended"]
    assert Disclosure.objects.filter(share__isnull=False).count() == 3
    conference = CaseConference.objects.get()
    actions = list(conference.actions.order_by("id"))
    assert len(actions) == 3
    assert [a.owner_agency.code if a.owner_agency else None for a in actions] == ["COUNCIL-ASB", None, None]
    assert [a.done_at is not None for a in actions] == [True, False, False]
    shared = CaseShare.objects.filter(case__sensitivity=Sensitivity.DA).get()
    assert (shared.case.case_type, shared.agency.code) == (CaseType.DA, "IDVA")


def test_the_same_seed_shares_the_same_cases_and_keeps_agencies_it_did_not_make(seeded: None) -> None:
    first = sorted(CaseShare.objects.values_list("case__reference", "agency__code", "ends_on", "parts"))
    Agency.objects.filter(code="COUNCIL-ASB").update(name="Borough ASB and Nuisance Team")
    _clear_partner_data()

    seed_partners(SeedContext(homes=HOMES, seed=1, today=timezone.localdate()))

    again = sorted(CaseShare.objects.values_list("case__reference", "agency__code", "ends_on", "parts"))
    assert again == first
    assert Agency.objects.get(code="COUNCIL-ASB").name == "Borough ASB and Nuisance Team"
    assert User.objects.filter(username__in=["partner_pete", "partner_ida"]).count() == 2
