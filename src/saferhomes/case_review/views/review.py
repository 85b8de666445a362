"""The review pages of an application (/staff/case-reviews/<reference>/review/...; issue 17 parts 4 and 5).

Thin: `application_of` gives the application or a 404, `require` a 403, the services decide; a DomainError lands on
the form with every answer kept.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.case_review.forms import review as forms
from saferhomes.case_review.http import application_of
from saferhomes.case_review.models import OPEN_STATUSES, Application, ApplicationStatus, LetterKind
from saferhomes.case_review.selectors import review as selectors
from saferhomes.case_review.services import letters as letter_services
from saferhomes.case_review.services import review as services
from saferhomes.core.errors import DomainError
from saferhomes.core.pdf import pdf_response
from saferhomes.core.permissions import require

DECIDE = services.DECIDE_CASE_REVIEW
LETTER_SENDERS: dict[str, Callable[..., Any]] = {
    LetterKind.DECISION: letter_services.decision_letter_send,
    LetterKind.OUTCOME: letter_services.outcome_letter_send,
    LetterKind.APPEAL_OUTCOME: letter_services.appeal_outcome_letter_send,
}


def _back(application: Application, anchor: str = "") -> HttpResponse:
    response = redirect("case-review-staff:review", reference=application.reference)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def review_page(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: the review at a glance: contact, deadlines, agencies, the panel, the action plan, letters, the appeal."""
    application = application_of(request, reference)
    record = selectors.review_record(application=application)
    can_run = request.user.has_perm(DECIDE)
    in_review = application.status == ApplicationStatus.REVIEW and application.review_held_at is None
    return render(
        request,
        "case_review/review/review.html",
        {
            "application": application,
            "record": record,
            "today": timezone.localdate(),
            "now": timezone.now(),
            "can_run": can_run,
            "in_review": in_review,
            "can_recommend": can_run
            and (
                (in_review and record.panel is not None)
                or (
                    application.status == ApplicationStatus.APPEAL
                    and record.appeal is not None
                    and record.appeal.concluded_at is None
                )
            ),
            "can_change_spoc": can_run and application.status in OPEN_STATUSES,
            "outcome_letter_ready": application.review_held_at is not None
            and application.status in (ApplicationStatus.REVIEW, ApplicationStatus.OUTCOME_SENT),
            "statuses": ApplicationStatus,
            "kinds": LetterKind,
        },
    )


class _ReviewFormView(View, ABC):
    """A page with one form that calls one service, then goes back to the review page."""

    template = "case_review/review/form.html"
    title = ""
    intro = ""
    success = ""
    anchor = ""
    application: Application

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.application = application_of(request, kwargs["reference"])
        require(request.user, DECIDE)
        return super().dispatch(request, *args, **kwargs)

    @abstractmethod
    def form(self, data: Any = None) -> Any:
        """The page's form, bound to `data` when posted."""

    @abstractmethod
    def save(self, request: HttpRequest, form: Any) -> None:
        """Call the service with the form's values (its DomainError lands on the form)."""

    def context(self) -> dict[str, Any]:
        return {}

    def render_page(self, request: HttpRequest, form: Any) -> HttpResponse:
        return render(
            request,
            self.template,
            {
                "application": self.application,
                "form": form,
                "title": self.title,
                "intro": self.intro,
                "action": request.path,
                **self.context(),
            },
        )

    def get(self, request: HttpRequest, reference: str, **kwargs: Any) -> HttpResponse:
        return self.render_page(request, self.form())

    def post(self, request: HttpRequest, reference: str, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                self.save(request, form)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, self.success)
                return _back(self.application, self.anchor)
        return self.render_page(request, form)


class SpocView(_ReviewFormView):
    title = "Single point of contact"
    intro = "The member of staff the applicant deals with throughout the review."
    success = "Single point of contact saved"
    anchor = "contact"

    def form(self, data: Any = None) -> forms.SpocForm:
        initial = {"spoc": str(self.application.spoc_id)} if self.application.spoc_id else None
        return forms.SpocForm(data, initial=initial, staff=selectors.review_staff())

    def save(self, request: HttpRequest, form: forms.SpocForm) -> None:
        services.spoc_assign(
            actor=actor_of(request),
            application=self.application,
            spoc=form.chosen_staff(form.cleaned_data["spoc"]),
            request=request,
        )


