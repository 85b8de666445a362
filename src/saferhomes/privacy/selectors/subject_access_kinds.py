"""The record kinds of a subject access search, one query each (ADR 0019): what is collected, why it matched, and
whose details (other people's) are noted for redaction on the way. Called by `subject_access._search`."""

from __future__ import annotations

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Q

from saferhomes.case_review.models import Application, ApplicationLetter
from saferhomes.cases.models import Case, Contact, EvidenceFile, Incident, Note, Party, PartyRole
from saferhomes.core.audit_verbs import verb_label
from saferhomes.core.models import AuditEvent
from saferhomes.documents.models import Letter
from saferhomes.housing.models import Person, TenancyMember
from saferhomes.intake.models import DiaryEntry, OutboundMessage, Report, ReportAttachment
from saferhomes.interventions.models import Intervention
from saferhomes.privacy.selectors.subject_access_records import PRINCIPAL_ROLES, Collector, HeldFile, Identity
from saferhomes.referrals.models import Disclosure, MaracForm, Referral, SupportOffer
from saferhomes.risk.models import Assessment, MaracDecision

THIRD_PARTY = "[third party]"


class _Cases:
    """The subject's party rows and the cases they are on, by how much of each case is about them."""

    def __init__(self, parties: list[Party]) -> None:
        self.parties = parties
        self.party_ids = {p.pk for p in parties}
        self.roles: dict[int, list[str]] = defaultdict(list)
        for party in parties:
            self.roles[party.case_id].append(str(party.get_role_display()))
        self.all = {p.case_id for p in parties}
        self.principal = {p.case_id for p in parties if p.role in PRINCIPAL_ROLES}
        self.victim = {p.case_id for p in parties if p.role == PartyRole.VICTIM}

    def why(self, case_id: int) -> str:
        roles = " and ".join(self.roles.get(case_id, [])).lower() or "a party"
        return f"on a case where you are the {roles}"


def _parties(collector: Collector, identity: Identity) -> _Cases:
    found = []
    candidates = Party.objects.filter(
        identity.q(person="person", email="email", phone="phone", first="first_name", last="last_name")
    ).select_related("case", "person", "equality_monitoring")
    for party in candidates.order_by("pk"):
        reason = identity.match(
            person_id=party.person_id,
            email=party.email,
            phone=party.phone,
            first=party.first_name,
            last=party.last_name,
            dob=party.date_of_birth,
            address=party.address,
        )
        if reason is None or party.case.anonymised_at is not None:
            continue
        found.append(party)
        collector.subject(party.first_name, party.last_name, party.email, party.phone, party.address)
        collector.add(
            "party",
            party,
            f"{party.get_role_display()} on case {party.case.reference}",
            f"matched by {reason}",
            party.created_at,
            case=party.case.reference,
            role=party.get_role_display(),
            name=party.display_name,
            date_of_birth=party.date_of_birth,
            phone=party.phone,
            email=party.email,
            address=party.address,
            organisation=party.organisation,
            safe_contact_notes=party.safe_contact_notes,
            safe_times=party.safe_times,
            contact_methods=party.contact_methods,
            contact_avoid=party.contact_avoid,
            preferred_language=party.preferred_language,
            preferred_format=party.preferred_format,
            vulnerabilities=party.vulnerabilities,
            reasonable_adjustments=party.reasonable_adjustments,
            notes=party.notes,
        )
    for party in found:
        _equality(collector, party)
    return _Cases(found)


def _equality(collector: Collector, party: Party) -> None:
    """Their equality monitoring answers, read with the party (insights owns the model: privacy may not import it)."""
    answers = getattr(party, "equality_monitoring", None)
    if answers is None:
        return
    collector.add(
        "equality",
        answers,
        f"Equality monitoring (case {party.case.reference})",
        "your answers",
        answers.recorded_at,
        age_band=answers.get_age_band_display(),
        sex=answers.get_sex_display(),
        gender_same_as_birth=answers.get_gender_same_as_birth_display(),
        disability=answers.get_disability_display(),
        ethnic_group=answers.get_ethnic_group_display(),
        religion=answers.get_religion_display(),
        sexual_orientation=answers.get_sexual_orientation_display(),
    )


