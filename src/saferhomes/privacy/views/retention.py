"""The DPO's retention pages (issue 19 parts 1-2): the privacy landing page, the retention schedule and a rule's
change (with a reason), the anonymisation runs and a run's dry-run list (leave a case out, approve, cancel)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saferhomes.accounts.http import actor_of
from saferhomes.core.errors import DomainError
from saferhomes.core.pagination import paginate
from saferhomes.core.permissions import require
from saferhomes.privacy.forms.retention import ReasonForm, RuleChangeForm
from saferhomes.privacy.models import ItemStatus, RetentionItem, RetentionRule, RunStatus
from saferhomes.privacy.selectors.holds import (
    MANAGE_RETENTION,
    cases_waiting_for_approval,
    retention_run_for,
    retention_runs,
    run_items,
)
from saferhomes.privacy.selectors.retention import period_in_words, rule_label
from saferhomes.privacy.services.runs import approve_run, cancel_run, exclude_item, plan_run
from saferhomes.privacy.services.schedule import retention_rule_change

LANDING_PERMISSIONS = (
    "privacy.manage_retention",
    "privacy.manage_legal_hold",
    "core.search_auditevent",
    "referrals.view_disclosure_log",
)
ITEMS_PER_PAGE = 50


def privacy_index(request: HttpRequest) -> HttpResponse:
    """GET /staff/privacy/: links to the privacy pages the signed-in member of staff may use."""
    actor = actor_of(request)
    if not any(actor.has_perm(perm) for perm in LANDING_PERMISSIONS):
        raise PermissionDenied("You do not have permission to do that.")
    waiting = cases_waiting_for_approval() if actor.has_perm(MANAGE_RETENTION) else 0
    return render(request, "privacy/index.html", {"waiting": waiting})


def retention_schedule(request: HttpRequest) -> HttpResponse:
    """GET /staff/privacy/retention/: every rule with its period, start event and basis."""
    require(actor_of(request), MANAGE_RETENTION)
    rules = [
        {"rule": rule, "label": rule_label(rule), "period": period_in_words(rule.months, rule.days)}
        for rule in RetentionRule.objects.select_related("changed_by")
    ]
    return render(request, "privacy/retention_schedule.html", {"rules": rules})


def retention_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /staff/privacy/retention/<id>/change/: a new period for one rule, with the reason."""
    actor = actor_of(request)
    require(actor, MANAGE_RETENTION)
    rule = RetentionRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404("No such rule")
    initial = {"months": rule.months, "days": rule.days}
    form = RuleChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            retention_rule_change(
                actor=actor, rule=rule, months=data["months"], days=data["days"], reason=data["reason"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Retention period for {rule_label(rule)} changed")
            return redirect("privacy:retention-schedule")
    context = {"rule": rule, "label": rule_label(rule), "period": period_in_words(rule.months, rule.days), "form": form}
    return render(request, "privacy/retention_rule_change.html", context)


# Runs --------------------------------------------------------------------------------------------------------------


def run_list(request: HttpRequest) -> HttpResponse:
    """GET /staff/privacy/retention/runs/: every run with its status and counts; 'Plan a run now'."""
    actor = actor_of(request)
    runs = retention_runs(actor=actor)
    open_run = runs.filter(status__in=[RunStatus.PROPOSED, RunStatus.APPROVED, RunStatus.RUNNING]).first()
    return render(request, "privacy/run_list.html", {**paginate(runs, request.GET, per_page=20), "open_run": open_run})


@require_POST
def run_plan(request: HttpRequest) -> HttpResponse:
    """POST /staff/privacy/retention/runs/plan/: a dry-run list of the cases due today."""
    actor = actor_of(request)
    try:
        run = plan_run(actor=actor)
    except DomainError as error:
        messages.error(request, "; ".join(error.messages) or "The run could not be planned")
        return redirect("privacy:run-list")
    if run is None:
        messages.success(request, "No cases are due for anonymisation today")
        return redirect("privacy:run-list")
    messages.success(request, f"Run {run.pk} planned: check the list and approve it")
    return redirect("privacy:run-detail", pk=run.pk)


def _run_page(request: HttpRequest, pk: int, **forms: object) -> HttpResponse:
    actor = actor_of(request)
    run = retention_run_for(actor=actor, pk=pk)
    context = {
        "run": run,
        **paginate(run_items(run=run), request.GET, per_page=ITEMS_PER_PAGE),
        "proposed": run.status == RunStatus.PROPOSED,
        "cancellable": run.status in (RunStatus.PROPOSED, RunStatus.APPROVED),
        "cancel_form": forms.get("cancel_form")
        or ReasonForm(label="Why is the run cancelled?", submit="Cancel the run", prefix="cancel"),
        "exclude_form": forms.get("exclude_form"),
        "exclude_item": forms.get("exclude_item"),
    }
    return render(request, "privacy/run_detail.html", context)


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /staff/privacy/retention/runs/<id>/: the dry-run list (metadata only), approve, cancel."""
    return _run_page(request, pk)


@require_POST
def run_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /staff/privacy/retention/runs/<id>/approve/."""
    actor = actor_of(request)
    run = retention_run_for(actor=actor, pk=pk)
    try:
        approve_run(actor=actor, run=run)
    except DomainError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, f"Run {run.pk} approved: the cases on it will be anonymised")
    return redirect("privacy:run-detail", pk=run.pk)


@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /staff/privacy/retention/runs/<id>/cancel/: with a reason."""
    actor = actor_of(request)
    run = retention_run_for(actor=actor, pk=pk)
    form = ReasonForm(request.POST, label="Why is the run cancelled?", submit="Cancel the run", prefix="cancel")
    if form.is_valid():
        try:
            cancel_run(actor=actor, run=run, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Run {run.pk} cancelled")
            return redirect("privacy:run-detail", pk=run.pk)
    return _run_page(request, pk, cancel_form=form)


def run_item_exclude(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """GET/POST /staff/privacy/retention/runs/<id>/items/<item>/exclude/: leave one case out, with a reason."""
    actor = actor_of(request)
    run = retention_run_for(actor=actor, pk=pk)
    item = RetentionItem.objects.filter(run=run, pk=item_pk).first()
    if item is None:
        raise Http404("No such case on this run")
    form = ReasonForm(
        request.POST or None,
        label=f"Why is {item.reference} left out?",
        submit="Leave the case out",
        help_text="It will be proposed again on the next run unless it is held.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            exclude_item(actor=actor, item=item, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{item.reference} left out of run {run.pk}")
            return redirect("privacy:run-detail", pk=run.pk)
    return render(
        request,
        "privacy/run_item_exclude.html",
        {"run": run, "item": item, "form": form, "pending": item.status == ItemStatus.PENDING},
    )
