"""The investigation record tabs of a case: Incidents (with evidence), Contacts (with the contact plan), Actions,
Timeline, and the permission-checked evidence download. Thin: forms parse, services decide, selectors read.

Every page starts from `case_get_for_actor`, so a case the user cannot see is a 404 and reads of restricted and
domestic abuse cases are audited. Every form works without JavaScript (the evidence upload is a plain multipart
POST) and shows the GOV.UK error summary, keeping what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.forms.record import (
    ActionCompleteForm,
    ActionForm,
    ActionReopenForm,
    ContactForm,
    ContactPlanForm,
    EvidenceForm,
    IncidentForm,
    NoteForm,
)
from saferhomes.cases.http import case_of, private_file_response
from saferhomes.cases.models import ActionItem, Case, ContactPurpose, EvidenceFile, Incident, Party
from saferhomes.cases.permissions import WORK_CASE, CasePermissions, case_permissions
from saferhomes.cases.selectors.case import PartyView, case_parties, party_views
from saferhomes.cases.selectors.record import (
    action_owner_candidates,
    case_actions,
    case_contact_plan,
    case_contacts,
    case_evidence,
    case_incidents,
    contact_plan_is_missed,
)
from saferhomes.cases.services import evidence as evidence_services
from saferhomes.cases.services import record
from saferhomes.cases.timeline import case_timeline, timeline_kinds
from saferhomes.core.errors import DomainError
from saferhomes.core.pagination import paginate
from saferhomes.core.permissions import require

TIMELINE_PAGE_SIZE = 50


def _may(request: HttpRequest, case: Case) -> CasePermissions:
    return case_permissions(actor=actor_of(request), case=case)


def _page(request: HttpRequest, template: str, case: Case, tab: str, **context: Any) -> HttpResponse:
    may = _may(request, case)
    context = {"can_work": may.can_work, "works_cases": may.works_cases, **context}
    return render(request, template, {"case": case, "active_tab": tab, **context})


# Incidents and evidence ---------------------------------------------------------------------------------------------


class IncidentsView(View):
    """GET /staff/cases/<ref>/incidents/: incidents with their evidence, and the evidence upload form (POST)."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        incidents = list(case_incidents(case=case))
        initial = {"incident": request.GET.get("incident", "")}
        form = EvidenceForm(incidents=incidents, initial=initial) if _may(request, case).works_cases else None
        return self._render(request, case, incidents, form)

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        incidents = list(case_incidents(case=case))
        form = EvidenceForm(request.POST, request.FILES, incidents=incidents)
        if form.is_valid():
            try:
                evidence = evidence_services.evidence_upload(
                    actor=actor_of(request),
                    case=case,
                    file=form.cleaned_data["file"],
                    description=form.cleaned_data.get("description", ""),
                    incident=form.selected_incident(),
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"{evidence.original_name} added to the case")
                return redirect("cases:incidents", reference=case.reference)
        return self._render(request, case, incidents, form)

    @staticmethod
    def _render(request: HttpRequest, case: Case, incidents: list[Incident], form: EvidenceForm | None) -> HttpResponse:
        loose = [evidence for evidence in case_evidence(case=case) if evidence.incident_id is None]
        return _page(
            request, "cases/record/incidents.html", case, "incidents", incidents=incidents, loose=loose, form=form
        )


class IncidentAddView(View):
    """GET and POST /staff/cases/<ref>/incidents/new/: record an incident."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        return self._render(request, case, self._form(case))

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        form = self._form(case, request.POST)
        if form.is_valid():
            try:
                incident = record.incident_record(
                    actor=actor_of(request), case=case, request=request, **form.service_arguments()
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Incident recorded. You can add evidence to it below.")
                url = reverse("cases:incidents", kwargs={"reference": case.reference})
                return redirect(f"{url}?incident={incident.pk}#evidence")
        return self._render(request, case, form)

    @staticmethod
    def _form(case: Case, data: Any = None) -> IncidentForm:
        return IncidentForm(data, parties=case_parties(case=case), properties=list(case.properties.all()))

    @staticmethod
    def _render(request: HttpRequest, case: Case, form: IncidentForm) -> HttpResponse:
        return _page(request, "cases/record/incident_form.html", case, "incidents", form=form)


class EvidenceDownloadView(View):
    """GET /staff/cases/<ref>/evidence/<id>/: the file, as an attachment, to those who can see the case; audited."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> FileResponse:
        case = case_of(request, reference)
        evidence = get_object_or_404(EvidenceFile, pk=pk, case=case)
        return private_file_response(evidence, actor=actor_of(request), request=request)


