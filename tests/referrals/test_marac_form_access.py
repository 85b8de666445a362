"""Who may see the MARAC referral form (issue 15 item 3: "visible only within the DA permission set"): the page, the
download and the Partnership tab's section follow the case access matrix, then `cases.view_da_cases`; anyone else
who sees the case (an officer holding a break-glass grant on a DA case, a coordinator on a normal one) gets a 404
and no section, so nobody outside the set learns that a MARAC referral exists. (MARAC decisions come from the DA
checklist, so live on DA cases; the normal and restricted rows write one directly, to prove the rule does not lean on
the case's sensitivity.)"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import AccessGrant, Case
from saferhomes.referrals.models import (
    Consent,
    Disclosure,
    DisclosureSource,
    LawfulBasis,
    MaracForm,
    Referral,
    ReferralKind,
)
from saferhomes.risk.models import MaracDecision
from tests.access.surfaces import CaseSurface
from tests.cases.matrix import case_for, has_perm, visible
from tests.conftest import client_verified_as
from tests.referrals.marac_helpers import decision_on, marac_agency

pytestmark = pytest.mark.django_db

VIEW_DA = "cases.view_da_cases"


TRIED = ("assigned", "other_team", "grant")
# 200 inside the DA permission set on a case the user sees; 404 for everyone else, never a hint.
FORM_PAGE = CaseSurface(
    "Partnership",
    "MARAC referral form",
    "GET",
    "/staff/cases/{ref}/partnership/marac/{pk}/",
    VIEW_DA,
    denied=404,
    relations=TRIED,
)
FORM_DOWNLOAD = CaseSurface(
    "Partnership",
    "Download a MARAC referral form",
    "GET",
    "/staff/cases/{ref}/partnership/marac-forms/{pk}/",
    VIEW_DA,
    denied=404,
    relations=TRIED,
)


def expected(role: str, sensitivity: str, relation: str) -> int:
    """The form page's answer (FORM_PAGE), which the rule of the DA permission set states outright."""
    answer = FORM_PAGE.expected(role, sensitivity, relation)
    assert answer == (200 if visible(role, sensitivity, relation) and has_perm(role, VIEW_DA) else 404)
    return answer


def _produced(case: Case, decision: MaracDecision) -> MaracForm:
    """A produced form, written directly (the matrix needs one on cases no producer could reach)."""
    officer = case.assigned_officer
    assert officer is not None
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        agency=marac_agency(),
        kind=ReferralKind.MARAC,
        reason="High risk",
        information_shared="The MARAC form",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        consent=Consent.NOT_SOUGHT,
        consent_note="Not safe to ask",
        clock_started_at=decision.decided_at,
        sent_at=now,
        created_by=officer,
    )
    form = MaracForm(
        referral=referral,
        decision=decision,
        sha256=hashlib.sha256(b"%PDF-1.7").hexdigest(),
        size=8,
        reason="High risk",
        safety_actions="Locks changed",
        produced_by=officer,
    )
    form.file.save("marac.pdf", ContentFile(b"%PDF-1.7"), save=True)
    Disclosure.objects.create(
        case=case,
        agency=referral.agency,
        source=DisclosureSource.MARAC_FORM,
        what="The MARAC form",
        reason="High risk",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        referral=referral,
        disclosed_by=officer,
    )
    return form


@pytest.fixture(autouse=True)
def _evidence_dir(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.mark.parametrize(("role", "sensitivity", "relation"), FORM_PAGE.params())
def test_the_form_page_is_for_the_da_permission_set_only(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    assert case.assigned_officer is not None
    decision = decision_on(case, assessed_by=case.assigned_officer)
    marac_agency()

    response = client_verified_as(user).get(FORM_PAGE.url(ref=case.reference, pk=decision.pk))

    assert response.status_code == expected(role, sensitivity, relation)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), FORM_DOWNLOAD.params())
def test_the_download_and_the_section_are_for_the_da_permission_set_only(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    assert case.assigned_officer is not None
    form = _produced(case, decision_on(case, assessed_by=case.assigned_officer))
    client = client_verified_as(user)

    download = client.get(FORM_DOWNLOAD.url(ref=case.reference, pk=form.pk))
    tab = client.get(f"/staff/cases/{case.reference}/partnership/")

    assert download.status_code == FORM_DOWNLOAD.expected(role, sensitivity, relation)
    if tab.status_code == 200:
        page = tab.content.decode()
        inside = has_perm(role, VIEW_DA)
        assert ('id="marac-referral"' in page) == inside
        assert ("MARAC" in page) == inside  # neither the section nor the form's disclosure says so to others
    else:
        assert tab.status_code == 404


def test_a_form_on_another_case_is_not_found_through_this_one(make_staff: Callable[..., User]) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    mine = case_for(specialist, sensitivity="da", relation="assigned")
    other = case_for(specialist, sensitivity="da", relation="assigned")
    form = _produced(other, decision_on(other, assessed_by=specialist))

    response = client_verified_as(specialist).get(f"/staff/cases/{mine.reference}/partnership/marac-forms/{form.pk}/")

    assert response.status_code == 404


def test_the_risk_tab_offers_the_form_to_the_da_set_only(make_staff: Callable[..., User]) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = case_for(specialist, sensitivity="da", relation="assigned", status="open")
    decision = decision_on(case, assessed_by=specialist)
    officer = make_staff(Role.OFFICER)

    AccessGrant.objects.create(
        case=case, user=officer, reason="Covering", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    link = f'href="/staff/cases/{case.reference}/partnership/marac/{decision.pk}/"'

    assert link in client_verified_as(specialist).get(f"/staff/cases/{case.reference}/risk/").content.decode()
    assert link not in client_verified_as(officer).get(f"/staff/cases/{case.reference}/risk/").content.decode()
