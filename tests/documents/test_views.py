"""The Letters tab, downloads and the bundle button per the case access matrix; preview then send through the
pages; the template pages for administrators (refusals shown on the form, preview on synthetic data)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import PartyRole
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.documents.models import Letter, LetterTemplate
from saferhomes.documents.services.letters import letter_send
from tests.access.surfaces import CaseSurface
from tests.cases.factories import PartyFactory
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as
from tests.documents.helpers import LetterCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db


LETTERS = "Letters"
LETTERS_TAB = CaseSurface(LETTERS, "Letters tab", "GET", "/staff/cases/{ref}/letters/", "cases.view_case")
LETTER_DOWNLOAD = CaseSurface(
    LETTERS, "Download a letter (audited)", "GET", "/staff/cases/{ref}/letters/{pk}/download/", "cases.view_case"
)
BUNDLE = CaseSurface(LETTERS, "Make the case bundle (post)", "POST", "/staff/cases/{ref}/bundle/", "cases.work_case")


@pytest.mark.parametrize(("role", "sensitivity", "relation"), LETTERS_TAB.params())
def test_letters_tab_and_download_access(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User], private_dir: object
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    manager = make_staff(Role.MANAGER, username="letter_manager")
    case.restricted_to.add(manager)  # a manager named on the case sets the letter up
    reporter = PartyFactory.create(case=case, role=PartyRole.REPORTER, address="1 Example Row, Exampleton")
    letter = letter_send(
        actor=manager,
        case=case,
        party=reporter,
        template=LetterTemplate.objects.get(key="outcome-letter-reporter"),
    )
    client = client_verified_as(user)
    tab = client.get(LETTERS_TAB.url(ref=case.reference))
    assert tab.status_code == LETTERS_TAB.expected(role, sensitivity, relation)
    download = client.get(LETTER_DOWNLOAD.url(ref=case.reference, pk=letter.pk))
    assert download.status_code == LETTER_DOWNLOAD.expected(role, sensitivity, relation)
    bundle = client.post(BUNDLE.url(ref=case.reference))
    assert bundle.status_code == BUNDLE.expected(role, sensitivity, relation)
    if download.status_code == 200:
        assert download["Content-Type"] == "application/pdf"
        assert AuditEvent.objects.filter(verb=AuditVerb.LETTER_DOWNLOADED, actor=user).exists()
        assert "Outcome letter to a reporter" in tab.content.decode()


def _post(lc: LetterCase, step: str, **data: str) -> _MonkeyPatchedWSGIResponse:
    client = client_verified_as(lc.officer)
    return client.post(f"/staff/cases/{lc.case.reference}/letters/{step}/", data)


def test_preview_then_send_through_the_pages(lc: LetterCase) -> None:
    template = LetterTemplate.objects.get(key="warning-letter")
    data = {"template": str(template.pk), "party": str(lc.perpetrator.pk), "variant": "", "sent_how": "post"}
    preview = _post(lc, "preview", **data)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Preview: Warning letter" in page
    assert "Loud music and shouting" in page
    assert not Letter.objects.exists()
    sent = _post(lc, "send", **data)
    assert sent.status_code == 302
    letter = Letter.objects.get()
    assert letter.party == lc.perpetrator
    tab = client_verified_as(lc.officer).get(f"/staff/cases/{lc.case.reference}/letters/")
    assert f"/letters/{letter.pk}/download/" in tab.content.decode()


def test_a_leaking_letter_is_refused_on_the_form_with_answers_kept(lc: LetterCase) -> None:
    lc.incident.description = "Harriet Vale says you shouted at her."
    lc.incident.save()
    template = LetterTemplate.objects.get(key="warning-letter")
    data = {"template": str(template.pk), "party": str(lc.perpetrator.pk), "variant": "", "sent_how": "post"}
    for step in ("preview", "send"):
        response = _post(lc, step, **data)
        assert response.status_code == 200  # the form again, with the error summary
        page = response.content.decode()
        assert "There is a problem" in page
        assert "can never include" in page
    assert not Letter.objects.exists()


def test_bad_input_is_a_form_error_not_a_crash(lc: LetterCase) -> None:
    response = _post(lc, "preview", template="999999", party="abc", sent_how="pigeon")
    assert response.status_code == 200  # the form again, with the error summary
    assert "Select a letter from the list" in response.content.decode()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.DPO, Role.COORDINATOR])
def test_template_pages_are_for_administrators_only(role: str, make_staff: Callable[..., User]) -> None:
    client = client_verified_as(make_staff(role))
    assert client.get("/staff/documents/templates/").status_code == 403


def test_an_administrator_edits_a_template_with_preview_and_refusals(make_staff: Callable[..., User]) -> None:
    client: Client = client_verified_as(make_staff(Role.ADMIN))
    template = LetterTemplate.objects.get(key="outcome-letter-reporter")
    assert "Outcome letter to a reporter" in client.get("/staff/documents/templates/").content.decode()
    page = client.get(f"/staff/documents/templates/{template.pk}/").content.decode()
    assert "Dear Mr Example" in page  # the preview on synthetic data
    refused = client.post(
        f"/staff/documents/templates/{template.pk}/",
        {"name": template.name, "audience": template.audience, "body": "{% load x %}{{ case.reference|upper }}"},
    )
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Remove template tags" in text
    assert "uses a filter" in text
    saved = client.post(
        f"/staff/documents/templates/{template.pk}/",
        {"name": template.name, "audience": template.audience, "body": "Hello {{ recipient.name }}", "active": "on"},
    )
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.version == 2


@pytest.mark.parametrize(("role", "shown"), [(Role.ADMIN, True), (Role.OFFICER, False), (Role.MANAGER, False)])
def test_the_templates_link_is_in_the_menu_of_administrators_only(
    role: str, shown: bool, make_staff: Callable[..., User]
) -> None:
    from saferhomes.accounts.selectors import staff_links

    labels = [link.label for link in staff_links(user=make_staff(role))]
    assert ("Letter templates" in labels) is shown


def test_the_letters_tab_reads_flat_as_letters_grow(
    lc: LetterCase, django_assert_max_num_queries: Callable[..., object]
) -> None:
    template = LetterTemplate.objects.get(key="warning-letter")
    client = client_verified_as(lc.officer)

    def add(count: int) -> None:
        for _ in range(count):
            Letter.objects.create(
                case=lc.case,
                party=lc.perpetrator,
                recipient_name="Mr Gary Stone",
                template=template,
                template_version=template.versions.get(),
                text="x",
                pdf="letters/none.pdf",
                sha256="0" * 64,
                sent_by=lc.officer,
            )

    add(2)
    client.get(f"/staff/cases/{lc.case.reference}/letters/")  # warm the session and caches
    with django_assert_max_num_queries(60) as small:  # type: ignore[attr-defined]
        client.get(f"/staff/cases/{lc.case.reference}/letters/")
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):  # type: ignore[attr-defined]
        response = client.get(f"/staff/cases/{lc.case.reference}/letters/")
    assert response.content.decode().count("Download<span") == 22
