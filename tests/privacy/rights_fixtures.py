"""A subject and the people around them, each with unique sentinel values, for the subject access tests: the
subject is the reporter on case A (register person), the victim on case B (matched by email), a witness on case C
(matched by full name and date of birth), made a report (by email) and a Case Review application (by phone). Other
people on the same cases carry their own sentinels; none of theirs may reach the export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review.models import Application
from saferhomes.cases.models import Contact, EvidenceFile, Incident, Note, PartyRole
from saferhomes.documents.models import Letter, LetterTemplate, LetterTemplateVersion
from saferhomes.insights.models import EqualityMonitoring
from saferhomes.intake.models import DiaryEntry, OutboundMessage, Report, ReportAttachment
from saferhomes.interventions.models import Intervention
from saferhomes.interventions.selectors.interventions import catalogue_current
from saferhomes.privacy.models_rights import RightsKind, RightsRequest
from saferhomes.referrals.models import SupportOffer
from saferhomes.risk.models import Assessment, MaracDecision
from tests.cases.factories import CaseFactory, PartyFactory
from tests.housing.factories import PersonFactory, TenancyMemberFactory
from tests.risk.assessment_helpers import MATRIX, matrix_answers, published

SUBJECT: dict[str, Any] = {
    "first": "Alethea",
    "last": "Subjectsentinel",
    "email": "alethea.subject@example.org",
    "phone": "07700 900111",
    "dob": dt.date(1980, 5, 17),
}
SUBJECT_SENTINELS = [
    "Subjectsentinel",
    "SUBJ-REPORT-TEXT",
    "SUBJ-DIARY-TEXT",
    "SUBJ-CONTACT-TEXT",
    "SUBJ-INCIDENT-B",
    "SUBJ-WITNESSED-C",
    "SUBJ-LETTER-TEXT",
    "SUBJ-APPLICATION-TEXT",
    "SUBJ-NOTE-A",
    "SUBJ-RISK-REASON",
]
# Other people: names, contact details, addresses and their own records' text.
OTHER_SENTINELS = [
    "Zorblax",
    "Quentworth",
    "zorblax.q@example.net",
    "900999",
    "13 Perpetrator Row",
    "Mirabel",
    "Otherwitness",
    "mirabel.o@example.net",
    "900888",
    "OTHER-REPORT-TEXT",
    "OTHER-INCIDENT-C",
    "OTHER-PARTY-NOTES",
    "OTHER-INTERVENTION",
    "Grizelda",
    "Victimperson",
]


@dataclass
class World:
    subject_person: object
    rights_request: RightsRequest
    expected: dict[str, int] = field(default_factory=dict)


def _letter(case, party, by: User) -> Letter:
    template = LetterTemplate.objects.first() or LetterTemplate.objects.create(
        key="sar-test", name="Test letter", audience="reporter", body="Dear {{ party.name }}"
    )
    version = template.versions.first() or LetterTemplateVersion.objects.create(
        template=template, version=1, name=template.name, audience=template.audience, body=template.body
    )
    letter = Letter(
        case=case,
        party=party,
        recipient_name="Alethea Subjectsentinel",
        template=template,
        template_version=version,
        text="Dear Alethea, about Zorblax Quentworth: SUBJ-LETTER-TEXT",
        sha256="0" * 64,
        sent_by=by,
    )
    letter.pdf.save("letter.pdf", ContentFile(b"%PDF-1.4 letter to the subject"), save=False)
    letter.save()
    return letter


def build_world(*, handler: User, officer: User) -> World:
    person = PersonFactory.create(
        first_name=SUBJECT["first"],
        last_name=SUBJECT["last"],
        email="alethea.register@example.org",
        phone=SUBJECT["phone"],
        date_of_birth=SUBJECT["dob"],
    )
    TenancyMemberFactory.create(person=person)
    now = timezone.now()
    # Case A: the subject is the reporter (register person); Zorblax Quentworth is the alleged perpetrator.
    case_a = CaseFactory.create(summary="Noise from Zorblax Quentworth", description="Zorblax shouts at Alethea")
    reporter_a = PartyFactory.create(case=case_a, role=PartyRole.REPORTER, person=person, first_name="", last_name="")
    PartyFactory.create(
        case=case_a,
        role=PartyRole.ALLEGED_PERPETRATOR,
        first_name="Zorblax",
        last_name="Quentworth",
        email="zorblax.q@example.net",
        phone="07700 900999",
        address="13 Perpetrator Row, Exampleton",
        notes="OTHER-PARTY-NOTES",
    )
    Note.objects.create(case=case_a, text="Alethea called about Zorblax Quentworth (07700 900999). SUBJ-NOTE-A")
    Contact.objects.create(
        case=case_a,
        party=reporter_a,
        method="phone",
        occurred_at=now,
        summary="Told Alethea that Quentworth was warned; SUBJ-CONTACT-TEXT",
    )
    _letter(case_a, reporter_a, officer)
    EqualityMonitoring.objects.create(party=reporter_a, sex="female", recorded_by=officer)
    staff_evidence = EvidenceFile(
        case=case_a, original_name="cctv.txt", content_type="text/plain", size=5, sha256="1" * 64, uploaded_by=officer
    )
    staff_evidence.file.save("cctv.txt", ContentFile(b"CCTV of Zorblax"), save=False)
    staff_evidence.save()
    # The subject's report on case A (matched by email), with a diary entry, a file and an acknowledgement.
    report = Report.objects.create(
        reference="RPT-SAR-0001",
        channel="web",
        received_at=now - dt.timedelta(days=3),
        case_type="asb",
        description="SUBJ-REPORT-TEXT: the man at number 13, Zorblax, plays music",
        first_name="Alethea",
        last_name="Subjectsentinel",
        email=SUBJECT["email"],
        status="added_to_case",
        case=case_a,
    )
    DiaryEntry.objects.create(report=report, occurred_at=now, description="SUBJ-DIARY-TEXT loud again")
    own_evidence = EvidenceFile(
        case=case_a, original_name="my-recording.txt", content_type="text/plain", size=4, sha256="2" * 64
    )
    own_evidence.file.save("mine.txt", ContentFile(b"mine"), save=False)
    own_evidence.save()
    attachment = ReportAttachment(
        report=report, original_name="my-recording.txt", content_type="text/plain", size=4, sha256="2" * 64
    )
    attachment.evidence = own_evidence
    attachment.file.save("mine2.txt", ContentFile(b"mine"), save=False)
    attachment.save()
    OutboundMessage.objects.create(
        report=report, kind="acknowledgement", channel="email", to=SUBJECT["email"], body="Thanks"
    )
    # Someone else's report on case A.
    Report.objects.create(
        reference="RPT-SAR-0002",
        channel="phone",
        received_at=now - dt.timedelta(days=2),
        case_type="asb",
        description="OTHER-REPORT-TEXT",
        first_name="Mirabel",
        last_name="Otherwitness",
        email="mirabel.o@example.net",
        phone="07700 900888",
        status="added_to_case",
        case=case_a,
    )
    # Case B: the subject is the victim (ad hoc, by email); the perpetrator again.
    case_b = CaseFactory.create(summary="Harassment", description="Quentworth follows the victim")
    victim_b = PartyFactory.create(
        case=case_b, role=PartyRole.VICTIM, first_name="Alethea", last_name="Subjectsentinel", email=SUBJECT["email"]
    )
    perp_b = PartyFactory.create(
        case=case_b, role=PartyRole.ALLEGED_PERPETRATOR, first_name="Zorblax", last_name="Quentworth"
    )
    incident_b = Incident.objects.create(
        case=case_b, occurred_at=now, description="SUBJ-INCIDENT-B Zorblax followed Alethea home"
    )
    incident_b.parties_involved.add(victim_b, perp_b)
    assessment = Assessment.objects.create(
        case=case_b,
        instrument=published(MATRIX),
        answers=matrix_answers(),
        score=0,
        band="standard",
        reasons=["SUBJ-RISK-REASON"],
        notes="Alethea fears Zorblax",
        subject=victim_b,
        assessed_by=officer,
    )
    MaracDecision.objects.create(case=case_b, assessment=assessment, required=False)
    # An intervention against the perpetrator: theirs, not the subject's (never exported).
    catalogue = catalogue_current()
    definition = catalogue.kind("nosp")
    assert definition is not None
    Intervention.objects.create(
        case=case_b,
        party=perp_b,
        kind="nosp",
        catalogue=catalogue,
        formal=bool(definition["formal"]),
        rung=definition["rung"],
        proportionality="Zorblax Quentworth was warned: OTHER-INTERVENTION",
        proposed_by=officer,
    )
    SupportOffer.objects.create(case=case_b, party=victim_b, kind="victim_support", offered_at=now, created_by=officer)
    # Case C: the subject is a witness (full name and date of birth); Mirabel Otherwitness reported it.
    case_c = CaseFactory.create(summary="Graffiti by Mirabel's neighbour", description="OTHER-INCIDENT-C")
    witness_c = PartyFactory.create(
        case=case_c,
        role=PartyRole.WITNESS,
        first_name="alethea",
        last_name="SUBJECTSENTINEL",
        date_of_birth=SUBJECT["dob"],
    )
    PartyFactory.create(
        case=case_c,
        role=PartyRole.REPORTER,
        first_name="Mirabel",
        last_name="Otherwitness",
        email="mirabel.o@example.net",
        phone="07700 900888",
    )
    seen = Incident.objects.create(case=case_c, occurred_at=now, description="SUBJ-WITNESSED-C Mirabel saw it too")
    seen.witnesses.add(witness_c)
    Incident.objects.create(case=case_c, occurred_at=now, description="OTHER-INCIDENT-C not seen by the subject")
    # A Case Review application by the subject (matched by phone), on behalf of nobody.
    Application.objects.create(
        reference="CR-2026-990001",
        channel="phone",
        received_at=now,
        first_name="A.",
        last_name="Subjectsentinel",
        phone="+44 7700 900111",
        description="SUBJ-APPLICATION-TEXT: Zorblax Quentworth again",
        contact_methods=["letter"],
    )
    # Someone else's application about Grizelda Victimperson (must not be found).
    Application.objects.create(
        reference="CR-2026-990002",
        channel="phone",
        received_at=now,
        first_name="Grizelda",
        last_name="Victimperson",
        phone="07700 900777",
        description="Grizelda's own application",
        contact_methods=["letter"],
    )
    rights_request = RightsRequest.objects.create(
        kind=RightsKind.ACCESS,
        requester_name="Alethea Subjectsentinel",
        person=person,
        subject_names=["Alethea Subjectsentinel"],
        subject_dob=SUBJECT["dob"],
        subject_emails=[SUBJECT["email"]],
        subject_phones=[SUBJECT["phone"]],
        received_on=timezone.localdate(),
        due_on=timezone.localdate() + dt.timedelta(days=30),
        identity_verified_how="Passport seen at the office",
        identity_verified_by=handler,
        identity_verified_at=now,
        created_by=handler,
    )
    expected = {
        "person": 1,
        "tenancy": 1,
        "party": 3,
        "case": 3,
        "report": 1,
        "diary_entry": 1,
        "report_file": 1,
        "message": 1,
        "incident": 2,
        "contact": 1,
        "note": 1,
        "evidence": 2,
        "letter": 1,
        "support": 1,
        "application": 1,
        "equality": 1,
        "assessment": 1,
        "marac": 1,
    }
    return World(subject_person=person, rights_request=rights_request, expected=expected)
