"""Staff pages for case conferences (under the case's Partnership tab): record one with its actions, and mark an
action done. Thin: `case_of`, a form, the services in `referrals.services.conferences`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.views import View
from django.views.decorators.http import require_POST

from saferhomes.accounts.http import actor_of
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.forms.conferences import ConferenceForm
from saferhomes.referrals.selectors.conferences import conference_action_on, conference_agencies
from saferhomes.referrals.services.conferences import conference_action_done, conference_record
from saferhomes.referrals.views.shares import tab_url


class ConferenceAddView(View):
    """GET and POST /staff/cases/<ref>/partnership/conference/: record a case conference and its actions."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(actor_of(request), WORK_CASE)
        return self._render(request, case, ConferenceForm(agencies=list(conference_agencies())))

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(actor_of(request), WORK_CASE)
        form = ConferenceForm(request.POST, agencies=list(conference_agencies()))
        if form.is_valid():
            try:
                conference = conference_record(
                    actor=actor_of(request), case=case, request=request, **form.service_arguments()
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Case conference of {date_format(conference.held_on, 'j F Y')} recorded")
                return redirect(tab_url(case, "conferences"))
        return self._render(request, case, form)

    @staticmethod
    def _render(request: HttpRequest, case: Case, form: ConferenceForm) -> HttpResponse:
        return render(
            request, "referrals/conferences/form.html", {"case": case, "active_tab": "partnership", "form": form}
        )


@require_POST
def conference_action_done_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """POST /staff/cases/<ref>/partnership/actions/<id>/done/: mark a conference action done."""
    case = case_of(request, reference)
    require(actor_of(request), WORK_CASE)
    action = conference_action_on(case=case, action_id=pk)
    if action is None:
        raise Http404("This case has no such action.")
    try:
        conference_action_done(actor=actor_of(request), action=action, request=request)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Marked done: {action.description}")
    return redirect(tab_url(case, "conferences"))
