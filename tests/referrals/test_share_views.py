"""The staff side of sharing, through the pages: the Partnership tab's "Shared with partners" section, the share form
(DA cases offer only agencies entitled to DA information; errors in the GOV.UK summary, answers kept), withdrawing,
and a partner's document downloaded by staff (audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, Sensitivity, Status
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import CaseShare, PartnerUpdate, SharePart
from tests.access.surfaces import CaseSurface
from tests.cases.factories import CaseFactory, force_status
from tests.cases.matrix import case_for
from tests.cases.record_helpers import evidence_dir_fixture  # noqa: F401
from tests.conftest import client_verified_as
from tests.referrals.partner_helpers import PNG, council_agency, idva_agency, partner_of, share_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER, first_name="Olivia", last_name="Bennett")


def _case(user: User, **fields: Any) -> Case:
    case: Case = CaseFactory.create(assigned_officer=user, team=user.team, **fields)
    return case


def _form(agency_pk: int, **changes: Any) -> dict[str, Any]:
    ends = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "agency": str(agency_pk),
        "parts": ["summary", "incidents"],
        "ends_on_0": str(ends.day),
        "ends_on_1": str(ends.month),
        "ends_on_2": str(ends.year),
        "lawful_basis": "public_task",
        "agreement": "",
        "reason": "Joint problem-solving with the council",
    }
    data.update(changes)
    return data


def test_sharing_through_the_form_lands_in_the_tab(officer: User) -> None:
    council = council_agency()
    case = _case(officer)
    client = client_verified_as(officer)
    url = f"/staff/cases/{case.reference}/partnership/share/"
    page = client.get(url).content.decode()
    assert "Example Council ASB Team" in page

    response = client.post(url, _form(council.pk), follow=True)

    share = CaseShare.objects.get(case=case)
    assert (share.agency, share.parts) == (council, ["summary", "incidents"])
    html = response.content.decode()
    assert "Summary and incidents shared with Example Council ASB Team until" in html
    assert f'id="share-{share.pk}"' in html
    assert f'href="/staff/cases/{case.reference}/partnership/shares/{share.pk}/withdraw/"' in html
    assert "Public task (6(1)(e))" in html


def test_a_form_with_errors_says_what_is_wrong_and_keeps_the_answers(officer: User) -> None:
    council = council_agency()
    case = _case(officer)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = _form(
        council.pk,
        parts=[],
        ends_on_0=str(yesterday.day),
        ends_on_1=str(yesterday.month),
        ends_on_2=str(yesterday.year),
        reason="Keep these words",
    )
    response = client_verified_as(officer).post(f"/staff/cases/{case.reference}/partnership/share/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select at least one part of the case to share" in html
    assert "Keep these words" in html
    assert not CaseShare.objects.exists()

    data["parts"] = ["summary"]
    html = client_verified_as(officer).post(f"/staff/cases/{case.reference}/partnership/share/", data).content.decode()
    assert "The date the share ends must be today or in the future" in html  # the service's rule, on the field


def test_a_da_case_offers_only_agencies_entitled_to_da_information(make_staff: Callable[..., User]) -> None:
    council, idva = council_agency(), idva_agency()
    specialist = make_staff(Role.DA_SPECIALIST)
    case = _case(specialist, case_type=CaseType.DA)
    client = client_verified_as(specialist)
    url = f"/staff/cases/{case.reference}/partnership/share/"
    html = client.get(url).content.decode()
    assert f'value="{idva.pk}"' in html
    assert f'value="{council.pk}"' not in html
    assert "only agencies entitled to domestic abuse information are listed" in html

    forged = client.post(url, _form(council.pk)).content.decode()  # a forged choice is refused by the form
    assert "Select an agency from the list" in forged
    assert not CaseShare.objects.exists()


def test_withdrawing_through_the_page(officer: User) -> None:
    council = council_agency()
    case = _case(officer)
    share = share_of(case, council)
    client = client_verified_as(officer)
    url = f"/staff/cases/{case.reference}/partnership/shares/{share.pk}/withdraw/"
    assert "Example Council ASB Team will not be able to see this case" in client.get(url).content.decode()
    assert "Enter why you are withdrawing the share" in client.post(url, {"reason": ""}).content.decode()

    html = client.post(url, {"reason": "They closed their case"}, follow=True).content.decode()

    share.refresh_from_db()
    assert share.withdrawn_reason == "They closed their case"
    assert "Example Council ASB Team can no longer see this case" in html
    assert "Earlier shares (1)" in html


def test_a_share_of_another_case_is_404_by_its_address(officer: User) -> None:
    share = share_of(CaseFactory.create(), council_agency())
    mine = _case(officer)
    response = client_verified_as(officer).get(f"/staff/cases/{mine.reference}/partnership/shares/{share.pk}/withdraw/")
    assert response.status_code == 404


def test_a_closed_case_offers_no_share_button(officer: User) -> None:
    case = force_status(_case(officer), Status.CLOSED, outcome="resolved")
    html = client_verified_as(officer).get(f"/staff/cases/{case.reference}/partnership/").content.decode()
    assert "Shared with partners" in html
    assert "Share with a partner agency" not in html


def test_partner_updates_show_in_the_tab_and_their_documents_download_audited(
    officer: User, evidence_dir: Path
) -> None:
    council = council_agency()
    case = _case(officer)
    share = share_of(case, council)
    pete = partner_of(council, "partner_pete")
    update = PartnerUpdate(share=share, case=case, agency=council, text="Warning served", created_by=pete)
    update.original_name, update.content_type = "warning.png", "image/png"
    update.file.save("partner.png", ContentFile(PNG), save=False)
    update.save()
    client = client_verified_as(officer)

    html = client.get(f"/staff/cases/{case.reference}/partnership/").content.decode()
    assert "Warning served" in html
    link = f"/staff/cases/{case.reference}/partnership/updates/{update.pk}/file/"
    assert link in html
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith('attachment; filename="warning.png"')
    assert AuditEvent.objects.filter(verb=AuditVerb.PARTNERUPDATE_VIEWED, actor=officer).count() == 1
    timeline = client.get(f"/staff/cases/{case.reference}/timeline/").content.decode()
    assert "Update from Example Council ASB Team" in timeline


SHARE_FORM = CaseSurface(
    "Partnership", "Share a case", "GET", "/staff/cases/{ref}/partnership/share/", "referrals.share_case"
)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), SHARE_FORM.params())
def test_the_share_form_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    response = client_verified_as(user).get(SHARE_FORM.url(ref=case.reference))
    assert response.status_code == SHARE_FORM.expected(role, sensitivity, relation)


@pytest.mark.parametrize("sensitivity", [Sensitivity.NORMAL, Sensitivity.DA])
def test_the_tab_section_lists_current_shares_for_everyone_who_sees_the_case(
    make_staff: Callable[..., User], sensitivity: str
) -> None:
    manager = make_staff(Role.MANAGER)
    case = case_for(manager, sensitivity=sensitivity, relation="other_team")
    share_of(case, idva_agency(), [SharePart.SUMMARY, SharePart.RISK])
    html = client_verified_as(manager).get(f"/staff/cases/{case.reference}/partnership/").content.decode()
    assert "Example IDVA Service" in html
    assert "Summary and risk result" in html
