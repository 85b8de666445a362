"""The public satisfaction survey, opened by the private link from the closure email: no account, works without JS.

An unknown link is a 404; a used or expired one a 410, each with a friendly page. Nothing about the case is shown
beyond its reference. Pages are never cached, and links out never carry the token (Referrer-Policy same-origin).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views import View

from saferhomes.cases.forms.closure import SurveyForm
from saferhomes.cases.selectors.closure import SurveyLinkError, SurveyLinkProblem, survey_invitation_for_token
from saferhomes.cases.services.closure import survey_answer
from saferhomes.core.errors import DomainError
from saferhomes.core.forms import add_domain_error

UNAVAILABLE_STATUS = {SurveyLinkProblem.UNKNOWN: 404, SurveyLinkProblem.ANSWERED: 410, SurveyLinkProblem.EXPIRED: 410}


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _unavailable(request: HttpRequest, problem: SurveyLinkProblem) -> HttpResponse:
    response = render(
        request, "cases/survey/unavailable.html", {"problem": problem.value}, status=UNAVAILABLE_STATUS[problem]
    )
    return _private(response)


class SurveyAnswerView(View):
    """GET and POST /survey/<token>/: TP12's question and 'what could we have done better'."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = survey_invitation_for_token(token=token)
        except SurveyLinkError as error:
            return _unavailable(request, error.problem)
        form = SurveyForm(landlord_name=settings.LANDLORD_NAME)
        return self._render(request, form, invitation.case.reference)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = survey_invitation_for_token(token=token)
        except SurveyLinkError as error:
            return _unavailable(request, error.problem)
        form = SurveyForm(request.POST, landlord_name=settings.LANDLORD_NAME)
        if form.is_valid():
            try:
                survey_answer(
                    token=token,
                    satisfaction=form.cleaned_data["satisfaction"],
                    could_do_better=form.cleaned_data["could_do_better"],
                    request=request,
                )
            except SurveyLinkError as error:
                return _unavailable(request, error.problem)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("survey:thanks")
        return self._render(request, form, invitation.case.reference)

    @staticmethod
    def _render(request: HttpRequest, form: SurveyForm, reference: str) -> HttpResponse:
        return _private(render(request, "cases/survey/answer.html", {"form": form, "reference": reference}))


def survey_thanks(request: HttpRequest) -> HttpResponse:
    """GET /survey/thanks/: the confirmation page."""
    return _private(render(request, "cases/survey/thanks.html"))
