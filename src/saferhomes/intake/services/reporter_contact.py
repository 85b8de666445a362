"""Whether we may email a reporter: one rule, used by the acknowledgement, a new-link request and the confirmation page.

Nothing is ever sent to an anonymous reporter, nor by a way of contact they did not choose, and no email at all on a
domestic abuse report whose safe-contact instructions an officer must read first. The reasons are kept on the
`OutboundMessage` that was withheld, so staff see why nothing was sent.
"""

from __future__ import annotations

from saferhomes.cases.models import CaseType
from saferhomes.cases.rules import ContactInstructions
from saferhomes.cases.selectors.case import party_contact_instructions
from saferhomes.housing.models import ContactMethod
from saferhomes.intake.models import Report, ReportStatus
from saferhomes.intake.selectors.staff import reporter_parties

WITHHELD_ANONYMOUS = "Anonymous report: we never contact anonymous reporters"
WITHHELD_DRAFT = "Draft report: acknowledged once it is complete"
WITHHELD_NO_EMAIL = "No email address given"
WITHHELD_NOT_AGREED = "The reporter did not agree to email"
WITHHELD_DA_UNSAFE = "Domestic abuse: unsafe to email until an officer has read the safe-contact instructions"
WITHHELD_FAILED = "The email could not be sent"
WITHHELD_NO_PHONE = "No phone number given"
WITHHELD_TEXT_NOT_AGREED = "The reporter did not agree to text messages"
WITHHELD_TEXT_DA_UNSAFE = "Domestic abuse: unsafe to text until an officer has read the safe-contact instructions"
WITHHELD_EMAIL_AVOIDED = "Their safe-contact instructions on the case say never to email them"
WITHHELD_TEXT_AVOIDED = "Their safe-contact instructions on the case say never to text them"


def is_domestic_abuse(report: Report) -> bool:
    """Whether the report is about domestic abuse (links and messages then say 'only if it is safe')."""
    return report.case_type == CaseType.DA or (report.case is not None and report.case.case_type == CaseType.DA)


def _case_instructions(report: Report) -> list[ContactInstructions]:
    """What staff have recorded on the case about contacting this reporter (the parties the report became)."""
    if report.case_id is None or report.anonymous:
        return []
    return [party_contact_instructions(party) for party in reporter_parties(report)]


def _withheld_reason(report: Report, *, method: str, address: str, reasons: tuple[str, str, str, str]) -> str:
    """Why no message by `method` may go to this reporter ('' when one may). `reasons`: no address, not chosen,
    DA unsafe, and never by this way. Once the report is on a case, the instructions staff keep on the case's party
    decide: the ways they chose there, and the ways never to use there and on the housing register (ADR 0009)."""
    no_address, not_agreed, da_unsafe, avoided = reasons
    if report.anonymous:
        return WITHHELD_ANONYMOUS
    if report.status == ReportStatus.DRAFT:
        return WITHHELD_DRAFT
    if not address:
        return no_address
    instructions = _case_instructions(report)
    if any(method in each.avoid for each in instructions):
        return avoided
    chosen = [each.chosen for each in instructions if each.chosen] or [tuple(report.contact_methods or [])]
    if any(method not in ways for ways in chosen):
        return not_agreed
    if is_domestic_abuse(report) and report.safe_contact_notes.strip():
        return da_unsafe
    return ""


def email_withheld_reason(report: Report) -> str:
    """Why no email may go to this reporter ('' when one may)."""
    return _withheld_reason(
        report,
        method=ContactMethod.EMAIL,
        address=report.email,
        reasons=(WITHHELD_NO_EMAIL, WITHHELD_NOT_AGREED, WITHHELD_DA_UNSAFE, WITHHELD_EMAIL_AVOIDED),
    )


WITHHELD_IN_WORDS = {
    WITHHELD_NO_EMAIL: "You did not give us an email address, so we have not emailed you.",
    WITHHELD_NOT_AGREED: "You did not choose email as a safe way to contact you, so we have not emailed you.",
    WITHHELD_DA_UNSAFE: "Because you told us how to contact you safely, we have not emailed you. An officer will read "
    "what you told us before contacting you.",
    WITHHELD_EMAIL_AVOIDED: "You asked us never to email you, so we have not emailed you.",
}


def email_withheld_in_words(report: Report) -> str:
    """Why we have not emailed this reporter, as the reporter is told it ('' when we may, or they are anonymous)."""
    return WITHHELD_IN_WORDS.get(email_withheld_reason(report), "")


def may_email(report: Report) -> bool:
    """Whether an email may go to this reporter (see `email_withheld_reason`)."""
    return not email_withheld_reason(report)


def text_withheld_reason(report: Report) -> str:
    """Why no text message may go to this reporter ('' when one may): the same rules as email, for their phone."""
    return _withheld_reason(
        report,
        method=ContactMethod.TEXT,
        address=report.phone,
        reasons=(WITHHELD_NO_PHONE, WITHHELD_TEXT_NOT_AGREED, WITHHELD_TEXT_DA_UNSAFE, WITHHELD_TEXT_AVOIDED),
    )
