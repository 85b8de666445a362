"""A fully populated closed case for the anonymisation tests: every kind of record a case can have, made with the
services where they exist (so their audit events are real) and directly otherwise, every personal value a unique
sentinel (names, addresses, phone numbers, emails, free text, file contents) so that a search of the whole database
and storage can prove none is left. Synthetic people only. Needs the `evidence_dir` fixture (a throwaway VAR_DIR)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review.models import Application, CaseReviewTold, ThresholdComplaint
from saferhomes.cases.models import (
    AccessGrant,
    ActionItem,
    Case,
    CaseLink,
    Contact,
    ContactPlan,
    EvidenceFile,
    Incident,
    Party,
    PartyRole,
    SurveyInvitation,
)
from saferhomes.cases.services.evidence import evidence_upload
from saferhomes.cases.services.party import PartyDetails, party_add
from saferhomes.cases.services.record import note_add
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.documents.models import Letter, LetterTemplate, LetterTemplateVersion
from saferhomes.insights.models import EqualityMonitoring
from saferhomes.intake.models import DiaryEntry, InboundEmail, OutboundMessage, Report, ReportAttachment, StatusLink
from saferhomes.interventions.models import Catalogue, Intervention, Milestone
from saferhomes.privacy.models import LegalHold
from saferhomes.referrals.models import (
    CaseConference,
    ConferenceAction,
    Disclosure,
    MaracForm,
    PartnerUpdate,
    SupportOffer,
)
from saferhomes.risk.models import Assessment, ChecklistWaiver, MaracDecision
from tests.cases.factories import CaseFactory, force_status
from tests.housing.factories import EstateFactory, PersonFactory, PropertyFactory
from tests.referrals.factories import AgencyFactory, CaseShareFactory, ReferralFactory
from tests.risk.assessment_helpers import CHECKLIST, checklist_answers, published


@dataclass
class FullCase:
    case: Case
    officer: User
    values: list[str] = field(default_factory=list)  # every sentinel: none may remain after anonymisation

    def s(self, what: str) -> str:
        """A unique sentinel string (recorded)."""
        value = f"Zq{self.tag}{what}Vx"
        self.values.append(value)
        return value

    tag: str = ""


def _text(full: FullCase, what: str) -> str:
    return f"Free text about {full.s(what)} on the case"


def full_case(officer: User, manager: User, *, tag: str, closed_days_ago: int = 30) -> FullCase:
    """A closed ASB case holding every kind of record, its sentinels tagged `tag` (two cases: two tags)."""
    estate = EstateFactory.create()
    home = PropertyFactory.create(estate=estate)
    received = timezone.now() - dt.timedelta(days=closed_days_ago + 60)
    case = CaseFactory.create(
        assigned_officer=officer, team=officer.team, estate=estate, received_at=received, triaged_at=received
    )
    full = FullCase(case=case, officer=officer, tag=tag)
    force_status(case, "open")
    case.properties.add(home)
    Case.objects.filter(pk=case.pk).update(
        description=_text(full, "casedesc"),
        location_text=full.s("caseloc"),
        urgent_reason=_text(full, "urgentreason"),
    )
    digits = f"{sum(ord(c) for c in tag) % 1000:03d}"
    phone = f"07700 900{digits}"
    email = f"{tag.lower()}.sentinel@example.org"
    full.values += [phone, email]
    victim = party_add(
        actor=officer,
        case=case,
        details=PartyDetails(
            role=PartyRole.VICTIM,
            first_name=full.s("First"),
            last_name=full.s("Last"),
            date_of_birth=dt.date(1980, 1, 2),
            phone=phone,
            email=email,
            address=f"{full.s('Addr')} Terrace, Exampleton",
            safe_contact_notes=_text(full, "safenotes"),
            safe_times=full.s("safetimes"),
            contact_methods=("phone",),
            contact_avoid=("letter",),
            vulnerabilities=_text(full, "vuln"),
            reasonable_adjustments=_text(full, "adjust"),
            notes=_text(full, "partynotes"),
        ),
    )
    register_person = PersonFactory.create()  # the register is not the case's: its link is cut, the person kept
    perpetrator = Party.objects.create(
        case=case, role=PartyRole.ALLEGED_PERPETRATOR, person=register_person, organisation=full.s("Org")
    )
    EqualityMonitoring.objects.create(party=victim, age_band="35_44", recorded_by=officer)
    incident = Incident.objects.create(
        case=case,
        occurred_at=timezone.now() - dt.timedelta(days=3),
        property=home,
        location_text=full.s("incloc"),
        description=_text(full, "incdesc"),
        created_by=officer,
    )
    incident.parties_involved.add(perpetrator)
    evidence_upload(
        actor=officer,
        case=case,
        file=SimpleUploadedFile(f"{full.s('evname')}.txt", _text(full, "evcontent").encode(), "text/plain"),
        description=full.s("evdesc"),
        incident=incident,
    )
    note_add(actor=officer, case=case, text=_text(full, "note"))
    Contact.objects.create(
        case=case,
        party=victim,
        method="phone",
        occurred_at=timezone.now() - dt.timedelta(days=2),
        summary=_text(full, "contact"),
        override_reason=_text(full, "override"),
        created_by=officer,
    )
    ActionItem.objects.create(case=case, description=_text(full, "action"), done_note=full.s("donenote"))
    ContactPlan.objects.create(
        case=case,
        party=victim,
        frequency_days=7,
        method="phone",
        safe_times=full.s("plantimes"),
        language=full.s("lang"),
        agreed_at=timezone.now(),
        next_due_at=timezone.now() + dt.timedelta(days=7),
    )
    AccessGrant.objects.create(
        case=case, user=manager, reason=_text(full, "grant"), expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    SurveyInvitation.objects.create(
        case=case,
        party=victim,
        token_hash=f"{tag}-survey".ljust(64, "0"),
        delivery_note=full.s("delivnote"),
        answered_at=timezone.now(),
        satisfaction=4,
        could_do_better=_text(full, "survey"),
    )
    other = CaseFactory.create()
    CaseLink.objects.create(from_case=case, to_case=other, reason="other", note=full.s("linknote"), created_by=officer)
    assessment = Assessment.objects.create(
        case=case,
        instrument=published(CHECKLIST),
        answers=checklist_answers(yes=15),
        score=15,
        yes_count=15,
        computed_band="high",
        band="high",
        reasons=[full.s("reasonline")],
        override_reason=_text(full, "riskoverride"),
        notes=_text(full, "risknotes"),
        assessed_by=officer,
    )
    decision = MaracDecision.objects.create(
        case=case,
        assessment=assessment,
        required=True,
        professional_judgement_reason=_text(full, "pjr"),
        not_referred_reason=_text(full, "notref"),
    )
    ChecklistWaiver.objects.create(case=case, reason=_text(full, "waiver"), recorded_by=officer)
    template = LetterTemplate.objects.create(key=f"t-{tag.lower()}", name="Test letter", audience="reporter", body="Hi")
    version = LetterTemplateVersion.objects.create(
        template=template, version=1, name="Test letter", audience="reporter", body="Hi"
    )
    Letter.objects.create(
        case=case,
        party=victim,
        recipient_name=full.s("Recipient"),
        template=template,
        template_version=version,
        text=_text(full, "lettertext"),
        pdf=ContentFile(f"%PDF-1.4 {full.s('pdfbody')}".encode(), name="letter.pdf"),
        sha256="0" * 64,
        sent_by=officer,
    )
    agency = AgencyFactory.create()
    referral = ReferralFactory.create(
        case=case,
        agency=agency,
        created_by=officer,
        reason=_text(full, "refreason"),
        information_shared=_text(full, "refinfo"),
        consent_note=full.s("consentnote"),
        crime_reference=full.s("Crime"),
        outcome=_text(full, "refoutcome"),
    )
    MaracForm.objects.create(
        referral=referral,
        decision=decision,
        file=ContentFile(f"%PDF-1.4 {full.s('maracpdf')}".encode(), name="marac.pdf"),
        sha256="1" * 64,
        size=10,
        reason=_text(full, "maracreason"),
        victim_wants=_text(full, "wants"),
        safety_actions=_text(full, "safety"),
        produced_by=officer,
    )
    SupportOffer.objects.create(
        case=case,
        party=victim,
        kind="other",
        offered_at=timezone.now(),
        declined_reason=_text(full, "declined"),
        outcome=_text(full, "supportoutcome"),
        created_by=officer,
    )
    share = CaseShareFactory.create(case=case, agency=agency, created_by=officer, reason=_text(full, "sharereason"))
    PartnerUpdate.objects.create(
        share=share,
        case=case,
        agency=agency,
        text=_text(full, "partnertext"),
        file=ContentFile(f"{full.s('partnerfile')}".encode(), name="update.txt"),
        original_name=full.s("partnername"),
        created_by=officer,
    )
    Disclosure.objects.create(
        case=case,
        agency=agency,
        source="other",
        what=_text(full, "discwhat"),
        reason=_text(full, "discreason"),
        lawful_basis="legal_obligation",
        disclosed_by=officer,
    )
    conference = CaseConference.objects.create(
        case=case,
        held_on=timezone.localdate(),
        attendees=full.s("Attendee"),
        decisions=_text(full, "decisions"),
        created_by=officer,
    )
    ConferenceAction.objects.create(
        conference=conference, description=_text(full, "confaction"), owner_name=full.s("Owner")
    )
    catalogue = Catalogue.objects.order_by("-version").first()
    assert catalogue is not None
    intervention = Intervention.objects.create(
        case=case,
        party=perpetrator,
        kind="warning_letter",
        catalogue=catalogue,
        formal=False,
        rung=1,
        proportionality=_text(full, "proportion"),
        outcome=_text(full, "intoutcome"),
        proposed_by=officer,
    )
    Milestone.objects.create(
        intervention=intervention,
        key="served",
        occurred_on=timezone.localdate(),
        notes=_text(full, "msnotes"),
        details={"said": full.s("msdetail"), "months": 6},
        recorded_by=officer,
    )
    report = Report.objects.create(
        reference=f"R-{tag}",
        channel="web",
        status="case_opened",
        received_at=timezone.now() - dt.timedelta(days=10),
        case_type="asb",
        description=_text(full, "repdesc"),
        occurred_text=full.s("occurred"),
        home=home,
        location_text=full.s("reploc"),
        people_involved=_text(full, "people"),
        impact=_text(full, "impact"),
        on_behalf_name=full.s("Behalf"),
        first_name=full.s("RepFirst"),
        last_name=full.s("RepLast"),
        email=f"rep.{email}",
        phone=f"{phone}9",
        address=full.s("RepAddr"),
        postcode=f"ZZ{digits[:1]} {digits[1:]}Q",
        person=register_person,
        safe_times=full.s("reptimes"),
        safe_contact_notes=_text(full, "repsafe"),
        accessibility_needs=_text(full, "access"),
        reasonable_adjustments=_text(full, "repadjust"),
        triage_note=_text(full, "triage"),
        case=case,
    )
    full.values += [f"rep.{email}", f"{phone}9", f"ZZ{digits[:1]} {digits[1:]}Q"]
    ReportAttachment.objects.create(
        report=report,
        file=ContentFile(f"{full.s('attachcontent')}".encode(), name="a.txt"),
        original_name=full.s("attachname"),
        content_type="text/plain",
        size=10,
        sha256="2" * 64,
    )
    diary = DiaryEntry.objects.create(report=report, occurred_at=timezone.now(), description=_text(full, "diary"))
    ReportAttachment.objects.create(
        diary_entry=diary,
        file=ContentFile(f"{full.s('diaryfile')}".encode(), name="d.txt"),
        original_name=full.s("diaryname"),
        content_type="text/plain",
        size=10,
        sha256="3" * 64,
    )
    StatusLink.objects.create(report=report, token_hash=f"{tag}-link".ljust(64, "0"))
    OutboundMessage.objects.create(
        report=report,
        kind="acknowledgement",
        channel="email",
        to=f"out.{email}",
        subject=full.s("subj"),
        body=_text(full, "outbody"),
    )
    full.values.append(f"out.{email}")
    InboundEmail.objects.create(
        message_id=f"<{full.s('msgid')}@mail.example.org>",
        source="imap",
        from_address=f"in.{email}",
        from_name=full.s("FromName"),
        subject=full.s("insubj"),
        body_text=_text(full, "inbody"),
        received_at=timezone.now(),
        report=report,
    )
    full.values.append(f"in.{email}")
    application = Application.objects.create(
        reference=f"CR-{tag}",
        channel="web",
        received_at=timezone.now(),
        first_name="Appl",
        last_name="Icant",
        description="About the case",
    )
    ThresholdComplaint.objects.create(
        application=application,
        source="case",
        case=case,
        case_reference=case.reference,
        complainant=full.s("Complainant"),
        location=full.s("complloc"),
        summary=full.s("complsummary"),
        received_on=timezone.localdate(),
    )
    CaseReviewTold.objects.create(case=case, told_by=officer, prompt=full.s("prompt"))
    LegalHold.objects.create(
        case=case,
        reason=_text(full, "holdreason"),
        placed_by=manager,
        lifted_at=timezone.now(),
        lifted_by=manager,
        lift_reason=_text(full, "liftreason"),
    )
    # Audit events with personal values, from the services above and as other services write them: a member of
    # the public (with an IP address) on the report, staff with a reason on the case.
    audit(
        actor=AnonymousUser(),
        verb=AuditVerb.CASE_CLOSED,
        obj=report,
        after={"name": full.s("AuditName"), "nested": {"phone": phone}},
        ip_address="203.0.113.77",
    )
    audit(actor=officer, verb=AuditVerb.CASE_CLOSED, obj=case, reason=_text(full, "auditreason"))
    force_status(
        case,
        "closed",
        outcome="resolved",
        outcome_summary=_text(full, "outsum"),
        outcome_shareable=_text(full, "outshare"),
        outcome_not_discussed_reason=_text(full, "notdiscussed"),
        closed_at=timezone.now() - dt.timedelta(days=closed_days_ago),
    )
    full.case.refresh_from_db()
    return full


def evidence_files(case: Case) -> list[str]:
    return [e.file.name for e in EvidenceFile.objects.filter(case=case)]