# Contacts and the contact plan ------------------------------------------------------------------------------------


def _plan_context(case: Case) -> dict[str, Any]:
    plan = case_contact_plan(case=case)
    return {"plan": plan, "plan_missed": plan is not None and contact_plan_is_missed(plan, now=timezone.now())}


class ContactsView(View):
    """GET /staff/cases/<ref>/contacts/: the contact plan (next due, missed) and every contact, newest first."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        return _page(
            request,
            "cases/record/contacts.html",
            case,
            "contacts",
            contacts=list(case_contacts(case=case)),
            **_plan_context(case),
        )


class ContactAddView(View):
    """GET and POST /staff/cases/<ref>/contacts/new/: record a contact, with safe-contact reminders above the form."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        parties = case_parties(case=case)
        initial: dict[str, Any] = {}
        if request.GET.get("purpose") in ContactPurpose.values:
            initial["purpose"] = request.GET["purpose"]
        if request.GET.get("party") in {str(party.pk) for party in parties}:
            initial["party"] = request.GET["party"]
        elif (plan := case_contact_plan(case=case)) is not None:
            initial["party"] = str(plan.party_id)  # most contacts are the agreed ones
        return self._render(request, case, parties, ContactForm(parties=parties, initial=initial))

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        parties = case_parties(case=case)
        form = ContactForm(request.POST, parties=parties)
        if form.is_valid():
            clock_was_running = case.responded_at is None
            try:
                record.contact_record(actor=actor_of(request), case=case, request=request, **form.service_arguments())
            except DomainError as error:
                form.add_domain_error(error)
            else:
                stopped = clock_was_running and case.responded_at is not None
                messages.success(
                    request, "Contact recorded. The response clock has stopped." if stopped else "Contact recorded"
                )
                return redirect("cases:contacts", reference=case.reference)
        return self._render(request, case, parties, form)

    @staticmethod
    def _render(request: HttpRequest, case: Case, parties: list[Party], form: ContactForm) -> HttpResponse:
        return _page(
            request,
            "cases/record/contact_form.html",
            case,
            "contacts",
            form=form,
            reminders=_reminders(case, parties),
            **_plan_context(case),
        )


def _reminders(case: Case, parties: list[Party]) -> list[PartyView]:
    """The parties with safe-contact instructions, vulnerabilities or adjustments: shown above contact forms."""
    return [
        view
        for view in party_views(case=case, parties=parties)
        if view.safe_contact or view.vulnerabilities or view.adjustments or view.contact_avoid or view.contact_methods
    ]


class ContactPlanView(View):
    """GET and POST /staff/cases/<ref>/contacts/plan/: agree the contact plan with the reporter, or change it."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        plan = case_contact_plan(case=case)
        parties = case_parties(case=case)
        return self._render(request, case, parties, ContactPlanForm(parties=parties, plan=plan))

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        plan = case_contact_plan(case=case)
        parties = case_parties(case=case)
        form = ContactPlanForm(request.POST, parties=parties, plan=plan)
        if form.is_valid():
            try:
                if plan is None:
                    record.contact_plan_agree(
                        actor=actor_of(request), case=case, request=request, **form.service_arguments()
                    )
                else:
                    record.contact_plan_update(
                        actor=actor_of(request),
                        plan=plan,
                        expected_updated_at=form.expected_updated_at(),
                        request=request,
                        **form.service_arguments(),
                    )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Contact plan saved" if plan is None else "Contact plan changed")
                return redirect("cases:contacts", reference=case.reference)
        return self._render(request, case, parties, form)

    @staticmethod
    def _render(request: HttpRequest, case: Case, parties: list[Party], form: ContactPlanForm) -> HttpResponse:
        return _page(
            request,
            "cases/record/contact_plan_form.html",
            case,
            "contacts",
            form=form,
            reminders=_reminders(case, parties),
            **_plan_context(case),
        )


# Actions --------------------------------------------------------------------------------------------------------


class ActionsView(View):
    """GET /staff/cases/<ref>/actions/: open actions (overdue flagged) then completed ones."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        actions = list(case_actions(case=case))
        return _page(
            request,
            "cases/record/actions.html",
            case,
            "actions",
            open_actions=[action for action in actions if action.done_at is None],
            done_actions=[action for action in actions if action.done_at is not None],
            today=timezone.localdate(),
        )


