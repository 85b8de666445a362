"""The MARAC referral form and information sharing on a case's Partnership tab (issue 15 items 3 and 5), and their
demo data: `register()` is called from `ReferralsConfig.ready()`.

- "MARAC referral": each MARAC decision that required a referral, what became of it, the produced form to download,
  or the link to produce it. Only for staff in the DA permission set (`cases.view_da_cases`): for anyone else the
  section returns None, so they never learn of it. Also nothing when the case never needed a MARAC referral.
- "Disclosures": everything from this case disclosed outside the landlord (what, to whom, when, why, on what basis,
  by whom); MARAC forms only to the DA set.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.referrals.sections import Section, register_section
from saferhomes.referrals.selectors.disclosures import disclosures_for_case
from saferhomes.referrals.selectors.marac import (
    marac_forms_for_case,
    may_produce_marac,
    may_see_marac,
    required_decisions,
)
from saferhomes.risk.extensions import grounds_in_words

MARAC_SECTION = "marac-referral"
DISCLOSURES_SECTION = "disclosures"


def marac_section(*, case: Case, actor: User, request: HttpRequest | None = None) -> dict[str, Any] | None:
    """The MARAC decisions that required a referral and their forms; None outside the DA permission set or when the
    case never needed one."""
    if not may_see_marac(actor):
        return None
    decisions = list(required_decisions(case=case))
    if not decisions:
        return None
    forms = {form.decision_id: form for form in marac_forms_for_case(case=case)}
    may_produce = may_produce_marac(actor, case)
    rows = [
        {
            "decision": decision,
            "grounds": grounds_in_words(decision.grounds),
            "form": forms.get(decision.pk),
            "produce_url": reverse("referrals:marac-referral", args=[case.reference, decision.pk])
            if may_produce and decision.outstanding
            else "",
        }
        for decision in decisions
    ]
    return {"rows": rows}


def disclosures_section(*, case: Case, actor: User, request: HttpRequest | None = None) -> dict[str, Any] | None:
    """Every disclosure of the case the actor may know of, newest first."""
    return {"disclosures": list(disclosures_for_case(case=case, actor=actor))}


def register() -> None:
    """Add the sections to the Partnership tab, and the demo step (idempotent)."""
    from saferhomes.referrals.demo_sharing import register_seed_step

    register_section(Section(MARAC_SECTION, "referrals/case/_marac_section.html", marac_section))
    register_section(Section(DISCLOSURES_SECTION, "referrals/case/_disclosures_section.html", disclosures_section))
    register_seed_step()
