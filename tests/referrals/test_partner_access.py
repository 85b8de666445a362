"""What a partner reads and writes (referrals.selectors.partner, referrals.services.partner): exactly the shared parts
of cases actively shared with their agency, a 404 with no hint for anything else, every read audited, and updates
that land on the case timeline marked as from their agency."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from saferhomes.cases.models import CaseType
from saferhomes.cases.timeline import case_timeline
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import PartnerMembership, PartnerUpdate, SharePart
from saferhomes.referrals.selectors.partner import (
    NOT_SHARED,
    shared_case_for,
    shared_cases_for,
    shared_document_for,
)
from saferhomes.referrals.services.partner import partner_update_add
from saferhomes.risk.selectors.assessments import band_label
from tests.cases.factories import CaseFactory
from tests.cases.record_helpers import EXE_BYTES, evidence_dir_fixture  # noqa: F401
from tests.factories import UserFactory
from tests.referrals.partner_helpers import (
    ALL_PARTS,
    INCIDENT_PLACE,
    PERPETRATOR_NAME,
    PNG,
    VICTIM_NAME,
    council_agency,
    evidence_of,
    full_case,
    idva_agency,
    latest_assessment_of,
    partner_of,
    share_of,
)

pytestmark = pytest.mark.django_db


def test_a_partner_sees_exactly_the_parts_shared_and_nothing_else(evidence_dir: Path) -> None:
    council = council_agency()
    pete = partner_of(council, "partner_pete")
    case = full_case()
    share_of(case, council, [SharePart.SUMMARY])

    shared = shared_case_for(actor=pete, reference=case.reference.lower())

    assert shared.reference == case.reference
    assert shared.parts == ["summary"]
    assert shared.summary is not None
    assert (shared.summary.summary, shared.summary.description) == (
        "Drug dealing from the flat",
        "Visitors at all hours; needles in the stairwell.",
    )
    assert shared.summary.status == "Open"
    assert shared.incidents is None
    assert shared.documents is None
    assert (shared.risk_shared, shared.risk) == (False, None)
    words = repr(shared)
    for secret in (*VICTIM_NAME, *PERPETRATOR_NAME, "07700 900123", INCIDENT_PLACE):
        assert secret not in words


def test_every_part_shows_only_what_the_part_defines(evidence_dir: Path) -> None:
    council = council_agency()
    pete = partner_of(council, "partner_pete")
    case = full_case()
    share_of(case, council, ALL_PARTS)

    shared = shared_case_for(actor=pete, reference=case.reference)

    assert shared.incidents is not None
    assert [(i.description, i.source) for i in shared.incidents] == [("Shouting and a door kicked in", "Report")]
    assessment = latest_assessment_of(case)
    assert shared.risk is not None
    assert shared.risk.band == band_label(assessment.instrument, assessment.band) == "High"
    assert shared.risk.assessed_on == timezone.localdate(assessment.assessed_at)
    assert shared.documents is not None
    assert [(d.name, d.content_type, d.description) for d in shared.documents] == [
        ("door.png", "image/png", "The kicked-in door")
    ]
    words = repr(shared)
    for secret in (*VICTIM_NAME, *PERPETRATOR_NAME, "07700 900123", INCIDENT_PLACE, "answers", "score"):
        assert secret not in words


def test_risk_shared_before_any_assessment_says_so() -> None:
    council = council_agency()
    case = CaseFactory.create()
    share_of(case, council, [SharePart.RISK])
    shared = shared_case_for(actor=partner_of(council, "partner_pete"), reference=case.reference)
    assert (shared.risk_shared, shared.risk) == (True, None)


def test_reads_are_audited_and_a_refusal_gives_no_hint(evidence_dir: Path) -> None:
    council, idva = council_agency(), idva_agency()
    pete = partner_of(council, "partner_pete")
    case = full_case()
    theirs = CaseFactory.create()
    share_of(case, council)
    share_of(theirs, idva)

    shared_case_for(actor=pete, reference=case.reference)
    with pytest.raises(Http404) as refused:
        shared_case_for(actor=pete, reference=theirs.reference)
    with pytest.raises(Http404) as missing:
        shared_case_for(actor=pete, reference="ASB-2099-999999")

    assert str(refused.value) == str(missing.value) == NOT_SHARED
    read = AuditEvent.objects.get(verb=AuditVerb.SHARED_CASE_READ)
    assert (read.actor, read.object_type) == (pete, "referrals.caseshare")
    assert read.after == {"case": case.reference, "agency": "council-asb", "parts": ["summary"]}
    refusals = AuditEvent.objects.filter(verb=AuditVerb.SHARED_CASE_READ_REFUSED).order_by("id")
    assert [(e.object_type, e.object_id, e.object_label) for e in refusals] == [
        ("cases.case", str(theirs.pk), theirs.reference),
        ("cases.case", "", "ASB-2099-999999"),
    ]


def test_the_list_holds_active_shares_of_the_agency_only_soonest_first_and_is_audited() -> None:
    council, idva = council_agency(), idva_agency()
    pete = partner_of(council, "partner_pete")
    today = timezone.localdate()
    later = share_of(CaseFactory.create(), council, ALL_PARTS, ends_on=today + dt.timedelta(days=40)).case
    sooner = share_of(CaseFactory.create(), council, [SharePart.SUMMARY], ends_on=today).case
    share_of(CaseFactory.create(), council, ends_on=today - dt.timedelta(days=1))  # ended yesterday
    share_of(CaseFactory.create(), council, withdrawn_at=timezone.now(), withdrawn_reason="Done")
    share_of(CaseFactory.create(), council, starts_at=timezone.now() + dt.timedelta(hours=2))  # not started
    share_of(CaseFactory.create(), idva)  # another agency's

    rows = shared_cases_for(actor=pete)

    assert [(r.reference, r.parts_words, r.ends_on) for r in rows] == [
        (sooner.reference, "Summary", today),
        (later.reference, "Summary, incidents, risk result and documents", today + dt.timedelta(days=40)),
    ]
    event = AuditEvent.objects.get(verb=AuditVerb.SHARED_CASE_READ)
    assert event.after == {"agency": "council-asb", "cases": [sooner.reference, later.reference]}


def test_the_list_costs_the_same_queries_for_two_cases_or_twenty(django_assert_max_num_queries) -> None:
    council = council_agency()
    pete = partner_of(council, "partner_pete")
    for _ in range(2):
        share_of(CaseFactory.create(), council)
    with django_assert_max_num_queries(5) as few:
        assert len(shared_cases_for(actor=pete)) == 2
    for _ in range(18):
        share_of(CaseFactory.create(), council)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(shared_cases_for(actor=pete)) == 20


def test_a_partner_without_a_membership_or_whose_agency_is_inactive_sees_nothing() -> None:
    council = council_agency()
    case = CaseFactory.create()
    share_of(case, council)
    loner = UserFactory.create(username="partner_nobody", role="partner", team=None)
    pete = partner_of(council, "partner_pete")

    assert shared_cases_for(actor=loner) == []
    with pytest.raises(Http404):
        shared_case_for(actor=loner, reference=case.reference)
    council.active = False
    council.save(update_fields=["active"])
    assert shared_cases_for(actor=pete) == []
    with pytest.raises(Http404):
        shared_case_for(actor=pete, reference=case.reference)


def test_staff_holding_a_membership_still_see_no_shared_case(make_staff) -> None:
    council = council_agency()
    officer = make_staff("officer")
    PartnerMembership.objects.create(user=officer, agency=council)
    case = CaseFactory.create()
    share_of(case, council)
    assert shared_cases_for(actor=officer) == []  # no referrals.view_shared_cases
    with pytest.raises(Http404):
        shared_case_for(actor=officer, reference=case.reference)


def test_a_da_case_shared_with_an_agency_that_lost_its_da_flag_shows_nothing() -> None:
    idva = idva_agency()
    ida = partner_of(idva, "partner_ida")
    case = CaseFactory.create(case_type=CaseType.DA)
    share_of(case, idva)
    assert [row.reference for row in shared_cases_for(actor=ida)] == [case.reference]
    idva.handles_da = False
    idva.save(update_fields=["handles_da"])
    assert shared_cases_for(actor=ida) == []
    with pytest.raises(Http404):
        shared_case_for(actor=ida, reference=case.reference)


def test_a_document_is_downloaded_only_while_documents_are_shared(evidence_dir: Path) -> None:
    council = council_agency()
    pete = partner_of(council, "partner_pete")
    case = full_case()
    evidence = evidence_of(case)
    other = full_case(CaseFactory.create().assigned_officer)
    share_of(case, council, [SharePart.SUMMARY])
    with pytest.raises(Http404):
        shared_document_for(actor=pete, reference=case.reference, document_id=evidence.pk)

    case.shares.update(parts=[SharePart.DOCUMENTS])
    assert shared_document_for(actor=pete, reference=case.reference, document_id=evidence.pk) == evidence
    with pytest.raises(Http404):  # a file of another case, through this case's address
        shared_document_for(actor=pete, reference=case.reference, document_id=evidence_of(other).pk)
    event = AuditEvent.objects.get(verb=AuditVerb.SHARED_CASE_READ)
    assert event.after == {"case": case.reference, "agency": "council-asb", "document": evidence.pk}


def test_an_update_with_a_document_lands_on_the_timeline_from_the_agency(evidence_dir: Path) -> None:
    council = council_agency()
    pete = partner_of(council, "partner_pete")
    pete.first_name, pete.last_name = "Pete", "Marsh"
    pete.save()
    case = CaseFactory.create()
    share = share_of(case, council)

    update = partner_update_add(
        actor=pete,
        share=share,
        text="  Community protection warning served on Tuesday.  ",
        file=SimpleUploadedFile("cpw.png", PNG, content_type="application/pdf"),
    )

    assert (update.case, update.agency, update.text) == (
        case,
        council,
        "Community protection warning served on Tuesday.",
    )
    assert (update.original_name, update.content_type) == ("cpw.png", "image/png")  # the type is read from the bytes
    assert update.file.name.endswith(".png")
    assert AuditEvent.objects.get(verb=AuditVerb.PARTNER_UPDATE_ADDED).object_label == (
        f"{case.reference}: update from Example Council ASB Team"
    )
    entry = next(e for e in case_timeline(case=case) if e.obj == update)
    assert (entry.kind_label, entry.title) == ("Partner", "Update from Example Council ASB Team")
    assert entry.actor == "Pete Marsh, Example Council ASB Team"
    assert entry.details == ["Community protection warning served on Tuesday.", "Document: cpw.png"]


def test_an_update_needs_words_and_an_acceptable_file(evidence_dir: Path) -> None:
    council = council_agency()
    pete = partner_of(council, "partner_pete")
    share = share_of(CaseFactory.create(), council)
    with pytest.raises(DomainError) as blank:
        partner_update_add(actor=pete, share=share, text="  ")
    assert blank.value.field_errors == {"text": ["Enter your update"]}
    with pytest.raises(DomainError) as program:
        partner_update_add(actor=pete, share=share, text="See attached", file=SimpleUploadedFile("x.exe", EXE_BYTES))
    assert list(program.value.field_errors) == ["file"]
    assert not PartnerUpdate.objects.exists()
    stored = [path for path in evidence_dir.rglob("*") if path.is_file()] if evidence_dir.exists() else []
    assert stored == []


def test_an_update_after_the_share_ended_or_by_another_agency_is_404() -> None:
    council, idva = council_agency(), idva_agency()
    pete, ida = partner_of(council, "partner_pete"), partner_of(idva, "partner_ida")
    share = share_of(CaseFactory.create(), council)
    with pytest.raises(Http404):
        partner_update_add(actor=ida, share=share, text="Not ours")
    share.withdrawn_at, share.withdrawn_reason = timezone.now(), "Done"
    share.save()
    with pytest.raises(Http404):
        partner_update_add(actor=pete, share=share, text="Too late")
    assert not PartnerUpdate.objects.exists()
