"""Equality monitoring (issue 18 part 5), for managers and the DPO (insights.view_equality): the equality report
(/staff/insights/equality/), and recording the answers of a case's reporters, victims and alleged perpetrators
(/staff/insights/equality/cases/<ref>/...; the case must be one the user may open, so the DPO reads the report only).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.http import case_of
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.insights.forms.equality import CaseReferenceForm, EqualityAnswersForm, EqualityReportForm
from saferhomes.insights.selectors.equality import QUESTIONS, VIEW_EQUALITY, equality_report, monitored_parties
from saferhomes.insights.services.equality import equality_record


class _EqualityView(View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require(request.user, VIEW_EQUALITY)
        return super().dispatch(request, *args, **kwargs)


class EqualityReportView(_EqualityView):
    def get(self, request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        form = EqualityReportForm(request.GET if request.GET else None, today=timezone.localdate())
        question, people, start, end = form.choice()
        report = equality_report(actor=actor, question=question, role_group=people, start=start, end=end)
        audit(
            actor=actor,
            verb=AuditVerb.EQUALITY_REPORT_VIEWED,
            object_label=f"{report.question_label}, {report.role_label.lower()}",
            after={"question": question, "people": people, "start": str(start), "end": str(end)},
            request=request,
        )
        outcomes = report.table.outcomes
        rows = [
            {
                "row": row,
                "mix": [row.outcome_percent.get(outcome, 0) for outcome in outcomes],
            }
            for row in report.table.rows
        ]
        return render(
            request,
            "insights/equality_report.html",
            {
                "form": form,
                "report": report,
                "rows": rows,
                "outcome_headings": [report.outcome_labels[o] for o in outcomes],
                "find_form": CaseReferenceForm(),
            },
        )


class EqualityFindCaseView(_EqualityView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseReferenceForm(request.GET)
        if form.is_valid():
            case = case_of(request, form.cleaned_data["reference"])
            return redirect("insights:equality-case", reference=case.reference)
        return redirect("insights:equality")


class EqualityCaseView(_EqualityView):
    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        return render(
            request,
            "insights/equality_case.html",
            {"case": case, "parties": monitored_parties(actor=actor_of(request), case=case), "questions": QUESTIONS},
        )


class EqualityPartyView(_EqualityView):
    def _party(self, request: HttpRequest, reference: str, party_id: int) -> tuple[Any, Any, Any]:
        case = case_of(request, reference)
        for party, answers in monitored_parties(actor=actor_of(request), case=case):
            if party.pk == party_id:
                return case, party, answers
        raise Http404("That person is not a reporter, victim or alleged perpetrator on this case.")

    def get(self, request: HttpRequest, reference: str, party_id: int) -> HttpResponse:
        case, party, answers = self._party(request, reference, party_id)
        initial = {name: getattr(answers, name) for name in QUESTIONS} if answers else {}
        form = EqualityAnswersForm(initial=initial)
        return render(request, "insights/equality_party.html", {"case": case, "party": party, "form": form})

    def post(self, request: HttpRequest, reference: str, party_id: int) -> HttpResponse:
        case, party, _ = self._party(request, reference, party_id)
        form = EqualityAnswersForm(request.POST)
        if form.is_valid():
            try:
                equality_record(
                    actor=actor_of(request), party=party, answers={n: form.cleaned_data[n] for n in QUESTIONS}
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Equality monitoring answers saved")
                return redirect("insights:equality-case", reference=case.reference)
        return render(request, "insights/equality_party.html", {"case": case, "party": party, "form": form})
