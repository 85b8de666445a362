"""Letters and the evidence bundle over the API (issue 16 items 4 and 5): the same sandboxed merge, the same
perpetrator rule as a 422, safe-contact overrides, idempotent sending, audited PDF reads and bundles."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Contact
from saferhomes.core.models import AuditEvent
from saferhomes.documents.models import Letter
from tests.api.conftest import assert_problem, bearer
from tests.documents.helpers import LetterCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def call() -> Callable[..., Any]:
    api_client = Client()

    def _call(user: User, method: str, url: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
        _token, raw = token_create(actor=None, user=user, name="tests")
        if method == "get":
            return api_client.get(url, data or {}, headers={**bearer(raw), **headers})
        return api_client.post(url, data or {}, content_type="application/json", headers={**bearer(raw), **headers})

    return _call


def _text(pdf: bytes) -> str:
    return " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_templates_in_use_are_listed_for_staff_who_work_cases(
    lc: LetterCase, call: Callable[..., Any], make_staff: Callable[..., User]
) -> None:
    body = call(lc.officer, "get", "/api/v1/letter-templates").json()
    keys = {t["key"] for t in body}
    assert {"warning-letter", "invitation-to-interview", "closure-letter-reporter"} <= keys
    assert next(t for t in body if t["key"] == "warning-letter")["audience"] == "alleged_perpetrator"
    assert call(make_staff(Role.DPO, username="dpo"), "get", "/api/v1/letter-templates").status_code == 403


def test_preview_then_send_a_warning_letter_and_download_it(lc: LetterCase, call: Callable[..., Any]) -> None:
    base = f"/api/v1/cases/{lc.case.reference}/letters"
    body = {"template": "warning-letter", "party": lc.perpetrator.pk}
    preview = call(lc.officer, "post", f"{base}/preview", body)
    assert preview.status_code == 200
    assert preview.json()["address"][0] == "16 Linden Road"
    assert "Loud music and shouting" in preview.json()["text"]
    assert not Letter.objects.exists()
    sent = call(lc.officer, "post", base, {**body, "variant": "large_print"}, **{"Idempotency-Key": "warn-1"})
    again = call(lc.officer, "post", base, {**body, "variant": "large_print"}, **{"Idempotency-Key": "warn-1"})
    assert (sent.status_code, again.status_code) == (201, 201)
    assert sent.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    letter = Letter.objects.get()
    assert (sent.json()["id"], sent.json()["variant"], sent.json()["sha256"]) == (
        letter.pk,
        "large_print",
        letter.sha256,
    )
    assert Contact.objects.filter(case=lc.case, party=lc.perpetrator, method="letter").count() == 1
    listed = call(lc.officer, "get", base).json()
    assert [item["id"] for item in listed] == [letter.pk]
    pdf = call(lc.officer, "get", f"{base}/{letter.pk}/pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert "Loud music and shouting" in _text(pdf.content)
    assert AuditEvent.objects.filter(verb="letter.downloaded", object_id=str(letter.pk)).count() == 1


def test_a_letter_to_the_perpetrator_naming_the_victim_is_a_422_and_nothing_is_sent(
    lc: LetterCase, call: Callable[..., Any]
) -> None:
    lc.incident.description = "Harriet Vale at 14 Linden Road heard shouting."
    lc.incident.save(update_fields=["description"])
    base = f"/api/v1/cases/{lc.case.reference}/letters"
    for url in (f"{base}/preview", base):
        problem = assert_problem(
            call(lc.officer, "post", url, {"template": "warning-letter", "party": lc.perpetrator.pk}), 422
        )
        assert "can never include a reporter's, victim's or witness's" in problem["detail"]
    assert not Letter.objects.exists()


def test_bad_input_names_the_field(lc: LetterCase, call: Callable[..., Any]) -> None:
    base = f"/api/v1/cases/{lc.case.reference}/letters/preview"
    unknown = assert_problem(call(lc.officer, "post", base, {"template": "nope", "party": lc.perpetrator.pk}), 422)
    assert unknown["errors"][0]["field"] == "template"
    stranger = assert_problem(call(lc.officer, "post", base, {"template": "warning-letter", "party": 999999}), 422)
    assert stranger["errors"][0]["field"] == "party"
    wrong = assert_problem(call(lc.officer, "post", base, {"template": "warning-letter", "party": lc.victim.pk}), 422)
    assert wrong["errors"][0]["field"] == "template"


def test_the_bundle_is_a_pdf_for_staff_who_see_the_case_and_a_404_for_others(
    lc: LetterCase, call: Callable[..., Any], make_staff: Callable[..., User]
) -> None:
    url = f"/api/v1/cases/{lc.case.reference}/bundle"
    built = call(lc.officer, "post", url)
    assert (built.status_code, built["Content-Type"]) == (200, "application/pdf")
    text = _text(built.content)
    assert f"Evidence bundle: {lc.case.reference}" in text
    assert "07700 900123" not in text
    assert AuditEvent.objects.filter(verb="bundle.created").count() == 1
    stranger = make_staff(Role.OFFICER, username="stranger")
    assert_problem(call(stranger, "post", url), 404)
    assert_problem(call(stranger, "get", f"/api/v1/cases/{lc.case.reference}/letters"), 404)