class ActionAddView(View):
    """GET and POST /staff/cases/<ref>/actions/new/: add an action plan item or task."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        return self._render(request, case, self._form(request, case))

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        form = self._form(request, case, request.POST)
        if form.is_valid():
            try:
                record.action_add(actor=actor_of(request), case=case, request=request, **form.service_arguments())
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Action added")
                return redirect("cases:actions", reference=case.reference)
        return self._render(request, case, form)

    @staticmethod
    def _form(request: HttpRequest, case: Case, data: Any = None) -> ActionForm:
        actor = actor_of(request)
        return ActionForm(data, owners=action_owner_candidates(case=case, actor=actor), actor=actor)

    @staticmethod
    def _render(request: HttpRequest, case: Case, form: ActionForm) -> HttpResponse:
        return _page(request, "cases/record/action_form.html", case, "actions", form=form)


class ActionCompleteView(View):
    """GET and POST /staff/cases/<ref>/actions/<id>/complete/: mark an action done, saying what was done."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        action = get_object_or_404(ActionItem.objects.select_related("owner"), pk=pk, case=case)
        return self._render(request, case, ActionCompleteForm(action=action))

    def post(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        action = get_object_or_404(ActionItem.objects.select_related("owner"), pk=pk, case=case)
        form = ActionCompleteForm(request.POST, action=action)
        if form.is_valid():
            try:
                record.action_complete(
                    actor=actor_of(request), action=action, note=form.cleaned_data["done_note"], request=request
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Action complete: {action.description}")
                return redirect("cases:actions", reference=case.reference)
        return self._render(request, case, form)

    @staticmethod
    def _render(request: HttpRequest, case: Case, form: ActionCompleteForm) -> HttpResponse:
        return _page(request, "cases/record/action_complete.html", case, "actions", form=form, action=form.action)


class ActionReopenView(View):
    """GET and POST /staff/cases/<ref>/actions/<id>/reopen/: reopen a completed action, saying why."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        action = get_object_or_404(ActionItem.objects.select_related("owner"), pk=pk, case=case)
        return self._render(request, case, ActionReopenForm(action=action))

    def post(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        action = get_object_or_404(ActionItem.objects.select_related("owner"), pk=pk, case=case)
        form = ActionReopenForm(request.POST, action=action)
        if form.is_valid():
            try:
                record.action_reopen(
                    actor=actor_of(request), action=action, reason=form.cleaned_data["reason"], request=request
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Action reopened: {action.description}")
                return redirect("cases:actions", reference=case.reference)
        return self._render(request, case, form)

    @staticmethod
    def _render(request: HttpRequest, case: Case, form: ActionReopenForm) -> HttpResponse:
        return _page(request, "cases/record/action_reopen.html", case, "actions", form=form, action=form.action)


# Notes and the timeline -----------------------------------------------------------------------------------------


class NoteAddView(View):
    """GET and POST /staff/cases/<ref>/notes/new/: add a note (optionally shareable with the reporter)."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        return _page(request, "cases/record/note_form.html", case, "timeline", form=NoteForm())

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, WORK_CASE)
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                record.note_add(
                    actor=actor_of(request),
                    case=case,
                    text=form.cleaned_data["text"],
                    shareable=form.cleaned_data["shareable"],
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Note added")
                return redirect("cases:timeline", reference=case.reference)
        return _page(request, "cases/record/note_form.html", case, "timeline", form=form)


class TimelineView(View):
    """GET /staff/cases/<ref>/timeline/?kind=contact&kind=incident&order=oldest: everything on the case in order."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        choices = timeline_kinds()
        known = {value for value, _label in choices}
        kinds = [kind for kind in request.GET.getlist("kind") if kind in known]
        oldest_first = request.GET.get("order") == "oldest"
        entries = case_timeline(case=case, kinds=kinds, newest_first=not oldest_first)
        return _page(
            request,
            "cases/record/timeline.html",
            case,
            "timeline",
            kinds=kinds,
            kind_choices=choices,
            oldest_first=oldest_first,
            **paginate(entries, request.GET, per_page=TIMELINE_PAGE_SIZE),
        )
