"""Giving the DPO time-limited access to one case (issue 19 part 5: "the DPO sees metadata, not case contents, unless
granted"; ADR 0020): /staff/privacy/oversight/dpo-access/ for holders of `privacy.grant_dpo_access` (managers and
administrators): the form, and the access given lately with a button to end any still running."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.privacy.forms.oversight import DpoAccessForm
from saferhomes.privacy.services.dpo_access import (
    GRANT_DPO_ACCESS,
    dpo_access_end,
    dpo_access_grant,
    dpo_grants_recent,
    dpo_users,
)


def _render(request: HttpRequest, form: DpoAccessForm) -> HttpResponse:
    context = {"form": form, "grants": dpo_grants_recent(actor=actor_of(request)), "now": timezone.now()}
    return render(request, "privacy/oversight/dpo_access.html", context)


class DpoAccessView(View):
    """GET shows the form and recent grants; POST gives the access (audited) and comes back here."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, GRANT_DPO_ACCESS)
        return _render(request, DpoAccessForm(dpos=dpo_users()))

    def post(self, request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        require(actor, GRANT_DPO_ACCESS)
        form = DpoAccessForm(request.POST, dpos=dpo_users())
        if form.is_valid():
            try:
                grant = dpo_access_grant(
                    actor=actor,
                    dpo=form.chosen_dpo(),
                    reference=form.cleaned_data["reference"],
                    reason=form.cleaned_data["reason"],
                    hours=form.cleaned_data["hours"],
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                until = timezone.localtime(grant.expires_at)
                messages.success(
                    request,
                    f"{grant.user.get_username()} can open {grant.case.reference} until {until:%H:%M on %d %B %Y}",
                )
                return redirect("privacy:oversight-dpo-access")
        return _render(request, form)


class DpoAccessEndView(View):
    """POST /staff/privacy/oversight/dpo-access/<id>/end/: the access stops now (audited)."""

    def post(self, request: HttpRequest, grant_id: int) -> HttpResponse:
        actor = actor_of(request)
        require(actor, GRANT_DPO_ACCESS)
        try:
            grant = dpo_access_end(actor=actor, grant_id=grant_id, request=request)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Access to {grant.case.reference} has ended")
        return redirect("privacy:oversight-dpo-access")
