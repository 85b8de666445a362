"""The evidence bundle (issue 16 part 5): built for someone who can work the case, audited with its checksum."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.http import Http404, HttpRequest

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.pdf import render_pdf
from saferhomes.core.permissions import require
from saferhomes.documents.bundle import bundle_sections

BUNDLE_TEMPLATE = "documents/pdf/bundle.html"
REDACTION_NOTE = (
    "Redacted (ADR 0012): the addresses, phone numbers and email addresses of reporters, victims and witnesses are "
    "shown as [redacted], wherever they appear."
)


@dataclass(frozen=True)
class Bundle:
    pdf: bytes
    sha256: str
    sections: list[str]
    seconds: float


def bundle_build(*, actor: User | None, case: Case, request: HttpRequest | None = None) -> Bundle:
    """The case's evidence bundle as one paginated PDF with an index; creating it is audited.

    `actor` None is the system: the `saferhomes bundle` command run on the server without --user (audited as such).
    """
    if actor is not None:
        require(actor, WORK_CASE)
        if not cases_visible_to(actor=actor).filter(pk=case.pk).exists():
            raise Http404("No case found")
    started = time.perf_counter()
    sections = bundle_sections(case)
    pdf = render_pdf(
        BUNDLE_TEMPLATE,
        {
            "case": case,
            "sections": sections,
            "produced_by": (actor.get_full_name() or actor.get_username()) if actor else "the system",
            "redacted_note": REDACTION_NOTE,
        },
        title=f"Evidence bundle: {case.reference}",
    )
    digest = hashlib.sha256(pdf).hexdigest()
    audit(
        actor=actor,
        verb=AuditVerb.BUNDLE_CREATED,
        obj=case,
        object_label=f"{case.reference}: evidence bundle",
        after={"sha256": digest, "sections": [s.key for s in sections], "bytes": len(pdf)},
        request=request,
    )
    return Bundle(pdf=pdf, sha256=digest, sections=[s.title for s in sections], seconds=time.perf_counter() - started)
