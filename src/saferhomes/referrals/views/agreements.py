"""The information-sharing agreements register under /staff/partnership/agreements/ (issue 15 item 5): the list,
soonest review first with "review due" and "overdue" tags; one agreement; adding and changing one. Reading is for
staff who share and the staff who keep the register; adding and changing for the latter (the DPO)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saferhomes.accounts.http import actor_of
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.forms.agreements import AgreementForm
from saferhomes.referrals.models import SharingAgreement
from saferhomes.referrals.selectors.agreements import (
    MANAGE,
    agreement_agencies,
    agreement_for_actor,
    agreements_register,
    may_manage_agreements,
    review_notice_days,
    review_state,
)
from saferhomes.referrals.services.agreements import agreement_record, agreement_update


@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    """GET: every agreement, soonest review first, tagged overdue, review due, ended or not started."""
    actor = actor_of(request)
    rows = agreements_register(actor=actor)
    return render(
        request,
        "referrals/agreements/list.html",
        {"rows": rows, "may_manage": may_manage_agreements(actor), "notice_days": review_notice_days()},
    )


@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: one agreement: parties, purpose, data shared, basis, dates and where it stands."""
    actor = actor_of(request)
    agreement = agreement_for_actor(actor=actor, pk=pk)
    return render(
        request,
        "referrals/agreements/detail.html",
        {
            "agreement": agreement,
            "state": review_state(agreement, today=timezone.localdate()),
            "may_manage": may_manage_agreements(actor),
        },
    )


def _saved(request: HttpRequest, agreement: SharingAgreement, words: str) -> HttpResponse:
    messages.success(request, f"{agreement.name} {words}")
    return redirect("referrals:agreement", pk=agreement.pk)


@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    """GET and POST: add an agreement to the register."""
    actor = actor_of(request)
    require(actor, MANAGE)
    form = AgreementForm(
        request.POST if request.method == "POST" else None, agencies=agreement_agencies(), submit="Add the agreement"
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreement_record(actor=actor, request=request, **form.values())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _saved(request, agreement, "added to the register")
    return render(request, "referrals/agreements/form.html", {"form": form, "agreement": None})


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET and POST: change an agreement (after a review, a new end date, another agency)."""
    actor = actor_of(request)
    require(actor, MANAGE)
    agreement = agreement_for_actor(actor=actor, pk=pk)
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        agencies=agreement_agencies(),
        submit="Save the changes",
        initial=AgreementForm.initial_for(agreement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreement_update(actor=actor, agreement=agreement, request=request, **form.values())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _saved(request, agreement, "changed")
    return render(request, "referrals/agreements/form.html", {"form": form, "agreement": agreement})
