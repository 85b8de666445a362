"""Whether we may email a reporter: one rule, used by the acknowledgement, a new-link request and the confirmation page.

Nothing is ever sent to an anonymous reporter, nor by a way of contact they did not choose, and no email at all on a
domestic abuse report whose safe-contact instructions an officer must read first. The reasons are kept on the
`OutboundMessage` that was withheld, so staff see why nothing was sent.
"""

from __future__ import annotations

from saferhomes.cases.models import CaseType, ContactMethod
from saferhomes.intake.models import Report, ReportStatus

WITHHELD_ANONYMOUS = "Anonymous report: we never contact anonymous reporters"
WITHHELD_DRAFT = "Draft report: acknowledged once it is complete"
WITHHELD_NO_EMAIL = "No email address given"
WITHHELD_NOT_AGREED = "The reporter did not agree to email"
WITHHELD_DA_UNSAFE = "Domestic abuse: unsafe to email until an officer has read the safe-contact instructions"
WITHHELD_FAILED = "The email could not be sent"
WITHHELD_NO_PHONE = "No phone number given"
WITHHELD_TEXT_NOT_AGREED = "The reporter did not agree to text messages"
WITHHELD_TEXT_DA_UNSAFE = "Domestic abuse: unsafe to text until an officer has read the safe-contact instructions"


def is_domestic_abuse(report: Report) -> bool:
    """Whether the report is about domestic abuse (links and messages then say 'only if it is safe')."""
    return report.case_type == CaseType.DA or (report.case is not None and report.case.case_type == CaseType.DA)


def email_withheld_reason(report: Report) -> str:
    """Why no email may go to this reporter ('' when one may)."""
    if report.anonymous:
        return WITHHELD_ANONYMOUS
    if report.status == ReportStatus.DRAFT:
        return WITHHELD_DRAFT
    if not report.email:
        return WITHHELD_NO_EMAIL
    if ContactMethod.EMAIL not in (report.contact_methods or []):
        return WITHHELD_NOT_AGREED
    if is_domestic_abuse(report) and report.safe_contact_notes.strip():
        return WITHHELD_DA_UNSAFE
    return ""


WITHHELD_IN_WORDS = {
    WITHHELD_NO_EMAIL: "You did not give us an email address, so we have not emailed you.",
    WITHHELD_NOT_AGREED: "You did not choose email as a safe way to contact you, so we have not emailed you.",
    WITHHELD_DA_UNSAFE: "Because you told us how to contact you safely, we have not emailed you. An officer will read "
    "what you told us before contacting you.",
}


def email_withheld_in_words(report: Report) -> str:
    """Why we have not emailed this reporter, as the reporter is told it ('' when we may, or they are anonymous)."""
    return WITHHELD_IN_WORDS.get(email_withheld_reason(report), "")


def may_email(report: Report) -> bool:
    """Whether an email may go to this reporter (see `email_withheld_reason`)."""
    return not email_withheld_reason(report)


def text_withheld_reason(report: Report) -> str:
    """Why no text message may go to this reporter ('' when one may): the same rules as email, for their phone."""
    if report.anonymous:
        return WITHHELD_ANONYMOUS
    if report.status == ReportStatus.DRAFT:
        return WITHHELD_DRAFT
    if not report.phone:
        return WITHHELD_NO_PHONE
    if ContactMethod.TEXT not in (report.contact_methods or []):
        return WITHHELD_TEXT_NOT_AGREED
    if is_domestic_abuse(report) and report.safe_contact_notes.strip():
        return WITHHELD_TEXT_DA_UNSAFE
    return ""