def _others_on_cases(collector: Collector, cases: _Cases) -> dict[int, list[str]]:
    """Everyone else on the subject's cases: noted for redaction; listed on the case by role only."""
    roles: dict[int, list[str]] = defaultdict(list)
    others = Party.objects.filter(case_id__in=cases.all).exclude(pk__in=cases.party_ids).select_related("person")
    for party in others.order_by("case_id", "role", "pk"):
        roles[party.case_id].append(f"{party.get_role_display()}: {THIRD_PARTY}")
        person: Person | None = party.person
        collector.other(
            first=party.first_name, last=party.last_name, email=party.email, phone=party.phone, address=party.address
        )
        if person is not None:
            collector.other(first=person.first_name, last=person.last_name, email=person.email, phone=person.phone)
            collector.other(phone=person.mobile)
            if person.preferred_name:
                collector.other(first=person.preferred_name)
    return roles


def _cases(collector: Collector, cases: _Cases, others: dict[int, list[str]]) -> None:
    for case in Case.objects.filter(pk__in=cases.all).order_by("received_at", "pk"):
        principal = case.pk in cases.principal
        collector.add(
            "case",
            case,
            f"Case {case.reference}",
            cases.why(case.pk),
            case.received_at,
            reference=case.reference,
            case_type=case.get_case_type_display(),
            status=case.get_status_display(),
            received_at=case.received_at,
            closed_at=case.closed_at,
            your_part=cases.roles.get(case.pk, []),
            other_people=others.get(case.pk, []),
            summary=case.summary if principal else "",
            description=case.description if principal else "",
            outcome=case.get_outcome_display() if case.outcome else "",
            outcome_summary=case.outcome_summary if principal else "",
        )


def _reports(collector: Collector, identity: Identity, cases: _Cases) -> tuple[set[int], set[int]]:
    """The subject's own reports (by who made them), and the reporters of other reports on their cases."""
    mine: set[int] = set()
    subject_q = identity.q(person="person", email="email", phone="phone", first="first_name", last="last_name")
    for report in Report.objects.filter(subject_q | Q(case_id__in=cases.all)).select_related("case").order_by("pk"):
        reason = identity.match(
            person_id=report.person_id,
            email=report.email,
            phone=report.phone,
            first=report.first_name,
            last=report.last_name,
            address=f"{report.address} {report.postcode}",
        )
        if reason is None:
            collector.other(
                first=report.first_name,
                last=report.last_name,
                email=report.email,
                phone=report.phone,
                address=report.address,
            )
            if report.on_behalf_name:
                collector.other(first=report.on_behalf_name)
            continue
        mine.add(report.pk)
        collector.subject(report.first_name, report.last_name, report.email, report.phone, report.address)
        if report.on_behalf_name:
            collector.phrases.add(report.on_behalf_name)
        collector.add(
            "report",
            report,
            f"Report {report.reference}",
            f"you made it (matched by {reason})",
            report.received_at,
            reference=report.reference,
            channel=report.get_channel_display(),
            status=report.get_status_display(),
            received_at=report.received_at,
            case=report.case.reference if report.case else "",
            what_happened=report.description,
            when_in_your_words=report.occurred_text,
            occurred_at=report.occurred_at,
            where=report.location_text,
            people_involved=report.people_involved,
            impact=report.impact,
            on_behalf_of=report.on_behalf_name,
            name=report.reporter_name,
            email=report.email,
            phone=report.phone,
            address=report.address,
            postcode=report.postcode,
            safe_times=report.safe_times,
            safe_contact_notes=report.safe_contact_notes,
            preferred_language=report.preferred_language,
            accessibility_needs=report.accessibility_needs,
            reasonable_adjustments=report.reasonable_adjustments,
            consent_to_share=report.consent_to_share,
        )
    own_evidence: set[int] = set()
    for entry in DiaryEntry.objects.filter(report_id__in=mine).select_related("report").order_by("occurred_at", "pk"):
        collector.add(
            "diary_entry",
            entry,
            f"Diary entry on {entry.report.reference}",
            "you added it to your report",
            entry.occurred_at,
            report=entry.report.reference,
            occurred_at=entry.occurred_at,
            what_happened=entry.description,
            added_at=entry.created_at,
        )
    attachments = ReportAttachment.objects.filter(Q(report_id__in=mine) | Q(diary_entry__report_id__in=mine))
    for attachment in attachments.order_by("pk"):
        if attachment.evidence_id:
            own_evidence.add(attachment.evidence_id)
        collector.add(
            "report_file",
            attachment,
            attachment.original_name,
            "you sent it with your report",
            attachment.uploaded_at,
            name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sent_at=attachment.uploaded_at,
            files=[HeldFile(attachment.original_name, attachment.file, own=True)],
        )
    for message in OutboundMessage.objects.filter(report_id__in=mine).select_related("report").order_by("pk"):
        collector.add(
            "message",
            message,
            f"{message.kind.replace('_', ' ').capitalize()} ({message.channel})",
            f"sent to you about report {message.report.reference}",
            message.sent_at or message.created_at,
            to=message.to,
            subject=message.subject,
            body=message.body,
            sent_at=message.sent_at,
            not_sent_because=message.withheld_reason,
        )
    return mine, own_evidence


