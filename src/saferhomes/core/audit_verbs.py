"""Every audit verb, in one enum: what an audit event says happened (zulip's AuditLogEventType is the model).

A verb is `<object>.<what happened>`. Services pass an `AuditVerb` to `core.audit.audit`; the database keeps the string,
so the audit trail, its search and its CSV read the same as before. Add a verb here before a service uses it, with its
label in `LABELS` (what the DPO's audit search shows: "Case closed", not "case.closed").
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
    CASE_LIST_EXPORTED = "case.list_exported"
    CASE_OPEN = "case.open"
    CASE_PRIORITY_CHANGED = "case.priority_changed"
    CASE_PROMPTED = "case.prompted"
    CASE_READ_REFUSED = "case.read_refused"
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
    CONTACT_AGAINST_INSTRUCTIONS = "contact.against_instructions"

    # contact_plan
    CONTACT_PLAN_AGREED = "contact_plan.agreed"
    CONTACT_PLAN_NEXT_DUE_MOVED = "contact_plan.next_due_moved"
    CONTACT_PLAN_UPDATED = "contact_plan.updated"

    # bundle
    BUNDLE_CREATED = "bundle.created"

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

    # letter
    LETTER_DOWNLOADED = "letter.downloaded"
    LETTER_SENT = "letter.sent"
    LETTER_TEMPLATE_SAVED = "letter_template.saved"

    # incident
    INCIDENT_RECORDED = "incident.recorded"

    # instrument
    INSTRUMENT_LOADED = "instrument.loaded"
    INSTRUMENT_PUBLISHED = "instrument.published"
    INSTRUMENT_RETIRED = "instrument.retired"

    # intervention (issue 16)
    INTERVENTION_PROPOSED = "intervention.proposed"
    INTERVENTION_APPROVAL_REQUESTED = "intervention.approval_requested"
    INTERVENTION_APPROVED = "intervention.approved"
    INTERVENTION_REFUSED = "intervention.refused"
    INTERVENTION_STARTED = "intervention.started"
    INTERVENTION_CONCLUDED = "intervention.concluded"
    INTERVENTION_WITHDRAWN = "intervention.withdrawn"
    INTERVENTIONS_SEEDED = "intervention.seeded"
    MILESTONE_RECORDED = "milestone.recorded"
    MILESTONE_REMINDED = "milestone.reminded"

    # note
    NOTE_ADDED = "note.added"

    # party
    PARTY_ADDED = "party.added"
    PARTY_UPDATED = "party.updated"

    # report
    REPORT_DIARY_ENTRY_ADDED = "report.diary_entry_added"
    REPORT_DIARY_AFTER_CLOSURE = "report.diary_after_closure"
    REPORT_FILES_ATTACHED = "report.files_attached"
    REPORT_READ_REFUSED = "report.read_refused"
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

    # request (a staff page or file refused with 403)
    REQUEST_FORBIDDEN = "request.forbidden"

    # partnership (issue 15): agencies, referrals, support offers, agreements, disclosures, shares, conferences
    AGENCY_CREATED = "agency.created"
    AGENCY_UPDATED = "agency.updated"
    AGENCIES_IMPORTED = "agency.imported"
    PARTNER_MEMBERSHIP_SET = "partner.membership_set"
    REFERRAL_MADE = "referral.made"
    REFERRAL_ACKNOWLEDGED = "referral.acknowledged"
    REFERRAL_OUTCOME = "referral.outcome"
    REFERRAL_WITHDRAWN = "referral.withdrawn"
    REFERRAL_CHASED = "referral.chased"
    REFERRALS_SEEDED = "referral.seeded"
    MARAC_FORM_PRODUCED = "marac.form_produced"
    MARACFORM_VIEWED = "maracform.viewed"
    SUPPORT_OFFERED = "support.offered"
    SUPPORT_DECIDED = "support.decided"
    SUPPORT_OUTCOME = "support.outcome"
    AGREEMENT_RECORDED = "agreement.recorded"
    AGREEMENT_UPDATED = "agreement.updated"
    AGREEMENT_REVIEW_REMINDED = "agreement.review_reminded"
    SHARING_SEEDED = "sharing.seeded"
    DISCLOSURE_RECORDED = "disclosure.recorded"
    DISCLOSURE_LOG_EXPORTED = "disclosure.log_exported"
    CASE_SHARED = "share.created"
    SHARE_WITHDRAWN = "share.withdrawn"
    SHARED_CASE_READ = "share.read"
    SHARED_CASE_READ_REFUSED = "share.read_refused"
    PARTNER_UPDATE_ADDED = "partner.update_added"
    PARTNERUPDATE_VIEWED = "partnerupdate.viewed"
    CONFERENCE_RECORDED = "conference.recorded"
    CONFERENCE_ACTION_DONE = "conference.action_done"
    # --- Case Review: application, threshold, prompt (issue 17, helper A) ---
    CASE_REVIEW_APPLIED = "case_review.applied"
    CASE_REVIEW_ACKNOWLEDGED = "case_review.acknowledged"
    CASE_REVIEW_ACK_WITHHELD = "case_review.acknowledgement_withheld"
    CASE_REVIEW_REFUSED_HONEYPOT = "case_review.refused_honeypot"
    CASE_REVIEW_STATUS_LINK_ISSUED = "case_review.status_link_issued"
    CASE_REVIEW_STATUS_VIEWED = "case_review.status_viewed"
    CASE_REVIEW_THRESHOLD_ASSESSED = "case_review.threshold_assessed"
    CASE_REVIEW_COMPLAINT_ADDED = "case_review.complaint_added"
    CASE_REVIEW_THRESHOLD_DECIDED = "case_review.threshold_decided"
    CASE_REVIEW_DECISION_ALERT = "case_review.decision_alert"
    CASE_REVIEW_TOLD = "case_review.reporter_told"
    CASE_REVIEW_RULES_LOADED = "case_review.rules_loaded"
    CASE_REVIEW_SEEDED = "case_review.seeded"

    # insights: registers, publication, equality monitoring (issue 18 parts 3-5)
    INITIATIVE_RECORDED = "initiative.recorded"
    INITIATIVE_UPDATED = "initiative.updated"
    TRAINING_RECORDED = "training.recorded"
    POLICY_REVIEW_SCHEDULED = "policy_review.scheduled"
    POLICY_REVIEW_APPROVED = "policy_review.approved"
    POLICY_REVIEW_REMINDED = "policy_review.reminded"
    ACTION_TAKEN_APPROVED = "action_taken.approved"
    EQUALITY_RECORDED = "equality.recorded"
    EQUALITY_REPORT_VIEWED = "equality.report_viewed"
    INSIGHTS_SEEDED = "insights.seeded"

    # insights (issue 18 parts 1, 2 and 6)
    MONTHLY_REPORT_SENT = "insights.monthly_report_sent"
    MONTHLY_REPORT_DOWNLOADED = "insights.monthly_report_downloaded"
    TSM_CASES_EXPORTED = "insights.tsm_cases_exported"

    # case_review: the review, its letters and statistics (issue 17 parts 4, 5 and 7; helper B)
    CASE_REVIEW_SPOC_ASSIGNED = "case_review.spoc_assigned"
    CASE_REVIEW_AGENCY_INVITED = "case_review.agency_invited"
    CASE_REVIEW_PANEL_RECORDED = "case_review.panel_recorded"
    CASE_REVIEW_RECOMMENDATION_ADDED = "case_review.recommendation_added"
    CASE_REVIEW_RECOMMENDATION_UPDATED = "case_review.recommendation_updated"
    CASE_REVIEW_CONCLUDED = "case_review.review_concluded"
    CASE_REVIEW_APPEAL_REQUESTED = "case_review.appeal_requested"
    CASE_REVIEW_APPEAL_CONCLUDED = "case_review.appeal_concluded"
    CASE_REVIEW_LETTER_SENT = "case_review.letter_sent"
    CASE_REVIEW_LETTER_DOWNLOADED = "case_review.letter_downloaded"
    CASE_REVIEW_STATISTICS_EXPORTED = "case_review.statistics_exported"
    CASE_REVIEW_REVIEWS_SEEDED = "case_review.reviews_seeded"

    # privacy lifecycle (issue 19): retention, legal hold, anonymisation
    RETENTION_RULE_CHANGED = "retention.rule_changed"
    RETENTION_RUN_PLANNED = "retention.run_planned"
    RETENTION_RUN_APPROVED = "retention.run_approved"
    RETENTION_RUN_CANCELLED = "retention.run_cancelled"
    RETENTION_ITEM_EXCLUDED = "retention.item_excluded"
    RETENTION_RUN_FINISHED = "retention.run_finished"
    CASE_ANONYMISED = "privacy.case_anonymised"
    LEGAL_HOLD_PLACED = "legal_hold.placed"
    LEGAL_HOLD_LIFTED = "legal_hold.lifted"
    REPORT_EXPIRED = "retention.report_expired"  # H2: a report never made into a case, deleted on schedule
    STATUS_LINKS_EXPIRED = "retention.status_links_expired"  # H2: status links revoked on schedule
    # privacy lifecycle (issue 19): rights requests
    RIGHTS_REQUEST_RECORDED = "rights_request.recorded"
    RIGHTS_REQUEST_EXTENDED = "rights_request.extended"
    RIGHTS_REQUEST_DECIDED = "rights_request.decided"
    SUBJECT_ACCESS_SEARCHED = "subject_access.searched"
    SUBJECT_ACCESS_EXPORTED = "subject_access.exported"
    SUBJECT_ACCESS_DOWNLOADED = "subject_access.downloaded"
    RIGHTS_REQUESTS_EXPORTED = "rights_request.list_exported"
    # privacy lifecycle (issue 19): DPO oversight
    OVERSIGHT_VIEWED = "oversight.viewed"
    OVERSIGHT_EXPORTED = "oversight.exported"
    # privacy lifecycle (issue 19 part 5, H4): the DPO's time-limited access to one case, and anomaly alerts
    OVERSIGHT_ACCESS_GRANTED = "oversight.access_granted"
    OVERSIGHT_ACCESS_ENDED = "oversight.access_ended"
    OVERSIGHT_ANOMALY_ALERTED = "oversight.anomaly_alerted"
    # production and scale-out (issue 20): case-log import
    CASE_IMPORTED = "case.imported"

    @property
    def label(self) -> str:
        """What happened, in words, for people reading the audit trail."""
        return LABELS[self]


def verb_label(code: str) -> str:
    """The words for a stored verb; a verb no longer in the enum is shown as its words ("Old thing done")."""
    try:
        return AuditVerb(code).label
    except ValueError:
        return code.replace(".", " ").replace("_", " ").capitalize()


LABELS: dict[AuditVerb, str] = {
    AuditVerb.ACTION_ADDED: "Action added",
    AuditVerb.ACTION_COMPLETED: "Action completed",
    AuditVerb.ACTION_REOPENED: "Action reopened",
    AuditVerb.API_TOKEN_CREATED: "API token created",
    AuditVerb.API_TOKEN_REVOKED: "API token revoked",
    AuditVerb.AUDIT_SEARCHED: "Audit trail searched",
    AuditVerb.CALENDAR_CLOSURE_DAY_ADDED: "Closure day added to the calendar",
    AuditVerb.CALENDAR_CLOSURE_DAY_REMOVED: "Closure day removed from the calendar",
    AuditVerb.CALENDAR_SETTINGS_CHANGED: "Calendar settings changed",
    AuditVerb.CASE_ASSIGNED: "Case assigned",
    AuditVerb.CASE_BREAK_GLASS: "Case opened by breaking the glass",
    AuditVerb.CASE_CLOSED: "Case closed",
    AuditVerb.CASE_CLOSING: "Case moved to closing",
    AuditVerb.CASE_CLOSURE_APPROVED: "Case closure approved",
    AuditVerb.CASE_CLOSURE_REQUESTED: "Case closure requested",
    AuditVerb.CASE_CREATED: "Case created",
    AuditVerb.CASE_LINKED: "Cases linked",
    AuditVerb.CASE_LIST_EXPORTED: "Case list downloaded",
    AuditVerb.CASE_OPEN: "Case opened",
    AuditVerb.CASE_PRIORITY_CHANGED: "Case priority changed",
    AuditVerb.CASE_PROMPTED: "Case prompt shown",
    AuditVerb.CASE_READ_REFUSED: "Case read refused",
    AuditVerb.CASE_REASSIGNED: "Case reassigned",
    AuditVerb.CASE_REOPENED: "Case reopened",
    AuditVerb.CASE_RESPONDED: "First response made",
    AuditVerb.CASE_RESPONSE_ALERT: "Response deadline alert sent",
    AuditVerb.CASE_RESPONSE_DUE_RECALCULATED: "Response deadline recalculated",
    AuditVerb.CASE_SURVEY_NOT_SENT: "Satisfaction survey not sent",
    AuditVerb.CASE_TRIAGED: "Case triaged",
    AuditVerb.CASE_VIEWED: "Case viewed",
    AuditVerb.CASES_SEEDED: "Demo cases made",
    AuditVerb.CONTACT_RECORDED: "Contact recorded",
    AuditVerb.BUNDLE_CREATED: "Evidence bundle created",
    AuditVerb.LETTER_DOWNLOADED: "Sent letter downloaded",
    AuditVerb.LETTER_SENT: "Letter sent",
    AuditVerb.LETTER_TEMPLATE_SAVED: "Letter template saved",
    AuditVerb.CONTACT_AGAINST_INSTRUCTIONS: "Contact made against safe-contact instructions",
    AuditVerb.CONTACT_PLAN_AGREED: "Contact plan agreed",
    AuditVerb.CONTACT_PLAN_NEXT_DUE_MOVED: "Next contact date moved",
    AuditVerb.CONTACT_PLAN_UPDATED: "Contact plan updated",
    AuditVerb.EVIDENCE_ATTACHED_FROM_REPORT: "Evidence attached from a report",
    AuditVerb.EVIDENCE_UPLOADED: "Evidence uploaded",
    AuditVerb.EVIDENCEFILE_VIEWED: "Evidence downloaded",
    AuditVerb.HOUSING_IMPORTED: "Housing register imported",
    AuditVerb.HOUSING_SEEDED: "Demo housing register made",
    AuditVerb.INBOUND_EMAIL_RECEIVED: "Email report received",
    AuditVerb.INCIDENT_RECORDED: "Incident recorded",
    AuditVerb.INSTRUMENT_LOADED: "Risk instrument loaded",
    AuditVerb.INSTRUMENT_PUBLISHED: "Risk instrument published",
    AuditVerb.INSTRUMENT_RETIRED: "Risk instrument retired",
    AuditVerb.INTERVENTION_PROPOSED: "Intervention proposed",
    AuditVerb.INTERVENTION_APPROVAL_REQUESTED: "Formal action put forward for approval",
    AuditVerb.INTERVENTION_APPROVED: "Formal action approved",
    AuditVerb.INTERVENTION_REFUSED: "Formal action refused",
    AuditVerb.INTERVENTION_STARTED: "Intervention started",
    AuditVerb.INTERVENTION_CONCLUDED: "Intervention concluded",
    AuditVerb.INTERVENTION_WITHDRAWN: "Intervention withdrawn",
    AuditVerb.INTERVENTIONS_SEEDED: "Demo interventions made",
    AuditVerb.MILESTONE_RECORDED: "Intervention milestone recorded",
    AuditVerb.MILESTONE_REMINDED: "Officer reminded of an intervention milestone",
    AuditVerb.NOTE_ADDED: "Note added",
    AuditVerb.PARTY_ADDED: "Person added to a case",
    AuditVerb.PARTY_UPDATED: "Person on a case updated",
    AuditVerb.REPORT_DIARY_AFTER_CLOSURE: "Diary entry after closure sent to triage as a new report",
    AuditVerb.REPORT_DIARY_ENTRY_ADDED: "Diary entry added by the reporter",
    AuditVerb.REPORT_FILES_ATTACHED: "Files attached to a report",
    AuditVerb.REPORT_READ_REFUSED: "Report read refused",
    AuditVerb.REPORT_RECEIVED: "Report received",
    AuditVerb.REPORT_REFUSED_HONEYPOT: "Report refused as spam",
    AuditVerb.REPORT_STATUS_LINK_ISSUED: "Status link issued",
    AuditVerb.REPORT_STATUS_LINK_NOT_MATCHED: "Status link request not matched",
    AuditVerb.REPORT_STATUS_LINK_REQUESTED: "New status link requested",
    AuditVerb.REPORT_STATUS_LINK_REVOKED: "Status link revoked",
    AuditVerb.REPORT_STATUS_LINK_WITHHELD: "Status link withheld",
    AuditVerb.REPORT_STATUS_VIEWED: "Status page viewed by the reporter",
    AuditVerb.REPORT_TRIAGED: "Report triaged",
    AuditVerb.REPORT_VIEWED: "Report viewed",
    AuditVerb.REPORTATTACHMENT_VIEWED: "Report attachment downloaded",
    AuditVerb.REPORTS_SEEDED: "Demo reports made",
    AuditVerb.RISK_ASSESSED: "Risk assessed",
    AuditVerb.RISK_BAND_OVERRIDDEN: "Risk band overridden",
    AuditVerb.RISK_DA_CHECKLIST_WAIVED: "DA checklist waived for closure by a manager",
    AuditVerb.RISK_MARAC_NOT_REFERRED: "MARAC referral not made (reason recorded)",
    AuditVerb.RISK_MARAC_REFERRAL_MADE: "MARAC referral made",
    AuditVerb.RISK_REASSESSMENT_REMINDER: "Reassessment reminder sent",
    AuditVerb.RISK_SEEDED: "Demo risk assessments made",
    AuditVerb.STAFF_CREATED: "Staff account created",
    AuditVerb.STAFF_PASSWORD_RESET: "Password reset",
    AuditVerb.STAFF_PASSWORD_RESET_REQUESTED: "Password reset requested",
    AuditVerb.STAFF_SIGNED_IN: "Signed in",
    AuditVerb.STAFF_SIGNED_OUT: "Signed out",
    AuditVerb.STAFF_SIGN_IN_FAILED: "Sign-in failed",
    AuditVerb.STAFF_TWO_FACTOR_ENROLLED: "Authenticator app set up",
    AuditVerb.STAFF_UPDATED: "Staff account updated",
    AuditVerb.SURVEY_ANSWERED: "Satisfaction survey answered",
    AuditVerb.SURVEY_EMAIL_FAILED: "Satisfaction survey email failed",
    AuditVerb.SURVEY_INVITED: "Satisfaction survey sent",
    AuditVerb.SURVEY_LINK_ISSUED: "Satisfaction survey link issued",
    AuditVerb.TEAM_CREATED: "Team created",
    AuditVerb.TEAM_DELETED: "Team deleted",
    AuditVerb.TEAM_UPDATED: "Team updated",
    AuditVerb.USER_VIEWED: "Staff account viewed",
    AuditVerb.REQUEST_FORBIDDEN: "Page or file refused (403)",
    AuditVerb.AGENCY_CREATED: "Agency added to the directory",
    AuditVerb.AGENCY_UPDATED: "Agency changed in the directory",
    AuditVerb.AGENCIES_IMPORTED: "Agencies imported",
    AuditVerb.PARTNER_MEMBERSHIP_SET: "Partner user's agency set",
    AuditVerb.REFERRAL_MADE: "Referral made to an agency",
    AuditVerb.REFERRAL_ACKNOWLEDGED: "Referral acknowledged by the agency",
    AuditVerb.REFERRAL_OUTCOME: "Referral outcome recorded",
    AuditVerb.REFERRAL_WITHDRAWN: "Referral withdrawn",
    AuditVerb.REFERRAL_CHASED: "Officer reminded to chase a referral",
    AuditVerb.REFERRALS_SEEDED: "Demo referrals and support offers made",
    AuditVerb.MARAC_FORM_PRODUCED: "MARAC referral form produced",
    AuditVerb.MARACFORM_VIEWED: "MARAC referral form opened",
    AuditVerb.SUPPORT_OFFERED: "Support offered",
    AuditVerb.SUPPORT_DECIDED: "Support accepted or declined",
    AuditVerb.SUPPORT_OUTCOME: "Support outcome recorded",
    AuditVerb.AGREEMENT_RECORDED: "Information-sharing agreement recorded",
    AuditVerb.AGREEMENT_UPDATED: "Information-sharing agreement changed",
    AuditVerb.AGREEMENT_REVIEW_REMINDED: "Reminder sent that an information-sharing agreement is due for review",
    AuditVerb.SHARING_SEEDED: "Demo information-sharing agreements and MARAC referral form made",
    AuditVerb.DISCLOSURE_RECORDED: "Disclosure to another organisation recorded",
    AuditVerb.DISCLOSURE_LOG_EXPORTED: "Disclosure log downloaded",
    AuditVerb.CASE_SHARED: "Case shared with a partner agency",
    AuditVerb.SHARE_WITHDRAWN: "Share with a partner agency withdrawn",
    AuditVerb.SHARED_CASE_READ: "Shared case read by a partner",
    AuditVerb.SHARED_CASE_READ_REFUSED: "Partner refused a case not shared with them",
    AuditVerb.PARTNER_UPDATE_ADDED: "Update added by a partner agency",
    AuditVerb.PARTNERUPDATE_VIEWED: "Partner agency's document downloaded",
    AuditVerb.CONFERENCE_RECORDED: "Case conference recorded",
    AuditVerb.CONFERENCE_ACTION_DONE: "Case conference action done",
    # --- Case Review: application, threshold, prompt (issue 17, helper A) ---
    AuditVerb.CASE_REVIEW_APPLIED: "Case Review application received",
    AuditVerb.CASE_REVIEW_ACKNOWLEDGED: "Case Review application acknowledged by email",
    AuditVerb.CASE_REVIEW_ACK_WITHHELD: "Case Review acknowledgement not emailed (safe contact)",
    AuditVerb.CASE_REVIEW_REFUSED_HONEYPOT: "Case Review form refused (robot)",
    AuditVerb.CASE_REVIEW_STATUS_LINK_ISSUED: "Case Review status link issued",
    AuditVerb.CASE_REVIEW_STATUS_VIEWED: "Case Review status page viewed by the applicant",
    AuditVerb.CASE_REVIEW_THRESHOLD_ASSESSED: "Case Review threshold assessed",
    AuditVerb.CASE_REVIEW_COMPLAINT_ADDED: "Complaint to another agency added to a Case Review",
    AuditVerb.CASE_REVIEW_THRESHOLD_DECIDED: "Case Review threshold decided",
    AuditVerb.CASE_REVIEW_DECISION_ALERT: "Case Review decision alert sent",
    AuditVerb.CASE_REVIEW_TOLD: "Reporter told about the ASB Case Review",
    AuditVerb.CASE_REVIEW_RULES_LOADED: "Case Review threshold rules loaded",
    AuditVerb.CASE_REVIEW_SEEDED: "Demo Case Review applications made",
    AuditVerb.INITIATIVE_RECORDED: "Prevention initiative or publicity campaign recorded",
    AuditVerb.INITIATIVE_UPDATED: "Prevention initiative or publicity campaign changed",
    AuditVerb.TRAINING_RECORDED: "Staff training recorded",
    AuditVerb.POLICY_REVIEW_SCHEDULED: "Policy review scheduled",
    AuditVerb.POLICY_REVIEW_APPROVED: "Policy review completed and approved",
    AuditVerb.POLICY_REVIEW_REMINDED: "Managers reminded that a policy review is due",
    AuditVerb.ACTION_TAKEN_APPROVED: "Quarter's 'action we've taken' approved for publication",
    AuditVerb.EQUALITY_RECORDED: "Equality monitoring answers recorded",
    AuditVerb.EQUALITY_REPORT_VIEWED: "Equality report viewed",
    AuditVerb.INSIGHTS_SEEDED: "Demo registers and published figures made",
    # insights (issue 18 parts 1, 2 and 6)
    AuditVerb.MONTHLY_REPORT_SENT: "Monthly performance report emailed to managers",
    AuditVerb.MONTHLY_REPORT_DOWNLOADED: "Monthly performance report downloaded",
    AuditVerb.TSM_CASES_EXPORTED: "Tenant Satisfaction Measures data return or case list downloaded",
    # case_review: the review, its letters and statistics (helper B)
    AuditVerb.CASE_REVIEW_SPOC_ASSIGNED: "Case Review single point of contact assigned",
    AuditVerb.CASE_REVIEW_AGENCY_INVITED: "Agency invited to a Case Review",
    AuditVerb.CASE_REVIEW_PANEL_RECORDED: "Case Review panel meeting recorded",
    AuditVerb.CASE_REVIEW_RECOMMENDATION_ADDED: "Case Review recommendation added",
    AuditVerb.CASE_REVIEW_RECOMMENDATION_UPDATED: "Case Review recommendation progress recorded",
    AuditVerb.CASE_REVIEW_CONCLUDED: "Case Review concluded",
    AuditVerb.CASE_REVIEW_APPEAL_REQUESTED: "Case Review appeal recorded",
    AuditVerb.CASE_REVIEW_APPEAL_CONCLUDED: "Case Review appeal concluded",
    AuditVerb.CASE_REVIEW_LETTER_SENT: "Case Review letter sent to the applicant",
    AuditVerb.CASE_REVIEW_LETTER_DOWNLOADED: "Case Review letter downloaded",
    AuditVerb.CASE_REVIEW_STATISTICS_EXPORTED: "Case Review statistics downloaded",
    AuditVerb.CASE_REVIEW_REVIEWS_SEEDED: "Demo Case Reviews made",
    # privacy lifecycle (issue 19): retention, legal hold, anonymisation
    AuditVerb.RETENTION_RULE_CHANGED: "Retention schedule changed",
    AuditVerb.RETENTION_RUN_PLANNED: "Anonymisation run planned (dry run)",
    AuditVerb.RETENTION_RUN_APPROVED: "Anonymisation run approved",
    AuditVerb.RETENTION_RUN_CANCELLED: "Anonymisation run cancelled",
    AuditVerb.RETENTION_ITEM_EXCLUDED: "Case left out of an anonymisation run",
    AuditVerb.RETENTION_RUN_FINISHED: "Anonymisation run finished",
    AuditVerb.CASE_ANONYMISED: "Case anonymised",
    AuditVerb.LEGAL_HOLD_PLACED: "Legal hold placed",
    AuditVerb.LEGAL_HOLD_LIFTED: "Legal hold lifted",
    AuditVerb.REPORT_EXPIRED: "Report never made into a case deleted under the retention schedule",
    AuditVerb.STATUS_LINKS_EXPIRED: "Status links expired under the retention schedule",
    # privacy lifecycle (issue 19): rights requests
    AuditVerb.RIGHTS_REQUEST_RECORDED: "Data protection rights request recorded",
    AuditVerb.RIGHTS_REQUEST_EXTENDED: "Rights request deadline extended",
    AuditVerb.RIGHTS_REQUEST_DECIDED: "Rights request decided",
    AuditVerb.SUBJECT_ACCESS_SEARCHED: "Records searched for a subject access request",
    AuditVerb.SUBJECT_ACCESS_EXPORTED: "Subject access export produced",
    AuditVerb.SUBJECT_ACCESS_DOWNLOADED: "Subject access export downloaded",
    AuditVerb.RIGHTS_REQUESTS_EXPORTED: "Rights requests list downloaded",
    # privacy lifecycle (issue 19): DPO oversight
    AuditVerb.OVERSIGHT_VIEWED: "Access oversight viewed",
    AuditVerb.OVERSIGHT_EXPORTED: "Access oversight downloaded",
    # privacy lifecycle (issue 19 part 5, H4)
    AuditVerb.OVERSIGHT_ACCESS_GRANTED: "Data protection officer given time-limited access to a case",
    AuditVerb.OVERSIGHT_ACCESS_ENDED: "Data protection officer's access to a case ended early",
    AuditVerb.OVERSIGHT_ANOMALY_ALERTED: "Data protection officer emailed about unusual access",
    # production and scale-out (issue 20): case-log import
    AuditVerb.CASE_IMPORTED: "Case imported from a case log",
}
