"""Rights requests pages (issue 19 part 4), for holders of `privacy.handle_rights_request` (the DPO):

- /staff/privacy/requests/ — the list (open, due in 7 days, overdue, decided, all; by kind), CSV and XLSX
- /staff/privacy/requests/new/ — record a request
- /staff/privacy/requests/<id>/ — the request, its deadline in words; check identity, extend, decide
- /staff/privacy/requests/<id>/search/ — subject access: review what was found, leave out false matches, redact more
- /staff/privacy/requests/<id>/export/ — POST produces the ZIP, GET downloads the latest (never a public URL)
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.exports import Column, ExportFormat, export_response
from saferhomes.core.permissions import require
from saferhomes.privacy.forms.rights import (
    DecideForm,
    ExtendForm,
    IdentityForm,
    RequestListForm,
    ReviewForm,
    RightsRequestForm,
)
from saferhomes.privacy.models_rights import RightsKind, RightsRequest
from saferhomes.privacy.rights_rules import deadline_words
from saferhomes.privacy.selectors.rights import (
    HANDLE,
    RequestFilters,
    latest_export,
    rights_request_for,
    rights_requests_for,
    rights_subject_person,
)
from saferhomes.privacy.selectors.subject_access import subject_access_search
from saferhomes.privacy.selectors.subject_access_records import KIND_LABELS
from saferhomes.privacy.services.rights import (
    rights_request_decide,
    rights_request_extend,
    rights_request_record,
    rights_request_verify_identity,
)
from saferhomes.privacy.services.subject_access import subject_access_export, subject_access_review_save

COLUMNS = [
    Column("Reference", lambda r: r.reference),
    Column("Kind", lambda r: r.get_kind_display()),
    Column("Received", lambda r: r.received_on),
    Column("Due", lambda r: r.current_due_on),
    Column("Extended", lambda r: "Yes" if r.extended_due_on else "No"),
    Column("Status", lambda r: r.get_status_display()),
    Column("Decision", lambda r: r.get_decision_display()),
    Column("Decided", lambda r: timezone.localtime(r.decided_at).date() if r.decided_at else ""),
    Column("Handled by", lambda r: r.handled_by.get_username() if r.handled_by else ""),
]


def _request_or_404(request: HttpRequest, pk: int) -> RightsRequest:
    try:
        return rights_request_for(actor=actor_of(request), pk=pk)
    except RightsRequest.DoesNotExist as missing:
        raise Http404("No such request") from missing


class RightsRequestListView(View):
    """GET: the filters and the requests, soonest deadline first; ?format=csv|xlsx downloads them (audited)."""

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        require(request.user, HANDLE)
        form = RequestListForm(request.GET or None)
        filters = RequestFilters()
        if form.is_bound and form.is_valid():
            filters = RequestFilters(
                show=form.cleaned_data.get("show") or "open", kind=form.cleaned_data.get("kind", "")
            )
        today = timezone.localdate()
        rows = rights_requests_for(actor=actor_of(request), filters=filters, today=today)
        formats = {str(value): value for value in ExportFormat}
        if (wanted := request.GET.get("format", "")) in formats:
            audit(
                actor=actor_of(request),
                verb=AuditVerb.RIGHTS_REQUESTS_EXPORTED,
                object_type="privacy.rightsrequest",
                after={"show": filters.show, "kind": filters.kind, "format": wanted},
                request=request,
            )
            return export_response(formats[wanted], COLUMNS, rows, name="rights-requests", title="Rights requests")
        items = [(row, deadline_words(due_on=row.current_due_on, today=today, is_open=row.is_open)) for row in rows]
        query = request.GET.copy()
        query.pop("format", None)
        base = f"{reverse('privacy:rights-list')}?{query.urlencode()}{'&' if query else ''}format="
        context = {"form": form, "items": items, "csv_href": f"{base}csv", "xlsx_href": f"{base}xlsx"}
        return render(request, "privacy/rights/list.html", context)


class RightsRequestNewView(View):
    """GET the form; POST records the request and goes to it (errors shown, answers kept)."""

    def _form(self, request: HttpRequest, data: Any = None) -> RightsRequestForm:
        actor = actor_of(request)
        return RightsRequestForm(
            data, person_lookup=lambda reference: rights_subject_person(actor=actor, reference=reference)
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, HANDLE)
        return render(request, "privacy/rights/new.html", {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, HANDLE)
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                made = rights_request_record(actor=actor_of(request), details=form.request_details(), request=request)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect("privacy:rights-detail", pk=made.pk)
        return render(request, "privacy/rights/new.html", {"form": form})


def _detail_context(rights_request: RightsRequest, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "rr": rights_request,
        "deadline": deadline_words(due_on=rights_request.current_due_on, today=today, is_open=rights_request.is_open),
        "identity_form": forms.get("identity_form") or IdentityForm(),
        "extend_form": forms.get("extend_form") or ExtendForm(),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "may_extend": rights_request.is_open
        and rights_request.extended_due_on is None
        and today <= rights_request.due_on,
        "is_access": rights_request.kind in (RightsKind.ACCESS, RightsKind.PORTABILITY),
        "export": latest_export(rights_request),
        "error_form": next((f for f in forms.values() if f is not None and f.errors), None),
    }


class RightsRequestDetailView(View):
    """GET the request; POST action=identity|extend|decide runs that service and comes back here."""

    ACTIONS = {"identity": IdentityForm, "extend": ExtendForm, "decide": DecideForm}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        require(request.user, HANDLE)
        return render(request, "privacy/rights/detail.html", _detail_context(_request_or_404(request, pk)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        require(request.user, HANDLE)
        rights_request = _request_or_404(request, pk)
        action = request.POST.get("action", "")
        form_class = self.ACTIONS.get(action)
        if form_class is None:
            return redirect("privacy:rights-detail", pk=pk)
        form = form_class(request.POST)
        actor = actor_of(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "identity":
                    rights_request_verify_identity(
                        actor=actor, rights_request=rights_request, how=data["how"], request=request
                    )
                elif action == "extend":
                    rights_request_extend(
                        actor=actor, rights_request=rights_request, reason=data["reason"], request=request
                    )
                else:
                    rights_request_decide(
                        actor=actor,
                        rights_request=rights_request,
                        decision=data["decision"],
                        reason=data.get("reason", ""),
                        action_taken=data.get("action_taken", ""),
                        request=request,
                    )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect("privacy:rights-detail", pk=pk)
        context = _detail_context(rights_request, **{f"{action}_form": form})
        return render(request, "privacy/rights/detail.html", context)


class SubjectAccessReviewView(View):
    """GET: every record found, grouped by kind, each with why it matched and a box to include it (audited search);
    POST: keep the choices and the extra words to redact."""

    def _render(self, request: HttpRequest, rights_request: RightsRequest, form: ReviewForm, status: int) -> Any:
        found = subject_access_search(actor=actor_of(request), rights_request=rights_request, request=request)
        excluded = set(rights_request.excluded_keys or [])
        groups = []
        for kind, label in KIND_LABELS.items():
            records = [(r, r.key not in excluded) for r in found.records if r.kind == kind]
            if records:
                groups.append({"kind": kind, "label": label, "records": records})
        context = {"rr": rights_request, "groups": groups, "form": form, "total": len(found.records)}
        return render(request, "privacy/rights/search.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        require(request.user, HANDLE)
        rights_request = _request_or_404(request, pk)
        if rights_request.kind not in (RightsKind.ACCESS, RightsKind.PORTABILITY):
            raise Http404("Only subject access and portability requests are searched")
        form = ReviewForm(initial={"extra_redactions": "\n".join(rights_request.extra_redactions or [])})
        response: HttpResponse = self._render(request, rights_request, form, 200)
        return response

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        require(request.user, HANDLE)
        rights_request = _request_or_404(request, pk)
        if rights_request.kind not in (RightsKind.ACCESS, RightsKind.PORTABILITY):
            raise Http404("Only subject access and portability requests are searched")
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                subject_access_review_save(
                    actor=actor_of(request),
                    rights_request=rights_request,
                    shown_keys=request.POST.getlist("shown"),
                    included_keys=request.POST.getlist("include"),
                    extra_redactions=(form.cleaned_data.get("extra_redactions") or "").splitlines(),
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect("privacy:rights-detail", pk=pk)
        response: HttpResponse = self._render(request, rights_request, form, 200)
        return response


class SubjectAccessExportView(View):
    """POST produces the export (then back to the request); GET downloads the latest one, audited."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        require(request.user, HANDLE)
        rights_request = _request_or_404(request, pk)
        try:
            subject_access_export(actor=actor_of(request), rights_request=rights_request, request=request)
        except DomainError as error:
            context = _detail_context(rights_request)
            context["export_errors"] = error.messages
            return render(request, "privacy/rights/detail.html", context)
        return redirect("privacy:rights-detail", pk=pk)

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        require(request.user, HANDLE)
        rights_request = _request_or_404(request, pk)
        export = latest_export(rights_request)
        if export is None:
            raise Http404("No export yet")
        audit(actor=actor_of(request), verb=AuditVerb.SUBJECT_ACCESS_DOWNLOADED, obj=rights_request, request=request)
        response = FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"subject-access-{rights_request.reference}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
