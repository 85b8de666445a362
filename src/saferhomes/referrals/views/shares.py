"""Staff pages for sharing a case with partner agencies (under the case's Partnership tab): share parts of the case,
withdraw a share, and download a document a partner sent. Thin: `case_of` (404 for a case the actor cannot see),
a form, the services in `referrals.services.shares`."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case
from saferhomes.cases.storage import evidence_download_name
from saferhomes.core.audit import audit_read
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.forms.shares import ShareForm, ShareWithdrawForm
from saferhomes.referrals.models import CaseShare
from saferhomes.referrals.selectors.shares import (
    DA_SENSITIVITIES,
    case_partner_update,
    case_share_by_id,
    parts_in_words,
    share_agencies,
    share_agreements,
    share_state,
)
from saferhomes.referrals.services.shares import SHARE_CASE, case_share, share_withdraw


def tab_url(case: Case, section: str) -> str:
    """The case's Partnership tab, at one of its sections."""
    return f"{reverse('referrals:case', kwargs={'reference': case.reference})}#{section}"


def _share_form(case: Case, data: object = None) -> ShareForm:
    return ShareForm(
        data,
        agencies=list(share_agencies(case=case)),
        agreements=list(share_agreements()),
        da_only=case.sensitivity in DA_SENSITIVITIES,
    )


class ShareAddView(View):
    """GET and POST /staff/cases/<ref>/partnership/share/: share parts of the case with a partner agency."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(actor_of(request), SHARE_CASE)
        return self._render(request, case, _share_form(case))

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(actor_of(request), SHARE_CASE)
        form = _share_form(case, request.POST)
        if form.is_valid():
            try:
                share = case_share(actor=actor_of(request), case=case, request=request, **form.service_arguments())
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(
                    request,
                    f"{parts_in_words(share.parts)} shared with {share.agency.name} until "
                    f"{date_format(share.ends_on, 'j F Y')}",
                )
                return redirect(tab_url(case, "shares"))
        return self._render(request, case, form)

    @staticmethod
    def _render(request: HttpRequest, case: Case, form: ShareForm) -> HttpResponse:
        return render(
            request, "referrals/shares/share_form.html", {"case": case, "active_tab": "partnership", "form": form}
        )


class ShareWithdrawView(View):
    """GET and POST /staff/cases/<ref>/partnership/shares/<id>/withdraw/: stop the partner seeing the case now."""

    def _share(self, request: HttpRequest, reference: str, pk: int) -> tuple[Case, CaseShare]:
        case = case_of(request, reference)
        require(actor_of(request), SHARE_CASE)
        share = case_share_by_id(case=case, share_id=pk)
        if share is None:
            raise Http404("This case has no such share.")
        return case, share

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case, share = self._share(request, reference, pk)
        return self._render(request, case, share, ShareWithdrawForm())

    def post(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case, share = self._share(request, reference, pk)
        form = ShareWithdrawForm(request.POST)
        if form.is_valid():
            try:
                share_withdraw(
                    actor=actor_of(request), share=share, reason=form.cleaned_data["reason"], request=request
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"{share.agency.name} can no longer see this case")
                return redirect(tab_url(case, "shares"))
        return self._render(request, case, share, form)

    @staticmethod
    def _render(request: HttpRequest, case: Case, share: CaseShare, form: ShareWithdrawForm) -> HttpResponse:
        context = {
            "case": case,
            "active_tab": "partnership",
            "share": share,
            "state": share_state(share),
            "parts_words": parts_in_words(share.parts),
            "form": form,
        }
        return render(request, "referrals/shares/withdraw.html", context)


class PartnerUpdateFileView(View):
    """GET /staff/cases/<ref>/partnership/updates/<id>/file/: a partner's document, to staff who see the case;
    audited."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> FileResponse:
        case = case_of(request, reference)
        update = case_partner_update(case=case, update_id=pk)
        if update is None or not update.file:
            raise Http404("This case has no such document.")
        try:
            handle = update.file.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        audit_read(actor=actor_of(request), obj=update, request=request)
        return private_file_response(handle, update.original_name, update.content_type)


def private_file_response(handle: object, name: str, content_type: str) -> FileResponse:
    """A file as a private attachment, named with the extension its content has, never sniffed or cached."""
    response = FileResponse(
        handle, as_attachment=True, filename=evidence_download_name(name, content_type), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
