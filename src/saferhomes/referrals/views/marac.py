"""The MARAC referral form (issue 15 item 3), for staff in the DA permission set only: everyone else gets a 404, as if
there were no such page. /staff/cases/<ref>/partnership/marac/<decision id>/ shows the form pre-filled from the case
and produces it; /staff/cases/<ref>/partnership/marac-forms/<id>/ downloads a produced one (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from saferhomes.accounts.http import actor_of
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case
from saferhomes.cases.rules import case_workable
from saferhomes.core.errors import DomainError
from saferhomes.core.pdf import pdf_response
from saferhomes.core.permissions import require
from saferhomes.referrals.forms.marac import MaracReferralForm
from saferhomes.referrals.selectors.marac import (
    ASSESS_RISK,
    REFER_CASE,
    agreements_in_force,
    marac_agencies,
    marac_facts,
    marac_form_for_actor,
    may_see_marac,
    required_decisions,
)
from saferhomes.referrals.services.marac import marac_form_produce
from saferhomes.risk.models import MaracConsent


def section_url(case: Case) -> str:
    """The MARAC section of the case's Partnership tab."""
    return reverse("referrals:case", kwargs={"reference": case.reference}) + "#marac-referral"


@require_http_methods(["GET", "POST"])
def marac_referral(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """GET: the form pre-filled for this required MARAC decision; POST: produce it (PDF, referral, disclosure)."""
    case = case_of(request, reference)
    actor = actor_of(request)
    if not may_see_marac(actor):
        raise Http404("No such page.")
    decision = get_object_or_404(required_decisions(case=case), pk=pk)
    if not decision.outstanding:
        messages.info(request, "This MARAC referral has already been made or a manager decided it will not be.")
        return redirect(section_url(case))
    if not case_workable(case):
        messages.error(request, "This case is closed. Reopen it before referring it to MARAC.")
        return redirect(section_url(case))
    require(actor, REFER_CASE)
    require(actor, ASSESS_RISK)
    facts = marac_facts(case=case, decision=decision, actor=actor)
    agencies = list(marac_agencies())
    form = MaracReferralForm(
        request.POST if request.method == "POST" else None,
        agencies=agencies,
        agreements=agreements_in_force().filter(agencies__in=agencies).distinct(),
        consented=decision.consent == MaracConsent.GIVEN,
        initial={"reason": facts.suggested_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            produced = marac_form_produce(actor=actor, case=case, decision=decision, request=request, **form.chosen())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            agency = produced.referral.agency
            messages.success(
                request,
                f"MARAC referral form produced. Download it and send it to {agency.name}"
                + (f" at {agency.secure_email}" if agency.secure_email else "")
                + ". The referral is recorded as made today.",
            )
            return redirect(section_url(case))
    return render(
        request,
        "referrals/marac/form.html",
        {"case": case, "active_tab": "partnership", "facts": facts, "form": form, "agencies": agencies},
    )


@require_GET
def marac_form_download(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The produced PDF as an attachment, to staff in the DA permission set who see the case; audited."""
    case = case_of(request, reference)
    form = marac_form_for_actor(actor=actor_of(request), case=case, pk=pk, request=request)
    try:
        with form.file.open("rb") as handle:
            document = handle.read()
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    return pdf_response(document, f"MARAC-referral-{case.reference}-{form.produced_at:%Y%m%d}.pdf")
