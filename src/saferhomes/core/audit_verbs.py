"""Every audit verb, in one enum: what an audit event says happened (zulip's AuditLogEventType is the model).

A verb is `<object>.<what happened>`. Services pass an `AuditVerb` to `core.audit.audit`; the database keeps the string,
so the audit trail, its search and its CSV read the same as before. Add a verb here before a service uses it.
"""

from __future__ import annotations

from enum import StrEnum


class AuditVerb(StrEnum):
    """What happened, as recorded in `AuditEvent.verb`."""

    # action
    ACTION_ADDED = "action.added"
    ACTION_COMPLETED = "action.completed"
    ACTION_REOPENED = "action.reopened"

    # api_token
    API_TOKEN_CREATED = "api_token.created"
    API_TOKEN_REVOKED = "api_token.revoked"

    # audit
    AUDIT_SEARCHED = "audit.searched"

    # calendar
    CALENDAR_CLOSURE_DAY_ADDED = "calendar.closure_day_added"
    CALENDAR_CLOSURE_DAY_REMOVED = "calendar.closure_day_removed"
    CALENDAR_SETTINGS_CHANGED = "calendar.settings_changed"

    # case
    CASE_ASSIGNED = "case.assigned"
    CASE_BREAK_GLASS = "case.break_glass"
    CASE_CLOSED = "case.closed"
    CASE_CLOSING = "case.closing"
    CASE_CLOSURE_APPROVED = "case.closure_approved"
    CASE_CLOSURE_REQUESTED = "case.closure_requested"
    CASE_CREATED = "case.created"
    CASE_LINKED = "case.linked"
    CASE_OPEN = "case.open"
    CASE_PRIORITY_CHANGED = "case.priority_changed"
    CASE_PROMPTED = "case.prompted"
    CASE_REASSIGNED = "case.reassigned"
    CASE_REOPENED = "case.reopened"
    CASE_RESPONDED = "case.responded"
    CASE_RESPONSE_ALERT = "case.response_alert"
    CASE_RESPONSE_DUE_RECALCULATED = "case.response_due_recalculated"
    CASE_SURVEY_NOT_SENT = "case.survey_not_sent"
    CASE_TRIAGED = "case.triaged"
    CASE_VIEWED = "case.viewed"

    # cases
    CASES_SEEDED = "cases.seeded"

    # contact
    CONTACT_RECORDED = "contact.recorded"

    # contact_plan
    CONTACT_PLAN_AGREED = "contact_plan.agreed"
    CONTACT_PLAN_NEXT_DUE_MOVED = "contact_plan.next_due_moved"
    CONTACT_PLAN_UPDATED = "contact_plan.updated"

    # evidence
    EVIDENCE_ATTACHED_FROM_REPORT = "evidence.attached_from_report"
    EVIDENCE_UPLOADED = "evidence.uploaded"

    # evidencefile
    EVIDENCEFILE_VIEWED = "evidencefile.viewed"

    # housing
    HOUSING_IMPORTED = "housing.imported"
    HOUSING_SEEDED = "housing.seeded"

    # inbound_email
    INBOUND_EMAIL_RECEIVED = "inbound_email.received"

    # incident
    INCIDENT_RECORDED = "incident.recorded"

    # instrument
    INSTRUMENT_LOADED = "instrument.loaded"
    INSTRUMENT_PUBLISHED = "instrument.published"
    INSTRUMENT_RETIRED = "instrument.retired"

    # note
    NOTE_ADDED = "note.added"

    # party
    PARTY_ADDED = "party.added"
    PARTY_UPDATED = "party.updated"

    # report
    REPORT_DIARY_ENTRY_ADDED = "report.diary_entry_added"
    REPORT_FILES_ATTACHED = "report.files_attached"
    REPORT_RECEIVED = "report.received"
    REPORT_REFUSED_HONEYPOT = "report.refused_honeypot"
    REPORT_STATUS_LINK_ISSUED = "report.status_link_issued"
    REPORT_STATUS_LINK_NOT_MATCHED = "report.status_link_not_matched"
    REPORT_STATUS_LINK_REQUESTED = "report.status_link_requested"
    REPORT_STATUS_LINK_REVOKED = "report.status_link_revoked"
    REPORT_STATUS_LINK_WITHHELD = "report.status_link_withheld"
    REPORT_STATUS_VIEWED = "report.status_viewed"
    REPORT_TRIAGED = "report.triaged"
    REPORT_VIEWED = "report.viewed"

    # reportattachment
    REPORTATTACHMENT_VIEWED = "reportattachment.viewed"

    # reports
    REPORTS_SEEDED = "reports.seeded"

    # risk
    RISK_ASSESSED = "risk.assessed"
    RISK_BAND_OVERRIDDEN = "risk.band_overridden"
    RISK_DA_CHECKLIST_WAIVED = "risk.da_checklist_waived"
    RISK_MARAC_NOT_REFERRED = "risk.marac_not_referred"
    RISK_MARAC_REFERRAL_MADE = "risk.marac_referral_made"
    RISK_REASSESSMENT_REMINDER = "risk.reassessment_reminder"
    RISK_SEEDED = "risk.seeded"

    # staff
    STAFF_CREATED = "staff.created"
    STAFF_PASSWORD_RESET = "staff.password_reset"
    STAFF_PASSWORD_RESET_REQUESTED = "staff.password_reset_requested"
    STAFF_SIGNED_IN = "staff.signed_in"
    STAFF_SIGNED_OUT = "staff.signed_out"
    STAFF_SIGN_IN_FAILED = "staff.sign_in_failed"
    STAFF_TWO_FACTOR_ENROLLED = "staff.two_factor_enrolled"
    STAFF_UPDATED = "staff.updated"

    # survey
    SURVEY_ANSWERED = "survey.answered"
    SURVEY_EMAIL_FAILED = "survey.email_failed"
    SURVEY_INVITED = "survey.invited"
    SURVEY_LINK_ISSUED = "survey.link_issued"

    # team
    TEAM_CREATED = "team.created"
    TEAM_DELETED = "team.deleted"
    TEAM_UPDATED = "team.updated"

    # user (a staff account read under audit, e.g. for a subject access request)
    USER_VIEWED = "user.viewed"
