"""PNG renders of Case Review letters (issue 17 part 5), like the documents app's letter screenshots: always rendered
and checked; copied to docs/screenshots/ only with SAFERHOMES_SCREENSHOTS=1 (`make screenshots`). Synthetic people."""

from __future__ import annotations

from pathlib import Path

import pytest

from saferhomes.accounts.models import User
from saferhomes.case_review.models import Application
from saferhomes.case_review.services import letters, review
from saferhomes.housing.models import PreferredFormat
from saferhomes.referrals.models import Agency
from tests.case_review_review.helpers import conclude
from tests.documents.test_screenshots import _png

pytestmark = pytest.mark.django_db


def test_png_of_a_threshold_decision_letter(met: Application, cara: User, tmp_path: Path) -> None:
    review.spoc_assign(actor=cara, application=met, spoc=cara)
    letter = letters.decision_letter_send(actor=cara, application=met)
    with letter.pdf.open("rb") as handle:
        _png(handle.read(), tmp_path, "case-review-decision-letter-page-1")


def test_png_of_a_welsh_large_print_outcome_letter(
    met: Application, cara: User, agencies: list[Agency], tmp_path: Path
) -> None:
    Application.objects.filter(pk=met.pk).update(
        preferred_language="Welsh", preferred_format=PreferredFormat.LARGE_PRINT
    )
    concluded = conclude(Application.objects.get(pk=met.pk), cara, agencies)
    letter = letters.outcome_letter_send(actor=cara, application=concluded)
    assert (letter.language, letter.variant) == ("cy", "large_print")
    with letter.pdf.open("rb") as handle:
        _png(handle.read(), tmp_path, "case-review-outcome-letter-welsh-large-print-page-1")
