"""The DPO's audit search in words (issue 14 item 16): what happened and which record, not raw codes; a case found by
its reference; refused reads (a case one may not see, an evidence download, any 403) recorded; a 403 logged once,
without a traceback."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Sensitivity
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import LABELS, AuditVerb, verb_label
from saferhomes.core.models import AuditEvent
from tests.cases.factories import CaseFactory
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as
from tests.intake.triage_helpers import submit

pytestmark = pytest.mark.django_db

SEARCH_URL = "/staff/privacy/audit/"


@pytest.fixture
def dpo(staff_client: Callable[..., Client]) -> Client:
    return staff_client(Role.DPO)


def test_every_audit_verb_has_words_for_the_dpo() -> None:
    assert set(LABELS) == set(AuditVerb)
    assert all(label and label[0].isupper() and "_" not in label for label in LABELS.values())
    assert AuditVerb.CASE_CLOSED.label == "Case closed"
    assert verb_label("case.closed") == "Case closed"
    assert verb_label("import.finished") == "Import finished"  # a code no longer in the enum still reads as words


def test_results_name_a_case_by_its_reference_and_what_happened_in_words(dpo: Client, officer_olivia: User) -> None:
    case = CaseFactory.create()
    audit(actor=officer_olivia, verb=AuditVerb.CASE_CLOSED, obj=case)

    page = " ".join(dpo.get(SEARCH_URL).content.decode().split())

    assert f"Case {case.reference}" in page
    assert f"Case {case.pk} " not in page
    assert "Case closed" in page
    assert '<option value="case.closed">Case closed</option>' in page
    assert '<option value="cases.case">Case</option>' in page


def test_record_id_finds_a_case_by_its_reference_in_any_case(dpo: Client, officer_olivia: User) -> None:
    case, other = CaseFactory.create(), CaseFactory.create()
    audit(actor=officer_olivia, verb=AuditVerb.CASE_CLOSED, obj=case)
    audit(actor=officer_olivia, verb=AuditVerb.CASE_CLOSED, obj=other)

    page = dpo.get(SEARCH_URL, {"object_id": case.reference.lower()}).content.decode()

    assert "Showing 1 to 1 of 1 event" in page
    assert case.reference in page
    assert other.reference not in page


def test_a_case_one_may_not_see_is_a_refused_read_in_the_audit_trail(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.DA, relation="same_team")
    client = client_verified_as(officer)

    assert client.get(f"/staff/cases/{case.reference}/").status_code == 404
    assert client.get("/staff/cases/ASB-2026-999999/").status_code == 404  # no such case: nothing to record

    refused = AuditEvent.objects.get(verb=AuditVerb.CASE_READ_REFUSED)
    assert (refused.actor_id, refused.object_type, refused.object_id) == (officer.pk, "cases.case", str(case.pk))
    assert refused.object_label == case.reference  # the reference only, not the case's summary
    assert refused.reason == f"/staff/cases/{case.reference}/"


def test_a_refused_evidence_download_is_recorded(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.RESTRICTED, relation="other_team")

    response = client_verified_as(officer).get(f"/staff/cases/{case.reference}/evidence/1/")

    assert response.status_code == 404
    refused = AuditEvent.objects.get(verb=AuditVerb.CASE_READ_REFUSED)
    assert refused.reason == f"/staff/cases/{case.reference}/evidence/1/"


def test_a_403_is_recorded_and_logged_once_without_a_traceback(
    staff_client: Callable[..., Client], log_output: io.StringIO
) -> None:
    response = staff_client(Role.OFFICER).get(SEARCH_URL)

    assert response.status_code == 403
    forbidden = AuditEvent.objects.get(verb=AuditVerb.REQUEST_FORBIDDEN)
    assert (forbidden.actor_label, forbidden.reason) == ("officer_olivia", SEARCH_URL)
    written = log_output.getvalue()
    assert written.count(f"Forbidden (Permission denied): {SEARCH_URL}") == 1
    assert "Traceback" not in written


def test_a_report_one_may_not_see_is_a_refused_read_in_the_audit_trail(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    report = submit(problem="domestic_abuse")  # DA reports: DA specialists and managers only

    assert client_verified_as(officer).get(f"/staff/reports/{report.reference}/").status_code == 404

    refused = AuditEvent.objects.get(verb=AuditVerb.REPORT_READ_REFUSED)
    assert (refused.actor_id, refused.object_type, refused.object_label) == (
        officer.pk,
        "intake.report",
        report.reference,
    )
