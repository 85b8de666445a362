"""Issue 19 part 4, Done when: "a SAR export for a person contains every record about them and no other person's
details". The subject is a reporter, a victim, a witness, made a report and a Case Review application; other people
on the same cases carry their own sentinels. The ZIP's records.json and the text of summary.pdf are searched."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from pypdf import PdfReader

from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.privacy.models_rights import SubjectAccessExport
from saferhomes.privacy.selectors.subject_access import subject_access_search
from saferhomes.privacy.services.subject_access import subject_access_export, subject_access_review_save
from tests.privacy.rights_fixtures import OTHER_SENTINELS, SUBJECT_SENTINELS, build_world

pytestmark = pytest.mark.django_db


def _unzip(export: SubjectAccessExport) -> tuple[dict, str, list[str]]:
    with export.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    document = json.loads(archive.read("records.json"))
    reader = PdfReader(io.BytesIO(archive.read("summary.pdf")))
    pdf_text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    return document, pdf_text, archive.namelist()


@pytest.fixture
def world(make_staff):
    return build_world(handler=make_staff(Role.DPO), officer=make_staff(Role.OFFICER))


def test_sar_export_holds_every_record_about_the_subject_and_no_other_persons_details(world, dpo_daniel) -> None:
    export = subject_access_export(actor=dpo_daniel, rights_request=world.rights_request)
    document, pdf_text, _names = _unzip(export)
    counts = document["counts"]
    for kind, expected in world.expected.items():
        assert counts.get(kind) == expected, (kind, counts)
    assert "intervention" not in counts  # the only one is against the perpetrator
    raw_json = json.dumps(document)
    for sentinel in SUBJECT_SENTINELS:
        assert sentinel in raw_json, sentinel
    for sentinel in OTHER_SENTINELS:
        assert sentinel.lower() not in raw_json.lower(), sentinel
        assert sentinel.lower() not in pdf_text.lower(), sentinel
    assert "Subjectsentinel" in pdf_text
    assert "SUBJ-NOTE-A" in pdf_text
    assert "Alleged perpetrator: [third party]" in raw_json
    assert "[third party]" in pdf_text


def test_only_the_subjects_own_files_are_copied_the_rest_are_listed_as_withheld(world, dpo_daniel) -> None:
    export = subject_access_export(actor=dpo_daniel, rights_request=world.rights_request)
    document, pdf_text, names = _unzip(export)
    files = [name for name in names if name.startswith("files/")]
    # The letter to them, the file with their report and its copy on the case; not the officer's CCTV file.
    assert len(files) == 3
    assert export.files_withheld == 1
    assert document["files_withheld"] == 1
    assert "withheld because it shows other people" in pdf_text


def test_export_is_audited_and_listed_in_the_disclosure_log(world, dpo_daniel, staff_client) -> None:
    export = subject_access_export(actor=dpo_daniel, rights_request=world.rights_request)
    event = AuditEvent.objects.get(verb=AuditVerb.SUBJECT_ACCESS_EXPORTED)
    assert event.after is not None
    assert event.after["export"] == export.pk
    page = staff_client(Role.DPO, username="dpo_two").get("/staff/privacy/disclosures/")
    assert page.status_code == 200
    assert world.rights_request.reference in page.content.decode()


def test_a_record_left_out_by_the_reviewer_is_not_exported(world, dpo_daniel) -> None:
    found = subject_access_search(actor=dpo_daniel, rights_request=world.rights_request)
    tenancy = next(r for r in found.records if r.kind == "tenancy")
    keys = [r.key for r in found.records]
    subject_access_review_save(
        actor=dpo_daniel,
        rights_request=world.rights_request,
        shown_keys=keys,
        included_keys=[k for k in keys if k != tenancy.key],
        extra_redactions=["SUBJ-DIARY-TEXT"],
    )
    world.rights_request.refresh_from_db()
    document, _pdf, _names = _unzip(subject_access_export(actor=dpo_daniel, rights_request=world.rights_request))
    assert "tenancy" not in document["counts"]
    assert "SUBJ-DIARY-TEXT" not in json.dumps(document)


def test_search_reads_one_query_per_record_kind(world, dpo_daniel, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(30):
        found = subject_access_search(actor=dpo_daniel, rights_request=world.rights_request, audited=False)
    assert found.counts()["case"] == 3


def test_every_found_record_says_why_it_matched(world, dpo_daniel) -> None:
    found = subject_access_search(actor=dpo_daniel, rights_request=world.rights_request)
    reasons = {r.kind: r.reason for r in found.records}
    assert all(r.reason for r in found.records)
    assert "phone number" in reasons["application"]
    parties = sorted(r.reason for r in found.records if r.kind == "party")
    assert parties == [
        "matched by email address",
        "matched by full name and date of birth",
        "matched by register person",
    ]
    assert AuditEvent.objects.filter(verb=AuditVerb.SUBJECT_ACCESS_SEARCHED).count() == 1


def test_the_search_does_not_grow_in_queries_with_more_cases(world, dpo_daniel) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cases.factories import CaseFactory, PartyFactory

    subject_access_search(actor=dpo_daniel, rights_request=world.rights_request, audited=False)  # permissions cached
    with CaptureQueriesContext(connection) as before:
        subject_access_search(actor=dpo_daniel, rights_request=world.rights_request, audited=False)
    for _ in range(3):
        PartyFactory.create(case=CaseFactory.create(), role="victim", person=world.subject_person)
    with CaptureQueriesContext(connection) as after:
        found = subject_access_search(actor=dpo_daniel, rights_request=world.rights_request, audited=False)
    assert found.counts()["case"] == 6
    assert len(after.captured_queries) == len(before.captured_queries)
