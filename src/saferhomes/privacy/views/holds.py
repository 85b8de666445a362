"""Legal holds (issue 19 part 3): /staff/privacy/holds/ lists active and lifted holds (CSV/XLSX through
`core.exports`), /holds/new/ places one with a reason, /holds/<id>/lift/ lifts one with a reason. For the DPO (every
case, metadata only) and managers (cases they may see)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from saferhomes.accounts.http import actor_of
from saferhomes.core.errors import DomainError
from saferhomes.core.exports import Column, ExportFormat, export_response
from saferhomes.core.pagination import paginate
from saferhomes.privacy.forms.retention import HoldPlaceForm, ReasonForm
from saferhomes.privacy.selectors.holds import legal_hold_for, legal_holds_for
from saferhomes.privacy.services.holds import legal_hold_lift, legal_hold_place

COLUMNS = [
    Column("Case", lambda h: h.case.reference),
    Column("Case type", lambda h: h.case.get_case_type_display()),
    Column("Placed (Europe/London)", lambda h: h.placed_at),
    Column("Placed by", lambda h: h.placed_by.get_username()),
    Column("Reason", lambda h: h.reason),
    Column("Lifted (Europe/London)", lambda h: h.lifted_at or ""),
    Column("Lifted by", lambda h: h.lifted_by.get_username() if h.lifted_by_id else ""),
    Column("Why lifted", lambda h: h.lift_reason),
]


def hold_list(request: HttpRequest) -> HttpResponse:
    """GET /staff/privacy/holds/: active holds, then lifted ones; downloads."""
    actor = actor_of(request)
    active = list(legal_holds_for(actor=actor, active=True))
    lifted = legal_holds_for(actor=actor, active=False)
    return render(request, "privacy/hold_list.html", {"active": active, **paginate(lifted, request.GET, per_page=50)})


def hold_download(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """GET /staff/privacy/holds/download/?format=csv|xlsx: every hold the actor may manage."""
    holds = legal_holds_for(actor=actor_of(request))
    formats = {str(value): value for value in ExportFormat}
    export_format = formats.get(request.GET.get("format", ""), ExportFormat.CSV)
    return export_response(
        export_format, COLUMNS, holds.iterator(chunk_size=2000), name="legal-holds", title="Legal holds"
    )


def hold_new(request: HttpRequest) -> HttpResponse:
    """GET/POST /staff/privacy/holds/new/: place a hold (the reference may be given as ?case=)."""
    actor = actor_of(request)
    legal_holds_for(actor=actor)  # permission check before showing the form
    initial = {"case_reference": request.GET.get("case", "")[:30]}
    form = HoldPlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            hold = legal_hold_place(
                actor=actor, case_reference=form.cleaned_data["case_reference"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Legal hold placed on {hold.case.reference}")
            return redirect("privacy:hold-list")
    return render(request, "privacy/hold_new.html", {"form": form})


def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /staff/privacy/holds/<id>/lift/: lift an active hold, with a reason."""
    actor = actor_of(request)
    hold = legal_hold_for(actor=actor, pk=pk)
    form = ReasonForm(
        request.POST or None,
        label="Why is the hold lifted?",
        submit="Lift the hold",
        help_text="For example, the claim was settled. The case is kept under the retention schedule again.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            legal_hold_lift(actor=actor, hold=hold, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Legal hold on {hold.case.reference} lifted")
            return redirect("privacy:hold-list")
    return render(request, "privacy/hold_lift.html", {"hold": hold, "form": form})