class InviteView(_ReviewFormView):
    title = "Invite an agency"
    intro = "Invite the agencies that dealt with the complaints, or that could help, to the review."
    success = "Agency invited"
    anchor = "agencies"

    def form(self, data: Any = None) -> forms.InviteForm:
        return forms.InviteForm(data, agencies=list(selectors.agencies_to_invite()))

    def save(self, request: HttpRequest, form: forms.InviteForm) -> None:
        services.agency_invite(
            actor=actor_of(request),
            application=self.application,
            agency=form.chosen_agency(form.cleaned_data["agency"]),
            name=form.cleaned_data["name"],
            request=request,
        )


class PanelView(_ReviewFormView):
    title = "The panel meeting"
    intro = "Record when the panel met, who was there, what it considered and the applicant's own account."
    success = "Panel meeting saved"
    anchor = "panel"

    def form(self, data: Any = None) -> forms.PanelForm:
        panel = selectors.review_record(application=self.application).panel
        initial: dict[str, Any] = {}
        rows = forms.ATTENDEE_ROWS
        if panel is not None:
            attendees = list(panel.attendees.all())
            rows = max(rows, len(attendees) + 2)
            initial = {
                "held_on": panel.held_on,
                "chair": str(panel.chair_id),
                "information_considered": panel.information_considered,
                "applicant_account": panel.applicant_account,
                "applicant_account_how": panel.applicant_account_how,
            }
            for row, person in enumerate(attendees, start=1):
                initial[forms.attendee_field(row, "name")] = person.name
                initial[forms.attendee_field(row, "role")] = person.role
                initial[forms.attendee_field(row, "agency")] = str(person.agency_id or "")
                initial[forms.attendee_field(row, "agency_name")] = person.agency_name
        if data is not None:
            posted = [key for key in data if key.startswith("attendee_") and key.endswith("_name")]
            rows = max(rows, len(posted))
        return forms.PanelForm(
            data,
            initial=initial,
            staff=selectors.review_staff(),
            agencies=list(selectors.agencies_to_invite()),
            rows=min(rows, 40),
        )

    def save(self, request: HttpRequest, form: forms.PanelForm) -> None:
        data = form.cleaned_data
        services.panel_record(
            actor=actor_of(request),
            application=self.application,
            held_on=data["held_on"],
            chair=form.chosen_staff(data["chair"]),
            information_considered=data["information_considered"],
            applicant_account=data["applicant_account"],
            applicant_account_how=data["applicant_account_how"],
            attendees=[services.AttendeeInput(**row) for row in form.attendees()],
            request=request,
        )


class RecommendationAddView(_ReviewFormView):
    title = "Add a recommendation"
    intro = "One action of the plan: what will be done, who is responsible and by when."
    success = "Recommendation added"
    anchor = "recommendations"

    def form(self, data: Any = None) -> forms.RecommendationForm:
        return forms.RecommendationForm(
            data, staff=selectors.review_staff(), agencies=list(selectors.agencies_to_invite())
        )

    def save(self, request: HttpRequest, form: forms.RecommendationForm) -> None:
        data = form.cleaned_data
        services.recommendation_add(
            actor=actor_of(request),
            application=self.application,
            text=data["text"],
            due_on=data["due_on"],
            owner_agency=form.chosen_agency(data["owner_agency"]),
            owner_agency_name=data["owner_agency_name"],
            owner_user=form.chosen_staff(data["owner_user"]),
            request=request,
        )