def _case_records(collector: Collector, cases: _Cases, own_evidence: set[int]) -> None:
    linked = Q(parties_involved__in=cases.party_ids) | Q(witnesses__in=cases.party_ids)
    incidents = Incident.objects.filter(Q(case_id__in=cases.principal) | linked).select_related("case").distinct()
    for incident in incidents.order_by("occurred_at", "pk"):
        collector.add(
            "incident",
            incident,
            f"Incident on {incident.occurred_at:%d %b %Y} (case {incident.case.reference})",
            cases.why(incident.case_id),
            incident.occurred_at,
            case=incident.case.reference,
            occurred_at=incident.occurred_at,
            occurred_until=incident.occurred_until,
            where=incident.location_text,
            what_happened=incident.description,
            source=incident.get_source_display(),
        )
    for contact in Contact.objects.filter(party_id__in=cases.party_ids).select_related("case").order_by("occurred_at"):
        collector.add(
            "contact",
            contact,
            f"{contact.get_method_display()} on {contact.occurred_at:%d %b %Y}",
            "a contact with you",
            contact.occurred_at,
            case=contact.case.reference,
            method=contact.get_method_display(),
            direction=contact.get_direction_display(),
            purpose=contact.get_purpose_display(),
            successful=contact.successful,
            occurred_at=contact.occurred_at,
            summary=contact.summary,
        )
    for note in Note.objects.filter(case_id__in=cases.principal).select_related("case").order_by("created_at", "pk"):
        collector.add(
            "note",
            note,
            f"Note on case {note.case.reference}",
            cases.why(note.case_id),
            note.created_at,
            case=note.case.reference,
            written_at=note.created_at,
            text=note.text,
        )
    evidence = EvidenceFile.objects.filter(case_id__in=cases.principal).select_related("case")
    for item in evidence.order_by("uploaded_at", "pk"):
        own = item.pk in own_evidence
        collector.add(
            "evidence",
            item,
            item.original_name,
            "you sent it with your report" if own else cases.why(item.case_id),
            item.uploaded_at,
            case=item.case.reference,
            name=item.original_name,
            description=item.description,
            uploaded_at=item.uploaded_at,
            files=[HeldFile(item.original_name, item.file, own=own)],
        )
    for letter in Letter.objects.filter(party_id__in=cases.party_ids).select_related("case").order_by("sent_at"):
        collector.add(
            "letter",
            letter,
            f"Letter of {letter.sent_at:%d %b %Y}",
            "addressed to you",
            letter.sent_at,
            case=letter.case.reference,
            to=letter.recipient_name,
            sent_at=letter.sent_at,
            sent_how=letter.get_sent_how_display(),
            text=letter.text,
            files=[HeldFile(f"letter-{letter.pk}.pdf", letter.pdf, own=True)] if letter.pdf else [],
        )


