"""The field map: for every model that holds a case's records, how each of its fields is treated when the case is
anonymised; and every other model, with why it is not part of a case's record. ONE table, read by the engine
(`engine.py`) and by the guard test (tests/privacy/test_anonymise_field_map.py), which fails when a model, or a
text, char, JSON or file field, or a link to the register, appears anywhere without being listed here.

What is kept is what the figures read (DESIGN.md §6, docs/adr/0017): codes, dates, counts, bands, the estate, the
team and officer; what goes is the people (names, contact details, dates of birth, register links), free text and
stored files. See `treatments.py` for what each treatment does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from saferhomes.privacy.anonymisation.treatments import (
    ANONYMISED_CASE,
    BLANK,
    CODE,
    CUT,
    EMPTY_LIST,
    FILE,
    HASH,
    NAME,
    NAME_ALWAYS,
    NULL,
    REDACT,
    REDACT_JSON,
    REFERENCE,
    REVOKE,
    SYSTEM,
    UNIQUE,
    Treat,
    fixed,
    keep,
)


@dataclass(frozen=True)
class ModelPlan:
    """A model holding records of a case: how to find a case's rows (`case_lookups`, OR-ed, each equal to the case's
    pk) and how each listed field is treated."""

    label: str  # "app_label.ModelName"
    case_lookups: tuple[str, ...]
    fields: dict[str, Treat] = field(default_factory=dict)


PLANS: tuple[ModelPlan, ...] = (
    ModelPlan(
        "cases.Party",
        ("case",),
        {
            "role": keep(CODE),
            "person": NULL,
            "first_name": NAME_ALWAYS,
            "last_name": BLANK,
            "phone": BLANK,
            "email": BLANK,
            "address": BLANK,
            "organisation": BLANK,
            "safe_contact_notes": REDACT,
            "safe_times": BLANK,
            "contact_methods": EMPTY_LIST,
            "contact_avoid": EMPTY_LIST,
            "preferred_language": BLANK,
            "preferred_format": BLANK,
            "vulnerabilities": REDACT,
            "reasonable_adjustments": REDACT,
            "notes": REDACT,
            "date_of_birth": NULL,
        },
    ),
    ModelPlan(
        "cases.Incident",
        ("case",),
        {
            "property": NULL,  # the home it happened at identifies the victim; the case keeps its estate
            "location_text": REDACT,
            "description": REDACT,
            "source": keep(CODE),
            "parties_involved": keep("links to the case's own parties, which are anonymised"),
            "witnesses": keep("links to the case's own parties, which are anonymised"),
        },
    ),
    ModelPlan(
        "cases.EvidenceFile",
        ("case",),
        {
            "file": FILE,
            "original_name": BLANK,
            "content_type": keep("the kind of file, counted; says nothing about a person"),
            "sha256": BLANK,
            "description": BLANK,
        },
    ),
    ModelPlan(
        "cases.Contact",
        ("case",),
        {
            "method": keep(CODE),
            "direction": keep(CODE),
            "purpose": keep(CODE + " (first response and outcome discussion are measured)"),
            "override_reason": REDACT,
            "summary": REDACT,
        },
    ),
    ModelPlan("cases.Note", ("case",), {"text": REDACT}),
    ModelPlan(
        "cases.ActionItem",
        ("case",),
        {"kind": keep(CODE), "description": REDACT, "done_note": REDACT},
    ),
    ModelPlan(
        "cases.ContactPlan",
        ("case",),
        {"method": keep(CODE), "safe_times": BLANK, "language": BLANK, "format": BLANK},
    ),
    ModelPlan("cases.AccessGrant", ("case",), {"reason": REDACT}),
    ModelPlan(
        "cases.SurveyInvitation",
        ("case",),
        {
            "token_hash": keep(HASH),
            "delivery": keep(CODE),
            "delivery_note": REDACT,
            "could_do_better": REDACT,
        },
    ),
    ModelPlan("cases.CaseLink", ("from_case", "to_case"), {"reason": keep(CODE), "note": REDACT}),
    ModelPlan(
        "cases.ResponseAlert",
        ("case",),
        {"kind": keep(CODE), "recipients": keep("ids of the staff told: staff, not the people on the case")},
    ),
    ModelPlan(
        "risk.Assessment",
        ("case",),
        {
            "answers": keep("option keys and whole numbers only: risk.rules refuses any other answer"),
            "computed_band": keep(CODE + " (risk bands are reported)"),
            "band": keep(CODE + " (risk bands are reported)"),
            "reasons": REDACT_JSON,
            "override_reason": REDACT,
            "notes": REDACT,
        },
    ),
    ModelPlan(
        "risk.MaracDecision",
        ("case",),
        {
            "grounds": keep(CODE),
            "consent": keep(CODE),
            "professional_judgement_reason": REDACT,
            "not_referred_reason": REDACT,
        },
    ),
    ModelPlan("risk.ChecklistWaiver", ("case",), {"reason": REDACT}),
    ModelPlan("risk.ReassessmentReminder", ("assessment__case",), {"reason": keep(SYSTEM)}),
    ModelPlan(
        "documents.Letter",
        ("case",),
        {
            "recipient_name": NAME,
            "variant": keep(CODE),
            "text": REDACT,
            "pdf": FILE,
            "sha256": BLANK,
            "sent_how": keep(CODE),
        },
    ),
    ModelPlan(
        "referrals.Referral",
        ("case",),
        {
            "kind": keep(CODE),
            "lawful_basis": keep(CODE),
            "consent": keep(CODE),
            "reason": REDACT,
            "information_shared": REDACT,
            "consent_note": REDACT,
            "crime_reference": BLANK,  # the police's number for the crime finds the people in their records
            "outcome": REDACT,
            "withdrawn_reason": REDACT,
        },
    ),
    ModelPlan(
        "referrals.SupportOffer",
        ("case",),
        {"kind": keep(CODE), "status": keep(CODE), "declined_reason": REDACT, "outcome": REDACT},
    ),
    ModelPlan(
        "referrals.CaseShare",
        ("case",),
        {"parts": keep(CODE), "lawful_basis": keep(CODE), "reason": REDACT, "withdrawn_reason": REDACT},
    ),
    ModelPlan(
        "referrals.PartnerUpdate",
        ("case",),
        {
            "text": REDACT,
            "file": FILE,
            "original_name": BLANK,
            "content_type": keep("the kind of file; says nothing about a person"),
        },
    ),
    ModelPlan(
        "referrals.Disclosure",
        ("case",),
        {"source": keep(CODE), "lawful_basis": keep(CODE), "what": REDACT, "reason": REDACT},
    ),
    ModelPlan(
        "referrals.CaseConference",
        ("case",),
        {"attendees": REDACT, "decisions": REDACT, "agencies": keep("partner agencies, not people")},
    ),
    ModelPlan("referrals.ConferenceAction", ("conference__case",), {"description": REDACT, "owner_name": NAME}),
    ModelPlan(
        "referrals.MaracForm",
        ("referral__case",),
        {"file": FILE, "sha256": BLANK, "reason": REDACT, "victim_wants": REDACT, "safety_actions": REDACT},
    ),
    ModelPlan(
        "interventions.Intervention",
        ("case",),
        {
            "kind": keep(CODE + " (intervention kinds and dates are reported)"),
            "status": keep(CODE),
            "proportionality": REDACT,
            "refused_reason": REDACT,
            "outcome": REDACT,
            "withdrawn_reason": REDACT,
        },
    ),
    ModelPlan(
        "interventions.Milestone",
        ("intervention__case",),
        {"key": keep(CODE), "notes": REDACT, "details": REDACT_JSON},
    ),
    ModelPlan("interventions.MilestoneReminder", ("milestone__intervention__case",), {"kind": keep(CODE)}),
    ModelPlan(
        "intake.Report",
        ("case",),
        {
            "reference": keep(REFERENCE),
            "channel": keep(CODE),
            "status": keep(CODE),
            "case_type": keep(CODE),
            "problem": keep(CODE),
            "category": keep(CODE),
            "sub_types": keep(CODE),
            "hate_strands": keep(CODE),
            "frequency": keep(CODE),
            "people_known": keep(CODE),
            "urgency_answers": keep("yes/no answers keyed by a code"),
            "urgent_reasons": keep(CODE),
            "relationship": keep(CODE),
            "consent_to_share": keep(CODE),
            "idempotency_key": keep("a random key the client chose to make a retry safe"),
            "description": REDACT,
            "occurred_text": REDACT,
            "home": NULL,
            "location_text": REDACT,
            "people_involved": REDACT,
            "impact": REDACT,
            "urgent_override_reason": REDACT,
            "on_behalf_name": NAME,
            "first_name": NAME,
            "last_name": BLANK,
            "email": BLANK,
            "phone": BLANK,
            "address": BLANK,
            "postcode": BLANK,
            "person": NULL,
            "contact_methods": EMPTY_LIST,
            "safe_times": BLANK,
            "safe_contact_notes": REDACT,
            "preferred_language": BLANK,
            "preferred_format": BLANK,
            "accessibility_needs": REDACT,
            "reasonable_adjustments": REDACT,
            "triage_note": REDACT,
        },
    ),
    ModelPlan(
        "intake.ReportAttachment",
        ("report__case", "diary_entry__report__case"),
        {
            "file": FILE,
            "original_name": BLANK,
            "content_type": keep("the kind of file; says nothing about a person"),
            "sha256": BLANK,
        },
    ),
    ModelPlan(
        "intake.StatusLink",
        ("report__case",),
        {
            "token_hash": keep(HASH),
            "revoked_at": REVOKE,
            "revoked_reason": fixed("The case was anonymised under the retention schedule."),
        },
    ),
    ModelPlan("intake.DiaryEntry", ("report__case",), {"description": REDACT}),
    ModelPlan(
        "intake.InboundEmail",
        ("report__case",),
        {
            "message_id": UNIQUE,  # sender's mail servers often put the address in it
            "source": keep(CODE),
            "from_address": BLANK,
            "from_name": NAME,
            "subject": REDACT,
            "body_text": REDACT,
        },
    ),
    ModelPlan(
        "intake.OutboundMessage",
        ("report__case",),
        {
            "kind": keep(CODE),
            "channel": keep(CODE),
            "to": BLANK,
            "subject": REDACT,
            "body": REDACT,
            "withheld_reason": REDACT,
        },
    ),
    ModelPlan(
        "case_review.ThresholdComplaint",
        ("case",),
        {
            "source": keep(CODE),
            "report_reference": keep(REFERENCE),
            "case_reference": keep(REFERENCE),
            "agency_name": keep("a partner agency's name, not a person's"),
            "complainant": BLANK,
            "problem": keep(CODE),
            "problem_group": keep(CODE),
            "location": REDACT,
            "summary": REDACT,
            "reason": keep(CODE),
        },
    ),
    ModelPlan("case_review.CaseReviewTold", ("case",), {"prompt": REDACT}),
    ModelPlan(
        "insights.EqualityMonitoring",
        ("party__case",),
        {
            name: keep("an equality monitoring answer (a code), anonymous once the party is; the figures read it")
            for name in (
                "age_band",
                "sex",
                "gender_same_as_birth",
                "disability",
                "ethnic_group",
                "religion",
                "sexual_orientation",
            )
        },
    ),
    ModelPlan(
        "privacy.LegalHold",
        ("case",),
        {"reason": REDACT, "lift_reason": REDACT},  # only lifted holds: a case on hold is never anonymised
    ),
    ModelPlan(
        "privacy.RetentionItem",
        ("case",),
        {
            "reference": keep(REFERENCE),
            "status": keep(CODE),
            "excluded_reason": keep("the DPO's reason for a decision about the run, not about the people"),
        },
    ),
    # The case itself last: `anonymised_at` is set by the same statement.
    ModelPlan(
        "cases.Case",
        ("pk",),
        {
            "reference": keep(REFERENCE),
            "legacy_reference": keep("the previous case log's reference (a reference, not a person)"),
            "case_type": keep(CODE),
            "category": keep(CODE),
            "sub_types": keep(CODE),
            "hate_strands": keep(CODE),
            "status": keep(CODE),
            "stage": keep(CODE),
            "priority": keep(CODE),
            "sensitivity": keep(CODE),
            "outcome": keep(CODE),
            "summary": fixed(ANONYMISED_CASE),
            "description": REDACT,
            "urgent_reason": REDACT,
            "location_text": REDACT,
            "outcome_summary": REDACT,
            "outcome_shareable": REDACT,
            "outcome_not_discussed_reason": REDACT,
            "search_text": keep("rebuilt by cases.search from the anonymised parties and location"),
            "properties": CUT,  # the homes: the victim's own home identifies them; the case keeps its estate
            "restricted_to": keep("named staff, not the people on the case"),
        },
    ),
)

# Every other model, and why it holds no record of a case.
NOT_CASE_RECORDS: dict[str, str] = {
    "admin.LogEntry": "Django admin's log of staff changes to configuration (the admin holds no case data)",
    "auth.Permission": "configuration",
    "auth.Group": "configuration",
    "contenttypes.ContentType": "configuration",
    "sessions.Session": "staff and reporters' signed-in sessions: expire within hours, hold no case data",
    "otp_totp.TOTPDevice": "staff second factor",
    "otp_static.StaticDevice": "staff second factor",
    "otp_static.StaticToken": "staff second factor",
    "axes.AccessFailureLog": "failed sign-ins by staff: security log with its own expiry",
    "axes.AccessAttempt": "failed sign-ins by staff: security log with its own expiry",
    "axes.AccessAttemptExpiration": "failed sign-ins by staff: security log with its own expiry",
    "axes.AccessLog": "staff sign-ins: security log with its own expiry",
    "django_tasks_database.DBTaskResult": (
        "worker results: the periodic jobs take no arguments and return counts (core/schedule.py); mail is sent "
        "in-process by core.mail, never enqueued with its content"
    ),
    "core.AuditEvent": "redacted, not anonymised: AuditEvent.objects.redact (ADR 0017)",
    "core.CalendarSettings": "configuration",
    "core.ClosureDay": "configuration",
    "core.ScheduledJob": "the worker's schedule",
    "core.IdempotencyRecord": "stores the id of what a request made, not the response or any personal data",
    "accounts.Team": "staff",
    "accounts.User": "staff: kept (officers and managers are named in the figures and the audit trail)",
    "accounts.ApiToken": "staff",
    "accounts.TrainingRecord": "staff",
    "housing.Area": "the landlord's areas",
    "housing.Estate": "the landlord's estates (kept on cases for the figures)",
    "housing.Property": "the register of homes, not the case's; the case's links to it are cut",
    "housing.Tenancy": "the register, not the case's",
    "housing.TenancyMember": "the register, not the case's",
    "housing.Person": "the register of tenants, kept by the housing system; the case's links to it are cut",
    "privacy.RetentionRule": "configuration",
    "privacy.RunNotice": "the ids of the DPOs emailed about a run",
    "privacy.RightsRequest": "a data protection rights request: the requester's own record of what they asked and "
    "what the landlord answered, kept to show compliance (not part of any case)",
    "privacy.RightsRequestReminder": "due and sent times",
    "privacy.SubjectAccessExport": "what was disclosed to a requester (the export they were given), kept with their "
    "request as the record of the disclosure",
    "privacy.DpoAccessGrant": "who gave the DPO access to a case, and when: staff, not the people on the case",
    "privacy.AnomalyAlert": "a claim that the DPO was told about an access anomaly: staff and times",
    "core.WorkerHeartbeat": "worker processes: host name, process id, times",
    "privacy.RetentionRun": "the run: dates and statuses",
    "insights.Initiative": "the landlord's prevention work, not about a case",
    "insights.PolicyReview": "the landlord's policy reviews",
    "insights.PolicyReviewReminder": "the landlord's policy reviews",
    "insights.ActionTakenSnapshot": "counts per area",
    "insights.MeasureSettings": "configuration",
    "insights.HomeSale": "the register of homes",
    "insights.MonthlyReportRun": "counts and the ids of the managers emailed",
    "cases.ReferenceCounter": "numbering",
    "cases.ContactPlanReminder": "a due time and when the officer was told",
    "risk.Instrument": "configuration",
    "documents.LetterTemplate": "configuration",
    "documents.LetterTemplateVersion": "configuration",
    "referrals.Agency": "the directory of partner agencies",
    "referrals.PartnerMembership": "partner staff accounts",
    "referrals.ReferralChase": "due and sent times",
    "referrals.SharingAgreement": "agreements between organisations",
    "referrals.AgreementReviewReminder": "agreements between organisations",
    "interventions.Catalogue": "configuration",
    "intake.IntakeAttempt": "hashed rate-limit keys that expire within the hour",
    "case_review.ThresholdRuleSet": "configuration",
    # A Case Review application is its own record, kept 6 years after its last decision or outcome letter (its own
    # retention rule, not its cases'): anonymising a case leaves it, and what it holds, alone.
    "case_review.Application": "a Case Review application: its own retention rule",
    "case_review.StatusLink": "a Case Review application: its own retention rule",
    "case_review.DecisionAlert": "a Case Review application: its own retention rule",
    "case_review.ReviewInvitation": "a Case Review application: its own retention rule",
    "case_review.ReviewPanel": "a Case Review application: its own retention rule",
    "case_review.PanelAttendee": "a Case Review application: its own retention rule",
    "case_review.Recommendation": "a Case Review application: its own retention rule",
    "case_review.Appeal": "a Case Review application: its own retention rule",
    "case_review.ApplicationLetter": "a Case Review application: its own retention rule",
    "case_review.DeadlineAlert": "a Case Review application: its own retention rule",
}
