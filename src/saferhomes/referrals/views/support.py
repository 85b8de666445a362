"""Support pages of a case's Partnership tab: offer support (again), record the answer, record the outcome.

Thin, like `views/referrals.py`: `case_of` (404), `require(cases.work_case)` (403), a closed case goes back to the tab;
forms parse, `referrals.services.support` decides.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from saferhomes.accounts.http import actor_of
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.case import case_parties
from saferhomes.core.errors import DomainError
from saferhomes.referrals.forms.referrals import now_initial
from saferhomes.referrals.forms.support import SupportDecisionForm, SupportOfferForm, SupportOutcomeForm, party_label
from saferhomes.referrals.models import SupportKind, SupportOffer, SupportStatus
from saferhomes.referrals.selectors.referrals import agencies_active
from saferhomes.referrals.selectors.support import support_offer_for_case
from saferhomes.referrals.services import support as services
from saferhomes.referrals.views.referrals import PartnershipFormView, form_page, tab_url


class SupportOfferView(PartnershipFormView):
    """GET and POST /staff/cases/<ref>/partnership/support/new/: record an offer of support (`?party=&kind=&agency=`
    fill it in, as "Offer again" does)."""

    permission = WORK_CASE
    section = "support"

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        initial = now_initial("offered")
        for name in ("party", "kind", "agency"):
            if request.GET.get(name):
                initial[name] = request.GET[name]
        return self._render(request, self._form(initial=initial))

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        form = self._form(data=request.POST)
        if form.is_valid():
            try:
                offer = services.support_offer(
                    actor=actor_of(request), case=self.case, request=request, **form.service_arguments()
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Offer of support to {offer.party.display_name} recorded")
                return redirect(tab_url(self.case, "support"))
        return self._render(request, form)

    def _form(self, **kwargs: Any) -> SupportOfferForm:
        agencies = list(agencies_active())
        return SupportOfferForm(parties=case_parties(case=self.case), agencies=agencies, **kwargs)

    def _render(self, request: HttpRequest, form: SupportOfferForm) -> HttpResponse:
        return form_page(
            request,
            self.case,
            form,
            title="Offer support",
            action=reverse("referrals:support-add", kwargs={"reference": self.case.reference}),
            intro=[
                "Support can be offered to anyone on the case: victims, witnesses and alleged perpetrators alike. "
                "Encourage them to accept it.",
            ],
            back=tab_url(self.case, "support"),
        )


class _OfferChangeView(PartnershipFormView, ABC):
    """A change to one offer of support on the case."""

    permission = WORK_CASE
    section = "support"
    title = ""
    url_name = ""
    needs_status = SupportStatus.OFFERED
    moment = ""

    def _offer(self, request: HttpRequest, pk: int) -> SupportOffer | HttpResponse:
        offer = support_offer_for_case(case=self.case, pk=pk)
        if offer.status != self.needs_status or (self.needs_status == SupportStatus.ACCEPTED and offer.outcome_at):
            messages.error(request, self.not_now_message(offer))
            return redirect(tab_url(self.case, "support"))
        return offer

    def not_now_message(self, offer: SupportOffer) -> str:
        return f"{party_label(offer.party)}: their answer to this offer is already recorded"

    @abstractmethod
    def form(self, data: Any = None, initial: dict[str, Any] | None = None) -> Any:
        """The step's form, bound to `data` or showing `initial`."""

    @abstractmethod
    def act(self, request: HttpRequest, offer: SupportOffer, form: Any) -> str:
        """Call the service; return the success message."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        offer = self._offer(request, pk)
        if isinstance(offer, HttpResponse):
            return offer
        return self._render(request, offer, self.form(initial=now_initial(self.moment)))

    def post(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        offer = self._offer(request, pk)
        if isinstance(offer, HttpResponse):
            return offer
        form = self.form(data=request.POST)
        if form.is_valid():
            try:
                done = self.act(request, offer, form)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, done)
                return redirect(tab_url(self.case, "support"))
        return self._render(request, offer, form)

    def _render(self, request: HttpRequest, offer: SupportOffer, form: Any) -> HttpResponse:
        return form_page(
            request,
            self.case,
            form,
            title=self.title,
            action=reverse(self.url_name, kwargs={"reference": self.case.reference, "pk": offer.pk}),
            offer=offer,
            back=tab_url(self.case, "support"),
        )


class SupportDecisionView(_OfferChangeView):
    """GET and POST /staff/cases/<ref>/partnership/support/<id>/answer/: accepted, or declined with a reason."""

    title = "Record their answer"
    url_name = "referrals:support-decide"
    moment = "decided"

    def form(self, data: Any = None, initial: dict[str, Any] | None = None) -> SupportDecisionForm:
        return SupportDecisionForm(data, initial=initial)

    def act(self, request: HttpRequest, offer: SupportOffer, form: Any) -> str:
        decided = services.support_decide(
            actor=actor_of(request), offer=offer, request=request, **form.service_arguments()
        )
        answer = "accepted" if decided.status == SupportStatus.ACCEPTED else "declined"
        return f"{offer.party.display_name} {answer} the {SupportKind(offer.kind).label.lower()} support"


class SupportOutcomeView(_OfferChangeView):
    """GET and POST /staff/cases/<ref>/partnership/support/<id>/outcome/: what came of accepted support."""

    title = "Record what came of the support"
    url_name = "referrals:support-outcome"
    needs_status = SupportStatus.ACCEPTED
    moment = "outcome"

    def not_now_message(self, offer: SupportOffer) -> str:
        if offer.outcome_at:
            return f"{party_label(offer.party)}: the outcome of this support is already recorded"
        return f"{party_label(offer.party)}: only support that was accepted has an outcome"

    def form(self, data: Any = None, initial: dict[str, Any] | None = None) -> SupportOutcomeForm:
        return SupportOutcomeForm(data, initial=initial)

    def act(self, request: HttpRequest, offer: SupportOffer, form: Any) -> str:
        services.support_record_outcome(
            actor=actor_of(request), offer=offer, request=request, **form.service_arguments()
        )
        return f"Outcome of the support for {offer.party.display_name} recorded"