def _about_them(collector: Collector, cases: _Cases) -> None:
    assessments = Assessment.objects.filter(subject_id__in=cases.party_ids).select_related("case", "instrument")
    for assessment in assessments.order_by("assessed_at", "pk"):
        collector.add(
            "assessment",
            assessment,
            f"{assessment.instrument.name} on {assessment.assessed_at:%d %b %Y}",
            "an assessment of the risk to you",
            assessment.assessed_at,
            case=assessment.case.reference,
            instrument=assessment.instrument.name,
            answers=assessment.answers,
            score=assessment.score,
            band=assessment.band,
            reasons=assessment.reasons,
            override_reason=assessment.override_reason,
            reassess_by=assessment.reassess_by,
            notes=assessment.notes,
        )
    decisions = MaracDecision.objects.filter(
        Q(assessment__subject_id__in=cases.party_ids) | Q(case_id__in=cases.victim)
    ).select_related("case")
    decision_ids = []
    for decision in decisions.order_by("decided_at", "pk"):
        decision_ids.append(decision.pk)
        collector.add(
            "marac",
            decision,
            f"MARAC decision on case {decision.case.reference}",
            cases.why(decision.case_id),
            decision.decided_at,
            case=decision.case.reference,
            required=decision.required,
            grounds=decision.grounds,
            professional_judgement_reason=decision.professional_judgement_reason,
            consent=decision.get_consent_display(),
            referral_made_on=decision.referral_made_on,
            not_referred_reason=decision.not_referred_reason,
        )
    for form in MaracForm.objects.filter(decision_id__in=decision_ids).select_related("referral__agency"):
        collector.add(
            "marac_form",
            form,
            f"MARAC referral form to {form.referral.agency.name}",
            "a referral about the risk to you",
            form.produced_at,
            sent_to=form.referral.agency.name,
            reason=form.reason,
            what_you_want=form.victim_wants,
            safety_actions=form.safety_actions,
            produced_at=form.produced_at,
            files=[HeldFile(f"marac-form-{form.pk}.pdf", form.file, own=False)],
        )
    referrals = Referral.objects.filter(case_id__in=cases.principal).select_related("case", "agency")
    for referral in referrals.order_by("sent_at", "pk"):
        collector.add(
            "referral",
            referral,
            f"Referral to {referral.agency.name}",
            cases.why(referral.case_id),
            referral.sent_at,
            case=referral.case.reference,
            agency=referral.agency.name,
            kind=referral.get_kind_display(),
            reason=referral.reason,
            information_shared=referral.information_shared,
            lawful_basis=referral.get_lawful_basis_display(),
            consent=referral.get_consent_display(),
            sent_at=referral.sent_at,
            outcome=referral.outcome,
        )
    offers = SupportOffer.objects.filter(party_id__in=cases.party_ids).select_related("case", "agency")
    for offer in offers.order_by("offered_at", "pk"):
        collector.add(
            "support",
            offer,
            f"{offer.get_kind_display()} offered on {offer.offered_at:%d %b %Y}",
            "support offered to you",
            offer.offered_at,
            case=offer.case.reference,
            kind=offer.get_kind_display(),
            agency=offer.agency.name if offer.agency else "",
            status=offer.get_status_display(),
            declined_reason=offer.declined_reason,
            outcome=offer.outcome,
        )
    interventions = Intervention.objects.filter(party_id__in=cases.party_ids).select_related("case")
    for intervention in interventions.order_by("proposed_at", "pk"):
        collector.add(
            "intervention",
            intervention,
            f"{_words(intervention.kind)} (case {intervention.case.reference})",
            "action taken about you",
            intervention.proposed_at,
            case=intervention.case.reference,
            kind=intervention.kind,
            formal=intervention.formal,
            status=intervention.get_status_display(),
            why_proportionate=intervention.proportionality,
            started_on=intervention.started_on,
            outcome=intervention.outcome,
            outcome_on=intervention.outcome_on,
        )


