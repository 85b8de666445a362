"""Cases over the API: list (the web list's filters), read, create, triage, assign, move status, parties, links.

Thin: the same selectors (`cases_visible_to`, `case_get_for_actor`: 404 for a case the token holder cannot see,
restricted and DA reads audited) and the same services as the staff website.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import User
from saferhomes.accounts.selectors import staff_member_by_username, team_by_name
from saferhomes.api import cursor, idempotency
from saferhomes.api.routers.case_shapes import (
    AssignIn,
    CaseCreatedOut,
    CaseCreateIn,
    CaseFilterIn,
    CaseOut,
    CasePageOut,
    CaseSummaryOut,
    LinkIn,
    PartyIn,
    PartyOut,
    PromptOut,
    TransitionIn,
    TriageIn,
    TriageOut,
)
from saferhomes.api.schemas import (
    COMMON_ERRORS,
    DbInt,
    ProblemOut,
    RecordReference,
)
from saferhomes.cases.filters import CaseFilter, officers_for_filter
from saferhomes.cases.http import case_of
from saferhomes.cases.models import (
    Case,
)
from saferhomes.cases.selectors import case as selectors
from saferhomes.cases.services import case as services
from saferhomes.cases.services import link as link_services
from saferhomes.cases.services import party as party_services
from saferhomes.core.calendar import LONDON
from saferhomes.core.calendar_config import CalendarConfig, calendar_config_current, case_response_status
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.core.permissions import require
from saferhomes.housing.models import Property
from saferhomes.housing.selectors import person_by_reference, property_by_reference

router = Router(tags=["Cases"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 422: ProblemOut}
# The list's orders (cases.filters.Sort.ORDERING), as total orders a cursor can resume: the column, then the id.
LIST_ORDERS = {
    "newest": cursor.Order("received_at", descending=True),
    "response_due": cursor.Order("response_due_at", descending=False, nullable=True),
}


# Conversions ------------------------------------------------------------------------------------------------------


def _summary(case: Case, config: CalendarConfig) -> dict[str, Any]:
    due = case.response_due_at
    status = (
        None if due is None else str(case_response_status(due_at=due, responded_at=case.responded_at, config=config))
    )
    return {
        "reference": case.reference,
        "case_type": case.case_type,
        "summary": case.summary,
        "status": case.status,
        "priority": case.priority,
        "sensitivity": case.sensitivity,
        "urgent": case.urgent,
        "assigned_officer": case.assigned_officer.get_username() if case.assigned_officer else None,
        "team": case.team.name if case.team else None,
        "estate": case.estate.code if case.estate else None,
        "received_at": case.received_at,
        "response_due_at": due.astimezone(LONDON) if due is not None else None,
        "response_status": status,
        "responded_at": case.responded_at,
        "version": case.version,
    }


def _party_out(view: selectors.PartyView) -> PartyOut:
    party = view.party
    return PartyOut(
        id=party.pk,
        role=party.role,
        name=view.name,
        person_reference=party.person.reference if party.person_id and party.person else None,
        date_of_birth=party.person.date_of_birth if party.person_id and party.person else party.date_of_birth,
        is_minor=view.is_minor,
        anonymous=party.anonymous,
        safe_contact_notes=view.safe_contact,
        safe_times=view.safe_times,
        contact_methods=list(party.contact_methods or []),
        contact_avoid=list(selectors.party_contact_instructions(party).avoid),
        preferred_language=view.language,
        preferred_format=party.preferred_format,
        vulnerabilities=view.vulnerabilities,
        reasonable_adjustments=view.adjustments,
    )


def _case_out(case: Case, actor: User) -> CaseOut:
    case = Case.objects.select_related(*selectors.LIST_RELATED).get(pk=case.pk)
    prompts = []
    review = selectors.case_review_prompt_for(case=case)
    if review:
        prompts.append(PromptOut(code=review.code, message=review.message))
    return CaseOut(
        **_summary(case, calendar_config_current()),
        category=case.category,
        sub_types=list(case.sub_types),
        hate_strands=list(case.hate_strands),
        description=case.description,
        stage=case.stage,
        urgent_reason=case.urgent_reason,
        criminal=case.criminal,
        location_text=case.location_text,
        properties=[home.reference for home in case.properties.all()],
        triaged_at=case.triaged_at,
        closed_at=case.closed_at,
        outcome=case.outcome,
        parties=[_party_out(view) for view in selectors.party_views(case=case)],
        linked_cases=[other.reference for _link, other in selectors.case_links(case=case, actor=actor)],
        prompts=prompts,
    )


def _filter_data(filters: CaseFilterIn) -> QueryDict:
    """The API's query as the web list's filter form data (dates split into GOV.UK day, month, year parts)."""
    data = QueryDict(mutable=True)
    for name in ("q", "case_type", "priority", "sensitivity", "response", "sort"):
        if getattr(filters, name):
            data[name] = str(getattr(filters, name))
    if filters.response_status:
        data["response"] = filters.response_status
    data.setlist("status", [str(status) for status in filters.status])
    if filters.officer:
        data["officer"] = filters.officer
    if filters.team:
        team = team_by_name(name=filters.team)
        data["team"] = str(team.pk) if team else "unknown"
    if filters.estate:
        data["estate"] = filters.estate
    for name in ("received_from", "received_to"):
        value = getattr(filters, name)
        if value is not None:
            data[f"{name}_0"], data[f"{name}_1"], data[f"{name}_2"] = str(value.day), str(value.month), str(value.year)
    return data


def _query_name(name: str, filters: CaseFilterIn) -> str:
    """The query parameter a filter form field came from."""
    if name == "response" and filters.response_status:
        return "response_status"
    return name.removesuffix("_0").removesuffix("_1").removesuffix("_2")


def _party_details(data: PartyIn, *, actor: User, prefix: str = "") -> party_services.PartyDetails:
    person = None
    if data.person_reference.strip():
        try:
            person = person_by_reference(actor=actor, reference=data.person_reference)
        except DomainError:
            raise DomainError(
                field_errors={f"{prefix}person_reference": f"No one has the reference {data.person_reference}"}
            ) from None
    return party_services.PartyDetails(
        role=data.role,
        person=person,
        first_name=data.first_name,
        last_name=data.last_name,
        date_of_birth=data.date_of_birth,
        phone=data.phone,
        email=data.email,
        address=data.address,
        organisation=data.organisation,
        anonymous=data.anonymous,
        safe_contact_notes=data.safe_contact_notes,
        safe_times=data.safe_times,
        contact_methods=tuple(data.contact_methods),
        contact_avoid=tuple(data.contact_avoid),
        preferred_language=data.preferred_language,
        preferred_format=data.preferred_format,
        vulnerabilities=data.vulnerabilities,
        reasonable_adjustments=data.reasonable_adjustments,
        notes=data.notes,
    )


def list_queryset(actor: User, filters: CaseFilterIn) -> QuerySet[Case]:
    """The visible cases matching the list's filters (the staff list's FilterSet), or a 422 naming each filter."""
    filterset = CaseFilter(
        _filter_data(filters), queryset=selectors.cases_for_list(actor=actor), officers=officers_for_filter()
    )
    if not filterset.is_valid():
        raise DomainError(
            field_errors={
                _query_name(name, filters): [str(m) for m in messages]
                for name, messages in filterset.form.errors.items()
            }
        )
    return filterset.qs


def list_digest(filters: CaseFilterIn) -> str:
    """What a cursor of this list is tied to: the filters and the sort, not the position or the page size."""
    return cursor.query_digest(filters.dict(exclude={"cursor", "page", "page_size"}))


# Endpoints --------------------------------------------------------------------------------------------------------


@router.get(
    "/cases",
    response={200: CasePageOut, **READ_ERRORS, 422: ProblemOut},
    summary="List and search cases",
    operation_id="cases_list",
    url_name="cases-list",
)
def cases_list(request: HttpRequest, response: HttpResponse, filters: Query[CaseFilterIn]) -> CasePageOut:
    """The cases you may see, newest first (or `sort=response_due`), with the staff list's filters, including
    `response_status`; `page_size` rows (up to 100) a page. Pages are not counted or numbered: the first page is the
    one without `cursor`, and each page's `next_cursor` (also in a `Link: <...>; rel="next"` header) fetches the
    next with the same filters, until it is null. Each page costs the same however deep it is."""
    actor = actor_of(request)
    require(actor, "cases.view_case")
    if filters.page not in (None, 1):
        raise DomainError(field_errors={"page": "Pages are not numbered: send the next_cursor of the page before"})
    sort = filters.sort or "newest"
    page = cursor.page_after(
        list_queryset(actor, filters),
        order=LIST_ORDERS[sort],
        sort=sort,
        digest=list_digest(filters),
        cursor=filters.cursor,
        size=filters.page_size,
    )
    if page.next_cursor is not None:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        query.pop("page", None)
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    config = calendar_config_current()
    return CasePageOut(
        page_size=filters.page_size,
        next_cursor=page.next_cursor,
        results=[CaseSummaryOut(**_summary(case, config)) for case in page.rows],
    )


@router.get(
    "/cases/{reference}",
    response={200: CaseOut, **READ_ERRORS},
    summary="Read a case",
    operation_id="cases_read",
    url_name="cases-read",
)
def case_read(request: HttpRequest, reference: RecordReference) -> CaseOut:
    """One case with its parties and links; 404 if it does not exist or you may not see it. Reads of restricted and
    DA cases are recorded in the audit trail."""
    return _case_out(case_of(request, reference), actor_of(request))


@router.post(
    "/cases",
    response={201: CaseCreatedOut, **WRITE_ERRORS},
    summary="Create a case",
    operation_id="cases_create",
    url_name="cases-create",
)
def case_create(
    request: HttpRequest, response: HttpResponse, payload: CaseCreateIn, idempotency_key: str = idempotency.key_header()
) -> HttpStatus[CaseCreatedOut]:
    """A new case: numbered, response deadline set, the reporter added; assigned to you unless it is a DA case you
    may not see (then it goes to the domestic abuse team and `case` is null). Send an `Idempotency-Key` to retry
    safely."""
    actor = actor_of(request)
    require(actor, services.ADD_CASE)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        homes: list[Property] = []
        for reference in payload.property_references:
            try:
                homes.append(property_by_reference(actor=actor, reference=reference))
            except DomainError:
                raise DomainError(
                    field_errors={"property_references": f"No home has the property reference {reference}"}
                ) from None
        details = services.CaseDetails(
            case_type=payload.case_type,
            summary=payload.summary,
            received_at=payload.received_at,
            description=payload.description,
            category=payload.category,
            sub_types=[str(value) for value in payload.sub_types],
            hate_strands=[str(value) for value in payload.hate_strands],
            urgent=payload.urgent,
            urgent_reason=payload.urgent_reason,
            sensitivity="restricted" if payload.restricted else "normal",
            properties=homes,
            location_text=payload.location_text,
            reporter=_party_details(payload.reporter, actor=actor, prefix="reporter_") if payload.reporter else None,
        )
        return services.case_create(actor=actor, details=details, request=request).pk

    created = create_once(actor=actor, scope="cases.create", key=key, create=create)
    idempotency.mark_replayed(response, created)
    case = Case.objects.get(pk=created.object_id)
    visible = selectors.cases_visible_to(actor=actor).filter(pk=case.pk).exists()
    return HttpStatus(
        201,
        CaseCreatedOut(reference=case.reference, visible=visible, case=_case_out(case, actor) if visible else None),
    )


@router.post(
    "/cases/{reference}/triage",
    response={200: TriageOut, **WRITE_ERRORS},
    summary="Triage a case",
    operation_id="cases_triage",
    url_name="cases-triage",
)
def case_triage(request: HttpRequest, reference: RecordReference, payload: TriageIn) -> TriageOut:
    """new → triaged, with priority, urgency (changing it needs `urgent_reason`), criminal flag and category."""
    actor, case = actor_of(request), case_of(request, reference)
    result = services.case_triage(actor=actor, case=case, request=request, **payload.dict(exclude_none=False))
    return TriageOut(
        case=_case_out(result.case, actor),
        prompts=[PromptOut(code=p.code, message=p.message) for p in result.prompts],
    )


@router.post(
    "/cases/{reference}/assign",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Assign or reassign a case",
    operation_id="cases_assign",
    url_name="cases-assign",
)
def case_assign(request: HttpRequest, reference: RecordReference, payload: AssignIn) -> CaseOut:
    """Give the case to an officer (and their team); a reassignment needs a `reason`."""
    actor, case = actor_of(request), case_of(request, reference)
    try:
        officer = staff_member_by_username(username=payload.officer)
    except DomainError as error:
        raise DomainError(field_errors={"officer": error.messages}) from None  # the field the body names
    case = services.case_assign(
        actor=actor,
        case=case,
        officer=officer,
        reason=payload.reason,
        version=payload.version,
        request=request,
    )
    return _case_out(case, actor)


@router.post(
    "/cases/{reference}/transition",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Move a case along its lifecycle",
    operation_id="cases_transition",
    url_name="cases-transition",
)
def case_transition(request: HttpRequest, reference: RecordReference, payload: TransitionIn) -> CaseOut:
    """triaged → open (start the investigation) or closing → open (withdraw a closure, `reason` needed). Any other
    move is refused with a 422 saying why."""
    actor, case = actor_of(request), case_of(request, reference)
    case = services.case_transition(
        actor=actor,
        case=case,
        to_status=payload.to_status,
        reason=payload.reason,
        version=payload.version,
        request=request,
    )
    return _case_out(case, actor)


@router.post(
    "/cases/{reference}/parties",
    response={201: PartyOut, **WRITE_ERRORS},
    summary="Add a person to a case",
    operation_id="cases_party_add",
    url_name="cases-party-add",
)
def party_add(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: PartyIn,
    version: DbInt | None = None,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[PartyOut]:
    """A person in a role, from the housing register (`person_reference`) or typed in. Send an `Idempotency-Key` to
    retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        details = _party_details(payload, actor=actor)
        return party_services.party_add(actor=actor, case=case, details=details, version=version, request=request).pk

    created = create_once(actor=actor, scope=f"cases.party_add:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    view = next((v for v in selectors.party_views(case=case) if v.party.pk == created.object_id), None)
    if view is None:
        raise Http404("The party this key added is no longer on the case")
    return HttpStatus(201, _party_out(view))


@router.post(
    "/cases/{reference}/links",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Link another case",
    operation_id="cases_link",
    url_name="cases-link",
)
def case_link(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: LinkIn,
    idempotency_key: str = idempotency.key_header(),
) -> CaseOut:
    """Link a case you can see (same perpetrator, location or victim); answers with this case. Send an
    `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        link = link_services.case_link(
            actor=actor,
            case=case,
            other_reference=payload.other_reference,
            reason=payload.reason,
            note=payload.note,
            version=payload.version,
            request=request,
        )
        return link.pk

    idempotency.mark_replayed(response, create_once(actor=actor, scope=f"cases.link:{case.pk}", key=key, create=create))
    return _case_out(case, actor)
