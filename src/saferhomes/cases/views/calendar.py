"""Administrator pages for the working calendar: nation, office hours, due-soon threshold, closure days, and the
explicit recalculation of open response deadlines. Thin: each calls a service in core or cases."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.forms.calendar import CalendarSettingsForm, ClosureDayForm
from saferhomes.cases.services.deadlines import open_deadline_changes, open_deadlines_recalculate
from saferhomes.core import calendar as rules
from saferhomes.core.calendar_config import (
    CHANGE_PERMISSION,
    calendar_config_current,
    calendar_settings_current,
    calendar_settings_update,
    closure_day_add,
    closure_day_remove,
)
from saferhomes.core.errors import DomainError
from saferhomes.core.forms import add_domain_error
from saferhomes.core.models import ClosureDay
from saferhomes.core.permissions import require

UPCOMING_DAYS = 366


def _upcoming_non_working_days(calendar: rules.WorkingCalendar, today: date) -> list[tuple[date, str]]:
    closures = {closure.day: closure.reason for closure in ClosureDay.objects.filter(day__gte=today)}
    days = []
    for day in rules.non_working_weekdays(today, today + timedelta(days=UPCOMING_DAYS), calendar):
        name = rules.bank_holidays(calendar.nation, day.year).get(day)
        days.append((day, name or f"Closure day: {closures.get(day, '')}"))
    return days


class CalendarView(View):
    """GET /staff/settings/calendar/: the calendar in force, closure days, what a report received now gets."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, CHANGE_PERMISSION)
        config = calendar_config_current()
        calendar = config.calendar
        now = timezone.now()
        today = timezone.localdate(now)
        examples = [
            (
                label,
                rules.deadline_in_words(rules.response_deadline(now, urgent=urgent, calendar=calendar)),
                rules.explain_deadline(now, urgent=urgent, calendar=calendar),
            )
            for label, urgent in (("Standard report", False), ("Urgent report", True))
        ]
        context: dict[str, Any] = {
            "settings_row": calendar_settings_current(),
            "calendar": calendar,
            "nation_label": calendar.nation.label,
            "due_soon": config.due_soon,
            "closures": ClosureDay.objects.filter(day__gte=today - timedelta(days=31)),
            "upcoming": _upcoming_non_working_days(calendar, today),
            "examples": examples,
        }
        return render(request, "cases/calendar/calendar.html", context)


class CalendarChangeView(View):
    """GET/POST /staff/settings/calendar/change/: nation, office hours and due-soon threshold."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, CHANGE_PERMISSION)
        row = calendar_settings_current()
        form = CalendarSettingsForm(
            initial={
                "nation": row.nation,
                "office_hours_enabled": "yes" if row.office_hours_enabled else "no",
                "office_opens": row.office_opens,
                "office_closes": row.office_closes,
                "due_soon_hours": row.due_soon_hours,
            }
        )
        return render(request, "cases/calendar/calendar_change.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, CHANGE_PERMISSION)
        form = CalendarSettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                calendar_settings_update(
                    actor=actor_of(request),
                    nation=data["nation"],
                    office_hours_enabled=data["office_hours_enabled"],
                    office_opens=data["office_opens"],
                    office_closes=data["office_closes"],
                    due_soon_hours=data["due_soon_hours"],
                    request=request,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    "Calendar saved. New deadlines use it; deadlines already set have not moved.",
                )
                return redirect("working_calendar:calendar")
        return render(request, "cases/calendar/calendar_change.html", {"form": form})


class ClosureAddView(View):
    """GET/POST /staff/settings/calendar/closures/add/."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, CHANGE_PERMISSION)
        return render(request, "cases/calendar/closure_add.html", {"form": ClosureDayForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, CHANGE_PERMISSION)
        form = ClosureDayForm(request.POST)
        if form.is_valid():
            try:
                closure = closure_day_add(
                    actor=actor_of(request),
                    day=form.cleaned_data["day"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{rules.day_in_words(closure.day)} is now a closure day.")
                return redirect("working_calendar:calendar")
        return render(request, "cases/calendar/closure_add.html", {"form": form})


class ClosureRemoveView(View):
    """GET/POST /staff/settings/calendar/closures/<pk>/remove/: confirm, then remove."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        require(request.user, CHANGE_PERMISSION)
        closure = get_object_or_404(ClosureDay, pk=pk)
        return render(request, "cases/calendar/closure_remove.html", {"closure": closure})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        require(request.user, CHANGE_PERMISSION)
        closure = get_object_or_404(ClosureDay, pk=pk)
        closure_day_remove(actor=actor_of(request), closure=closure, request=request)
        messages.success(request, f"{rules.day_in_words(closure.day)} is no longer a closure day.")
        return redirect("working_calendar:calendar")


class RecalculateView(View):
    """GET lists what recalculating open deadlines would change; POST applies it and lists what changed."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, CHANGE_PERMISSION)
        changes, revision = open_deadline_changes(actor=actor_of(request))
        return render(
            request, "cases/calendar/recalculate.html", {"changes": changes, "revision": revision, "applied": False}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, CHANGE_PERMISSION)
        try:
            changes = open_deadlines_recalculate(
                actor=actor_of(request), expected_revision=request.POST.get("revision", ""), request=request
            )
        except DomainError as error:
            messages.info(request, " ".join(error.messages))
            return redirect("working_calendar:recalculate")
        return render(request, "cases/calendar/recalculate.html", {"changes": changes, "applied": True})
