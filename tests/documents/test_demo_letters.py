"""Demo letters (seed step 69): a warning letter to an alleged perpetrator and an outcome letter to a reporter on
demo cases, each kept with its PDF and none holding another party's details."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from saferhomes.cases.models import PartyRole
from saferhomes.core.seed import SEED_STEPS, seed_demo
from saferhomes.documents.models import Letter
from saferhomes.documents.protect import perpetrator_leaks

pytestmark = pytest.mark.django_db


def test_letters_are_the_step_between_referrals_and_reports() -> None:
    names = [step.name for step in SEED_STEPS]
    assert names.index("partners") < names.index("letters") < names.index("reports")


def test_the_demo_sends_warning_and_outcome_letters(private_dir: Path) -> None:
    seed_demo(homes=300, seed=1, today=dt.date(2026, 6, 1))
    letters = list(Letter.objects.select_related("party", "template", "case"))
    kinds = {(letter.template.key, letter.party.role) for letter in letters if letter.party}
    assert ("warning-letter", PartyRole.ALLEGED_PERPETRATOR) in kinds
    assert ("outcome-letter-reporter", PartyRole.REPORTER) in kinds
    for letter in letters:
        assert letter.pdf.size > 1000
        if letter.party and letter.party.role == PartyRole.ALLEGED_PERPETRATOR:
            assert perpetrator_leaks(letter.text, case=letter.case, recipient=letter.party) == []