class RecommendationProgressView(_ReviewFormView):
    title = "Record progress"
    success = "Progress saved"
    anchor = "recommendations"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.application = application_of(request, kwargs["reference"])
        self.item = selectors.recommendation_get(application=self.application, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def context(self) -> dict[str, Any]:
        return {"recommendation": self.item}

    def form(self, data: Any = None) -> forms.ProgressForm:
        initial = {"status": self.item.status, "completed_on": self.item.completed_on, "note": self.item.note}
        return forms.ProgressForm(data, initial=initial)

    def save(self, request: HttpRequest, form: forms.ProgressForm) -> None:
        data = form.cleaned_data
        services.recommendation_update(
            actor=actor_of(request),
            recommendation=self.item,
            status=data["status"],
            completed_on=data["completed_on"],
            note=data["note"],
            request=request,
        )


class ConcludeView(_ReviewFormView):
    title = "Conclude the review"
    intro = (
        "Once concluded, the panel's record and its recommendations are final, and the outcome letter is due. "
        "Progress on the recommendations can still be recorded."
    )
    success = "Review concluded: send the outcome letter"
    anchor = "letters"

    def form(self, data: Any = None) -> forms.ConcludeForm:
        return forms.ConcludeForm(data)

    def save(self, request: HttpRequest, form: forms.ConcludeForm) -> None:
        services.review_conclude(
            actor=actor_of(request), application=self.application, outcome=form.cleaned_data["outcome"], request=request
        )


class AppealView(_ReviewFormView):
    title = "Record an appeal"
    intro = "The applicant has asked for the review's outcome to be looked at again."
    success = "Appeal recorded"
    anchor = "appeal"

    def form(self, data: Any = None) -> forms.AppealForm:
        return forms.AppealForm(data, staff=selectors.review_staff())

    def save(self, request: HttpRequest, form: forms.AppealForm) -> None:
        data = form.cleaned_data
        services.appeal_request(
            actor=actor_of(request),
            application=self.application,
            requested_on=data["requested_on"],
            grounds=data["grounds"],
            chair=form.chosen_staff(data["chair"]),
            request=request,
        )


class AppealConcludeView(_ReviewFormView):
    title = "Record the appeal's outcome"
    success = "Appeal outcome recorded: send the appeal outcome letter"
    anchor = "appeal"

    def form(self, data: Any = None) -> forms.AppealConcludeForm:
        return forms.AppealConcludeForm(data)

    def save(self, request: HttpRequest, form: forms.AppealConcludeForm) -> None:
        data = form.cleaned_data
        services.appeal_conclude(
            actor=actor_of(request),
            application=self.application,
            held_on=data["held_on"],
            information_considered=data["information_considered"],
            result=data["result"],
            outcome=data["outcome"],
            request=request,
        )


class LetterSendView(_ReviewFormView):
    """GET: the letter as it will be sent (merged, in the applicant's language and format); POST: send it."""

    template = "case_review/review/letter.html"
    anchor = "letters"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if kwargs["kind"] not in LETTER_SENDERS:
            raise Http404("No such letter")
        self.kind = kwargs["kind"]
        self.title = f"Send the {LetterKind(self.kind).label.lower()}"
        self.success = f"{LetterKind(self.kind).label} sent"
        return super().dispatch(request, *args, **kwargs)

    def context(self) -> dict[str, Any]:
        try:
            draft = letter_services.letter_compose(
                actor=actor_of(self.request), application=self.application, kind=self.kind
            )
        except DomainError as error:
            return {"draft": None, "problem": "; ".join(error.messages) or str(error)}
        return {
            "draft": draft,
            "paragraphs": [p.strip() for p in draft.text.split("\n\n") if p.strip()],
            "withheld": letter_services.email_withheld(self.application),
        }

    def form(self, data: Any = None) -> forms.SendLetterForm:
        return forms.SendLetterForm(data, submit="Send the letter")

    def save(self, request: HttpRequest, form: forms.SendLetterForm) -> None:
        LETTER_SENDERS[self.kind](actor=actor_of(request), application=self.application, request=request)


def letter_pdf(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """GET: a sent letter's PDF (audited)."""
    application = application_of(request, reference)
    letter = selectors.letter_get(application=application, pk=pk)
    data = letter_services.application_letter_read(actor=actor_of(request), letter=letter, request=request)
    return pdf_response(data, f"{application.reference}-{letter.kind}-{letter.sent_at:%Y%m%d}")


def due_list(request: HttpRequest, which: str) -> HttpResponse:
    """GET: the reviews due, outcome letters due or recommendations overdue that the dashboard counts."""
    actor = actor_of(request)
    require(actor, DECIDE)
    if which not in selectors.DUE_LISTS:
        raise Http404("No such list")
    mine_only = request.GET.get("mine") == "1"
    rows = selectors.due_list(actor=actor, which=which, today=timezone.localdate(), mine_only=mine_only)
    return render(
        request,
        "case_review/review/due_list.html",
        {
            "which": which,
            "title": selectors.DUE_LISTS[which],
            "rows": rows,
            "mine_only": mine_only,
            "now": timezone.now(),
        },
    )
