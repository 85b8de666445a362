"""Demo information sharing (seed step 66): the demo agencies (made only if missing, never changed), three
information-sharing agreements (one due for review within days), and a MARAC referral form produced on a DA case whose
MARAC decision required a referral, with its referral and disclosure; deterministic."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from saferhomes.cases.models import CaseType
from saferhomes.core.seed import SEED_STEPS
from saferhomes.housing.demo_data import SeedContext
from saferhomes.referrals.demo_sharing import seed_sharing
from saferhomes.referrals.models import (
    Agency,
    AgencyKind,
    Disclosure,
    DisclosureSource,
    MaracForm,
    Referral,
    ReferralKind,
    SharingAgreement,
)
from saferhomes.referrals.selectors.agreements import review_state
from tests.demo_once import seeded_once

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
HOMES = 700


seeded = seeded_once(homes=HOMES, seed=1, today=TODAY)


def test_sharing_runs_after_risk_and_before_the_reports() -> None:
    orders = {step.name: step.order for step in SEED_STEPS}
    assert orders["risk"] < orders["sharing"] == 66 < orders["reports"]


def test_the_demo_has_agreements_and_a_produced_marac_form(seeded: None) -> None:
    states = {a.name: review_state(a, today=TODAY).key for a in SharingAgreement.objects.all()}
    assert states == {
        "Exampleton MARAC information-sharing protocol": "due",
        "Exampleton community safety partnership: anti-social behaviour": "",
        "IDVA referrals pilot": "ended",
    }
    marac = Agency.objects.get(code="MARAC")
    assert (marac.kind, marac.handles_da) == (AgencyKind.MARAC, True)

    form = MaracForm.objects.select_related("referral__case", "decision").get()
    case = form.referral.case
    assert case.case_type == CaseType.DA
    assert form.decision.required
    assert form.decision.referral_made_on is not None
    assert (form.referral.kind, form.referral.agency) == (ReferralKind.MARAC, marac)
    assert form.produced_at.date() <= TODAY
    disclosure = Disclosure.objects.get(source=DisclosureSource.MARAC_FORM)
    assert (disclosure.case, disclosure.referral) == (case, form.referral)
    assert disclosure.agreement is not None
    with form.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "MARAC referral form" in text
    assert case.reference in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Page 1 of" in text


def test_the_same_seed_makes_the_same_form_and_leaves_existing_agencies_alone(seeded: None) -> None:
    first = MaracForm.objects.select_related("referral__case").get().referral.case.reference
    MaracForm.objects.all().delete()
    Disclosure.objects.all().delete()
    Referral.objects.all().delete()
    SharingAgreement.objects.all().delete()
    Agency.objects.filter(code="MARAC").update(name="Renamed by an administrator")

    seed_sharing(SeedContext(homes=HOMES, seed=1, today=TODAY))

    again = MaracForm.objects.select_related("referral__case", "referral__agency").get()
    assert again.referral.case.reference == first
    assert again.referral.agency.name == "Renamed by an administrator"
    assert SharingAgreement.objects.count() == 3
