"""Referral pages of a case's Partnership tab: make a referral, record the acknowledgement and the outcome, withdraw.

Thin: `case_of` (404 for a case the user cannot see; restricted and DA reads audited), `require` the permission (403),
a closed case goes back to the tab with the reason; forms parse, `referrals.services.referrals` decides. Every form
works without JavaScript and shows the GOV.UK error summary, keeping what was typed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case
from saferhomes.cases.rules import case_workable
from saferhomes.cases.services.locking import CASE_CLOSED
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.forms.referrals import (
    AcknowledgeForm,
    OutcomeForm,
    ReferralForm,
    VersionedForm,
    WithdrawForm,
    now_initial,
)
from saferhomes.referrals.models import Referral, ReferralKind
from saferhomes.referrals.selectors.referrals import agencies_for_referral, referral_for_case, referral_in_words
from saferhomes.referrals.services import referrals as services

FORM_PAGE = "referrals/case/form_page.html"


def tab_url(case: Case, section: str) -> str:
    """The Partnership tab, at one of its sections."""
    return reverse("referrals:case", kwargs={"reference": case.reference}) + f"#{section}"


def form_page(request: HttpRequest, case: Case, form: Any, *, title: str, action: str, **context: Any) -> HttpResponse:
    """A Partnership-tab form page: the heading, what it is about, the form and a way back."""
    return render(
        request,
        FORM_PAGE,
        {"case": case, "active_tab": "partnership", "form": form, "title": title, "action": action, **context},
    )


class PartnershipFormView(View):
    """A page that records something on a case's Partnership tab: the case must be visible to the user (404), the user
    must hold `permission` (403), and the case must not be closed (back to the tab with the reason)."""

    permission = services.REFER_CASE
    section = "referrals"
    case: Case

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.case = case_of(request, kwargs["reference"])
        require(request.user, self.permission)
        if not case_workable(self.case):
            messages.error(request, CASE_CLOSED)
            return redirect(tab_url(self.case, self.section))
        return super().dispatch(request, *args, **kwargs)


class ReferralAddView(PartnershipFormView):
    """GET and POST /staff/cases/<ref>/partnership/referrals/new/: make a referral (`?kind=police` chooses the kind)."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        initial = now_initial("sent")
        if request.GET.get("kind") in ReferralKind.values:
            initial["kind"] = request.GET["kind"]
        return self._render(request, self._form(initial=initial))

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        form = self._form(data=request.POST)
        if form.is_valid():
            try:
                referral = services.referral_make(
                    actor=actor_of(request), case=self.case, request=request, **form.service_arguments()
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Referral to {referral.agency.name} recorded")
                return redirect(tab_url(self.case, "referrals"))
        return self._render(request, form)

    def _form(self, **kwargs: Any) -> ReferralForm:
        return ReferralForm(agencies=list(agencies_for_referral(case=self.case)), **kwargs)

    def _render(self, request: HttpRequest, form: ReferralForm) -> HttpResponse:
        return form_page(
            request,
            self.case,
            form,
            title="Make a referral",
            action=reverse("referrals:referral-add", kwargs={"reference": self.case.reference}),
            intro=[
                "Record a referral you have sent to the police or another agency. Share only what the agency needs, "
                "and record the lawful basis and whether the person agreed.",
            ],
            back=tab_url(self.case, "referrals"),
        )


class _ReferralChangeView(PartnershipFormView, ABC):
    """A change to one outstanding referral of the case (GET shows the form, POST acts)."""

    title = ""
    url_name = ""
    form_class: type[VersionedForm] = VersionedForm
    initial_moment = ""  # the prefix of a date and time pair that starts at now
    referral: Referral

    def _setup(self, request: HttpRequest, pk: int) -> Referral | HttpResponse:
        referral = referral_for_case(case=self.case, pk=pk, actor=actor_of(request))
        if not referral.outstanding:
            words = referral_in_words(referral)
            messages.error(request, f"{words[:1].upper()}{words[1:]} is no longer outstanding")
            return redirect(tab_url(self.case, "referrals"))
        return referral

    @abstractmethod
    def act(self, request: HttpRequest, referral: Referral, form: Any) -> str:
        """Call the service; return the success message."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        referral = self._setup(request, pk)
        if isinstance(referral, HttpResponse):
            return referral
        initial: dict[str, Any] = {"version": referral.version}
        if self.initial_moment:
            initial |= now_initial(self.initial_moment)
        return self._render(request, referral, self.form_class(initial=initial))

    def post(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        referral = self._setup(request, pk)
        if isinstance(referral, HttpResponse):
            return referral
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                done = self.act(request, referral, form)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, done)
                return redirect(tab_url(self.case, "referrals"))
        return self._render(request, referral, form)

    def _render(self, request: HttpRequest, referral: Referral, form: VersionedForm) -> HttpResponse:
        return form_page(
            request,
            self.case,
            form,
            title=self.title,
            action=reverse(self.url_name, kwargs={"reference": self.case.reference, "pk": referral.pk}),
            referral=referral,
            back=tab_url(self.case, "referrals"),
        )


class ReferralAcknowledgeView(_ReferralChangeView):
    """GET and POST /staff/cases/<ref>/partnership/referrals/<id>/acknowledge/: the agency acknowledged it."""

    title = "Record the acknowledgement"
    url_name = "referrals:referral-acknowledge"
    form_class = AcknowledgeForm
    initial_moment = "acknowledged"

    def act(self, request: HttpRequest, referral: Referral, form: Any) -> str:
        services.referral_acknowledge(
            actor=actor_of(request), referral=referral, request=request, **form.service_arguments()
        )
        return f"Acknowledgement from {referral.agency.name} recorded"


class ReferralOutcomeView(_ReferralChangeView):
    """GET and POST /staff/cases/<ref>/partnership/referrals/<id>/outcome/: what came of it."""

    title = "Record the outcome of the referral"
    url_name = "referrals:referral-outcome"
    form_class = OutcomeForm
    initial_moment = "outcome"

    def act(self, request: HttpRequest, referral: Referral, form: Any) -> str:
        services.referral_record_outcome(
            actor=actor_of(request), referral=referral, request=request, **form.service_arguments()
        )
        return f"Outcome of the referral to {referral.agency.name} recorded"


class ReferralWithdrawView(_ReferralChangeView):
    """GET and POST /staff/cases/<ref>/partnership/referrals/<id>/withdraw/: withdraw it, with a reason."""

    title = "Withdraw the referral"
    url_name = "referrals:referral-withdraw"
    form_class = WithdrawForm

    def act(self, request: HttpRequest, referral: Referral, form: Any) -> str:
        services.referral_withdraw(
            actor=actor_of(request), referral=referral, request=request, **form.service_arguments()
        )
        return f"Referral to {referral.agency.name} withdrawn"