def _applications(collector: Collector, identity: Identity) -> None:
    applicant_q = identity.q(person="person", email="email", phone="phone", first="first_name", last="last_name")
    victim_q = identity.q(
        person="victim_person",
        email="victim_email",
        phone="victim_phone",
        first="victim_first_name",
        last="victim_last_name",
    )
    applied: set[int] = set()
    found: list[int] = []
    for application in Application.objects.filter(applicant_q | victim_q).order_by("pk"):
        as_applicant = identity.match(
            person_id=application.person_id,
            email=application.email,
            phone=application.phone,
            first=application.first_name,
            last=application.last_name,
            address=f"{application.address} {application.postcode}",
        )
        as_victim = identity.match(
            person_id=application.victim_person_id,
            email=application.victim_email,
            phone=application.victim_phone,
            first=application.victim_first_name,
            last=application.victim_last_name,
            address=f"{application.victim_address} {application.victim_postcode}",
        )
        if as_applicant is None and as_victim is None:
            continue
        found.append(application.pk)
        if as_applicant:
            applied.add(application.pk)
            collector.subject(application.first_name, application.last_name, application.email, application.phone)
        else:
            collector.other(
                first=application.first_name,
                last=application.last_name,
                email=application.email,
                phone=application.phone,
                address=application.address,
            )
        if application.on_behalf and not as_victim:
            collector.other(
                first=application.victim_first_name,
                last=application.victim_last_name,
                email=application.victim_email,
                phone=application.victim_phone,
                address=application.victim_address,
            )
        collector.add(
            "application",
            application,
            f"Case Review application {application.reference}",
            f"you applied (matched by {as_applicant})" if as_applicant else f"made for you (matched by {as_victim})",
            application.received_at,
            reference=application.reference,
            status=application.get_status_display(),
            received_at=application.received_at,
            applicant=f"{application.first_name} {application.last_name}",
            email=application.email,
            phone=application.phone,
            address=application.address,
            postcode=application.postcode,
            on_behalf_of=f"{application.victim_first_name} {application.victim_last_name}".strip(),
            what_it_is_about=application.description,
            where=application.location_text,
            threshold_met=application.threshold_met,
            decision_reasons=application.decision_reasons,
        )
    letters = ApplicationLetter.objects.filter(application_id__in=found).select_related("application")
    for letter in letters.order_by("sent_at", "pk"):
        own = letter.application_id in applied
        collector.add(
            "application_letter",
            letter,
            f"{letter.get_kind_display()} ({letter.application.reference})",
            "addressed to you" if own else "about an application made for you",
            letter.sent_at,
            to=letter.recipient_name,
            sent_at=letter.sent_at,
            text=letter.text,
            files=[HeldFile(f"case-review-letter-{letter.pk}.pdf", letter.pdf, own=own)] if letter.pdf else [],
        )


def _tenancies(collector: Collector, people: list[Person]) -> None:
    members = TenancyMember.objects.filter(person__in=people).select_related("tenancy__property")
    for member in members.order_by("tenancy__start_date", "pk"):
        tenancy = member.tenancy
        collector.add(
            "tenancy",
            member,
            f"Tenancy {tenancy.reference}",
            "you are named on it",
            tenancy.start_date,
            reference=tenancy.reference,
            home=str(tenancy.property),
            tenancy_type=tenancy.get_tenancy_type_display(),
            your_place=member.get_relationship_display(),
            start_date=tenancy.start_date,
            end_date=tenancy.end_date,
        )


def _words(key: str) -> str:
    return key.replace("-", " ").replace("_", " ").capitalize()


def _audit(collector: Collector) -> None:
    """Audit events about the subject's own records (not about whole cases: those are about everyone on them)."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for record in collector.records:
        if record.kind != "case":
            label, _, pk = record.key.partition(":")
            by_type[label].append(pk)
    if not by_type:
        return
    query = reduce(or_, [Q(object_type=label, object_id__in=ids) for label, ids in by_type.items()])
    for event in AuditEvent.objects.filter(query).order_by("at", "pk"):
        collector.add(
            "audit",
            event,
            verb_label(event.verb),
            "about one of your records",
            event.at,
            at=event.at,
            what=verb_label(event.verb),
            by=event.actor_label or "the system",
            record=event.object_label,
            reason=event.reason,
        )


def collect_all(collector: Collector, identity: Identity, people: list[Person]) -> list[Disclosure]:
    """Every kind after the register people: records in `collector`; returns the disclosures about them."""
    _tenancies(collector, people)
    cases = _parties(collector, identity)
    others = _others_on_cases(collector, cases)
    _cases(collector, cases, others)
    _mine, own_evidence = _reports(collector, identity, cases)
    _case_records(collector, cases, own_evidence)
    _about_them(collector, cases)
    _applications(collector, identity)
    _audit(collector)
    disclosures = Disclosure.objects.filter(case_id__in=cases.principal).select_related("agency", "case")
    return list(disclosures.order_by("disclosed_at", "pk"))
