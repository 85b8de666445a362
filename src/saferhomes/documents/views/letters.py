"""The Letters tab of a case (/staff/cases/<ref>/letters/): choose a template and a party, preview, send; download
sent letters (audited reads); build the evidence bundle. Thin: `case_of` (404), `require` (403), services decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferhomes.accounts.http import actor_of
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.rules import case_workable
from saferhomes.cases.selectors.case import case_parties
from saferhomes.core.errors import DomainError
from saferhomes.core.pdf import pdf_response
from saferhomes.core.permissions import require
from saferhomes.documents.forms import LetterForm
from saferhomes.documents.selectors import case_letters, letter_for_case, templates_in_use
from saferhomes.documents.services.bundle import bundle_build
from saferhomes.documents.services.letters import letter_compose, letter_read, letter_send

TAB_TEMPLATE = "documents/letters/tab.html"
PREVIEW_TEMPLATE = "documents/letters/preview.html"


def _form(case: Case, data: Any = None, submit: str = "Preview the letter") -> LetterForm:
    return LetterForm(data, templates=templates_in_use(), parties=case_parties(case=case), submit=submit)


def _tab(request: HttpRequest, case: Case, form: LetterForm | None) -> HttpResponse:
    actor = actor_of(request)
    can_write = actor.has_perm(WORK_CASE) and case_workable(case)
    context = {
        "case": case,
        "active_tab": "letters",
        "letters": list(case_letters(case=case)),
        "form": form if form is not None else (_form(case) if can_write else None),
        "can_write": can_write,
        "can_bundle": actor.has_perm(WORK_CASE),
    }
    return render(request, TAB_TEMPLATE, context)


@require_GET
def case_letters_view(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: the letters sent on the case and the form to write one."""
    return _tab(request, case_of(request, reference), None)


@require_http_methods(["POST"])
def letter_preview_view(request: HttpRequest, reference: str) -> HttpResponse:
    """POST: the merged letter to check before sending (nothing is stored)."""
    case = case_of(request, reference)
    require(request.user, WORK_CASE)
    form = _form(case, request.POST)
    if form.is_valid():
        try:
            draft = letter_compose(actor=actor_of(request), case=case, **form.service_arguments())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            send_form = _form(case, request.POST, submit="Send the letter")
            send_form.is_valid()
            context = {"case": case, "active_tab": "letters", "draft": draft, "form": send_form}
            return render(request, PREVIEW_TEMPLATE, context)
    return _tab(request, case, form)


@require_POST
def letter_send_view(request: HttpRequest, reference: str) -> HttpResponse:
    """POST: send the letter: kept on the case as sent, recorded as a contact, audited."""
    case = case_of(request, reference)
    require(request.user, WORK_CASE)
    form = _form(case, request.POST)  # drawn on the tab again if refused: the first step, preview
    if form.is_valid():
        try:
            letter = letter_send(
                actor=actor_of(request),
                case=case,
                sent_how=form.cleaned_data["sent_how"],
                override_reason=form.cleaned_data["override_reason"],
                request=request,
                **form.service_arguments(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{letter.template.name} to {letter.recipient_name} sent and kept on the case")
            return redirect(reverse("documents:case-letters", kwargs={"reference": case.reference}))
    return _tab(request, case, form)


@require_GET
def letter_download_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """GET: the sent letter's PDF (audited)."""
    case = case_of(request, reference)
    letter = letter_for_case(case=case, pk=pk)
    data = letter_read(actor=actor_of(request), letter=letter, request=request)
    return pdf_response(data, f"{case.reference}-{letter.template.key}-{letter.sent_at:%Y%m%d}.pdf")


@require_POST
def bundle_view(request: HttpRequest, reference: str) -> HttpResponse:
    """POST: build the case's evidence bundle and download it (audited)."""
    case = case_of(request, reference)
    if not request.user.has_perm(WORK_CASE):
        raise PermissionDenied("You do not have permission to do that.")
    bundle = bundle_build(actor=actor_of(request), case=case, request=request)
    return pdf_response(bundle.pdf, f"bundle-{case.reference}.pdf")
