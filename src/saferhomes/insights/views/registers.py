"""The registers (issue 18 part 5): /staff/insights/initiatives/, /training/, /policy-reviews/ — lists, and forms to
add to them (managers: insights.manage_registers). Thin: the services check and record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.insights.forms.registers import InitiativeForm, PolicyApprovalForm, PolicyReviewForm, TrainingForm
from saferhomes.insights.models import InitiativeKind
from saferhomes.insights.selectors import registers as selectors
from saferhomes.insights.services import registers as services


class _ManagerView(View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require(request.user, selectors.MANAGE)
        return super().dispatch(request, *args, **kwargs)


class InitiativeListView(_ManagerView):
    def get(self, request: HttpRequest) -> HttpResponse:
        kind = request.GET.get("kind", "")
        kind = kind if kind in InitiativeKind.values else ""
        return render(
            request,
            "insights/initiatives.html",
            {
                "initiatives": list(selectors.initiatives_list(actor=actor_of(request), kind=kind)),
                "kind": kind,
                "kinds": InitiativeKind.choices,
            },
        )


class InitiativeNewView(_ManagerView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "insights/form_page.html", _form_page(InitiativeForm(), "Add an initiative or campaign"))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InitiativeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.initiative_record(
                    actor=actor_of(request),
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    area=data["area"],
                    estate=data["estate"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    partners=list(data["partners"]),
                    reach=data["reach"],
                    cost=data["cost"],
                    published=data["published"],
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Initiative recorded")
                return redirect("insights:initiatives")
        return render(request, "insights/form_page.html", _form_page(form, "Add an initiative or campaign"))


def _form_page(form: Any, title: str, **extra: Any) -> dict[str, Any]:
    return {"form": form, "title": title, **extra}


class TrainingListView(_ManagerView):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        return render(
            request,
            "insights/training.html",
            {
                "rows": selectors.training_list(actor=actor_of(request), today=today),
                "today": today,
                "gated": settings.TRAINING_GATES_SENSITIVE_CASES,
            },
        )


class TrainingNewView(_ManagerView):
    title = "Record training"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = TrainingForm(staff=selectors.staff_for_training())
        return render(request, "insights/form_page.html", _form_page(form, self.title))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TrainingForm(request.POST, staff=selectors.staff_for_training())
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.training_record_add(
                    actor=actor_of(request),
                    user=data["user"],
                    course=data["course"],
                    title=data["title"],
                    completed_on=data["completed_on"],
                    expires_on=data["expires_on"],
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Training recorded")
                return redirect("insights:training")
        return render(request, "insights/form_page.html", _form_page(form, self.title))


class PolicyReviewListView(_ManagerView):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        return render(
            request,
            "insights/policy_reviews.html",
            {
                "rows": selectors.policy_reviews_list(actor=actor_of(request), today=today),
                "notice_days": selectors.notice_days(),
            },
        )


class PolicyReviewNewView(_ManagerView):
    title = "Schedule a policy review"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "insights/form_page.html", _form_page(PolicyReviewForm(), self.title))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PolicyReviewForm(request.POST)
        if form.is_valid():
            try:
                services.policy_review_schedule(
                    actor=actor_of(request), kind=form.cleaned_data["kind"], due_on=form.cleaned_data["due_on"]
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Policy review scheduled")
                return redirect("insights:policy-reviews")
        return render(request, "insights/form_page.html", _form_page(form, self.title))


class PolicyReviewDetailView(_ManagerView):
    """A review, and (until approved) the form that records its completion and approval."""

    def _render(self, request: HttpRequest, pk: int, form: PolicyApprovalForm | None = None) -> HttpResponse:
        review = selectors.policy_review_get(actor=actor_of(request), pk=pk)
        if form is None and review.approved_at is None:
            form = PolicyApprovalForm()
        return render(request, "insights/policy_review.html", {"review": review, "form": form})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = selectors.policy_review_get(actor=actor_of(request), pk=pk)
        form = PolicyApprovalForm(request.POST)
        if form.is_valid():
            try:
                services.policy_review_approve(
                    actor=actor_of(request),
                    review=review,
                    completed_on=form.cleaned_data["completed_on"],
                    summary=form.cleaned_data["summary"],
                    approval_body=form.cleaned_data["approval_body"],
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Review approved; the next one is scheduled")
                return redirect("insights:policy-reviews")
        return self._render(request, pk, form)
