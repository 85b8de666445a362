"""A partner agency user's pages under /staff/partner/: the cases shared with their agency, the shared parts of one,
a shared document, and adding an update. Partners never use the case pages (ADR 0010): these read only through
`referrals.selectors.partner`, so a case not actively shared with their agency is a 404 with no hint, and every
read is audited there."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.forms.shares import PartnerUpdateForm
from saferhomes.referrals.models import CaseShare
from saferhomes.referrals.selectors.partner import (
    VIEW_SHARED,
    partner_agency,
    share_for_partner,
    shared_case_for,
    shared_cases_for,
    shared_document_for,
)
from saferhomes.referrals.services.partner import partner_update_add
from saferhomes.referrals.views.shares import private_file_response


class PartnerCasesView(View):
    """GET /staff/partner/: the cases shared with the partner's agency, which parts and until when."""

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        require(actor, VIEW_SHARED)
        rows = shared_cases_for(actor=actor, request=request)
        return render(request, "referrals/partner/cases.html", {"rows": rows, "agency": partner_agency(actor=actor)})


class PartnerCaseView(View):
    """GET /staff/partner/cases/<ref>/: the shared parts of one case, and the updates the agency sent."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        actor = actor_of(request)
        require(actor, VIEW_SHARED)
        shared = shared_case_for(actor=actor, reference=reference, request=request)
        return render(request, "referrals/partner/case.html", {"shared": shared})


class PartnerDocumentView(View):
    """GET /staff/partner/cases/<ref>/documents/<id>/: an evidence file of a case whose documents are shared."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> FileResponse:
        actor = actor_of(request)
        require(actor, VIEW_SHARED)
        document = shared_document_for(actor=actor, reference=reference, document_id=pk, request=request)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        return private_file_response(handle, document.original_name, document.content_type)


class PartnerUpdateView(View):
    """GET and POST /staff/partner/cases/<ref>/update/: add an update (and optionally a document) to a shared case."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        share = self._share(request, reference)
        return self._render(request, share, PartnerUpdateForm())

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        share = self._share(request, reference)
        form = PartnerUpdateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                partner_update_add(
                    actor=actor_of(request),
                    share=share,
                    text=form.cleaned_data["text"],
                    file=form.cleaned_data.get("file"),
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Your update has been sent to the housing officer")
                return redirect("referrals:partner-case", reference=share.case.reference)
        return self._render(request, share, form)

    @staticmethod
    def _share(request: HttpRequest, reference: str) -> CaseShare:
        actor = actor_of(request)
        require(actor, VIEW_SHARED)
        return share_for_partner(actor=actor, reference=reference, request=request)

    @staticmethod
    def _render(request: HttpRequest, share: CaseShare, form: PartnerUpdateForm) -> HttpResponse:
        return render(request, "referrals/partner/update_form.html", {"reference": share.case.reference, "form": form})
