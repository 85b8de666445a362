"""The public form's protections, reused from intake (`intake.services.public_form`): rate limits per address and per
email in the last hour, kept as salted hashes in `IntakeAttempt` under this form's own kinds, and the honeypot."""

from __future__ import annotations

from django.http import HttpRequest

from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.intake.services.public_form import RateLimitedError, attempt_record
from saferhomes.intake.services.public_form import rate_limit_check as intake_rate_limit_check

__all__ = ["RateLimitedError", "honeypot_refusal", "rate_limit_check", "rate_limit_count"]

KIND_IP, KIND_EMAIL = "cr_ip", "cr_email"
APPLICATIONS_PER_IP = 5
APPLICATIONS_PER_EMAIL = 3
LIMITS = {KIND_IP: APPLICATIONS_PER_IP, KIND_EMAIL: APPLICATIONS_PER_EMAIL}


def _keys(keys: dict[str, str]) -> dict[str, str]:
    return {KIND_IP: keys.get("ip", ""), KIND_EMAIL: (keys.get("email") or "").strip().lower()}


def rate_limit_check(keys: dict[str, str]) -> None:
    """RateLimitedError when this address or email has sent too many applications in the last hour."""
    intake_rate_limit_check(_keys(keys), limits=LIMITS)


def rate_limit_count(keys: dict[str, str]) -> None:
    """Count one application against this address and email."""
    attempt_record(_keys(keys))


def honeypot_refusal(*, ip: str, request: HttpRequest | None = None) -> None:
    """Count a robot's attempt against its address, and note it in the audit trail."""
    attempt_record({KIND_IP: ip})
    audit(
        actor=None, verb=AuditVerb.CASE_REVIEW_REFUSED_HONEYPOT, object_type="case_review.application", request=request
    )
