"""Report reads for staff: who sees which report, the triage queue, and the open cases a report may belong to.

Who sees a report (issue 6 part 5; DESIGN.md §1 and §6):
- a report not (yet) on a case — draft, awaiting triage, or not taken forward — is seen by staff who may triage
  reports (`intake.triage_report`); a domestic abuse report only by those who may also see DA cases
  (`cases.view_da_cases`: DA specialists and managers), so officers never read a DA report's details;
- a report on a case is seen exactly by those who may see that case (`cases_visible_to`).
An invisible report does not exist for the reader: `report_get_for_actor` raises Http404, never 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases import rules as case_rules
from saferhomes.cases.models import Case, CaseType, Party, PartyRole, Status
from saferhomes.cases.selectors.case import case_review_prompt_for, cases_visible_to
from saferhomes.core.audit import audit, audit_read
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.housing.models import Person, Property
from saferhomes.housing.selectors import person_by_reference, properties_search, property_by_reference
from saferhomes.intake.models import Report, ReportStatus

TRIAGE_REPORT = "intake.triage_report"
TAKE_REPORT = "intake.take_report"
VIEW_DA = "cases.view_da_cases"
VIEW_PERSON = "housing.view_person"
VIEW_PROPERTY = "housing.view_property"
SUGGESTION_WINDOW_DAYS = 90
SUGGESTIONS_MAX = 10
UNTRIAGED = (ReportStatus.DRAFT, ReportStatus.NEW)
VICTIM_ROLES = (PartyRole.REPORTER, PartyRole.VICTIM)
T = TypeVar("T")


def _signed_in(actor: User | None) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


def reports_visible_to(*, actor: User) -> QuerySet[Report]:
    """Every report `actor` may read (see the module docstring)."""
    if not _signed_in(actor) or not actor.has_perm(TRIAGE_REPORT):
        return Report.objects.none()
    loose = Q(case__isnull=True)
    if not actor.has_perm(VIEW_DA):
        loose &= ~Q(case_type=CaseType.DA)
    on_visible_case = Q(case__isnull=False, case_id__in=cases_visible_to(actor=actor).values("pk"))
    return Report.objects.filter(loose | on_visible_case)


def _reference(reference: str) -> str:
    """A typed report reference as references are kept (upper case, no surrounding space): the one place a report
    reference is resolved case-insensitively."""
    return (reference or "").strip().upper()


def report_get_for_actor(*, actor: User, reference: str, request: HttpRequest | None = None) -> Report:
    """The report with this reference if `actor` may see it (Http404 otherwise); DA report reads are audited."""
    report = (
        reports_visible_to(actor=actor)
        .select_related("home__estate", "person", "case", "triaged_by", "created_by")
        .filter(reference=_reference(reference))
        .first()
    )
    if report is None:
        refused = Report.objects.filter(reference=_reference(reference)).only("pk", "reference").first()
        if refused is not None:  # it exists but is not this actor's to see: a refused read, kept for the DPO
            audit(
                actor=actor,
                verb=AuditVerb.REPORT_READ_REFUSED,
                obj=refused,
                reason=request.path[:200] if request else "",
                request=request,
            )
        raise Http404("No report has that reference, or you cannot see it.")
    if report.case_type == CaseType.DA:
        audit_read(actor=actor, obj=report, request=request, reason=request.path[:200] if request else "")
    return report


def report_created_by(*, actor: User, reference: str, request: HttpRequest | None = None) -> Report:
    """The report whose confirmation `actor` asks for: the one they have just taken, even if they may not read it
    afterwards (an officer taking a DA report sees its reference and deadline); otherwise one they may see (404)."""
    own = Report.objects.filter(reference=_reference(reference), created_by=actor).first()
    return own if own is not None else report_get_for_actor(actor=actor, reference=reference, request=request)


def report_triaged_by(*, actor: User, reference: str, request: HttpRequest | None = None) -> Report:
    """The report whose triage outcome `actor` asks for: the one they have just triaged, even if its case is
    restricted from them now; otherwise one they may see (404)."""
    own = Report.objects.select_related("case").filter(reference=_reference(reference)).first()
    if own is not None and own.triaged_by_id == actor.pk:
        return own
    return report_get_for_actor(actor=actor, reference=reference, request=request)


def reporter_parties(report: Report, case: Case | None = None) -> list[Party]:
    """The parties the report's reporter is on its case (or on `case`): as reporter or victim, matched by register
    person, email or phone. No actor: the system asks this when deciding whether it may message the reporter."""
    case_id = case.pk if case is not None else report.case_id
    if case_id is None or report.anonymous:
        return []
    same = Q(pk__in=[])
    if report.person_id is not None:
        same |= Q(person_id=report.person_id)
    if report.email:
        same |= Q(email__iexact=report.email)
    if report.phone:
        same |= Q(phone=report.phone)
    parties = Party.objects.select_related("person").filter(
        same, case_id=case_id, role__in=(PartyRole.REPORTER, PartyRole.VICTIM)
    )
    return list(parties)


def report_may_triage(*, actor: User, report: Report) -> bool:
    """Whether `actor` may triage this report now: they may see it, and it awaits triage."""
    return report.status in UNTRIAGED and reports_visible_to(actor=actor).filter(pk=report.pk).exists()


def report_case_visible(*, actor: User, report: Report) -> bool:
    """Whether `actor` may see the case the report is on (False when it is on none)."""
    return report.case_id is not None and cases_visible_to(actor=actor).filter(pk=report.case_id).exists()


def report_version(*, report: Report) -> int:
    """The report's version as stored now (after a refused triage, the form carries it on)."""
    return Report.objects.values_list("version", flat=True).get(pk=report.pk)


def triage_queue(*, actor: User, status: str = ReportStatus.NEW) -> QuerySet[Report]:
    """Reports awaiting triage (or drafts to complete), the soonest response deadline first."""
    return (
        reports_visible_to(actor=actor)
        .filter(status=status)
        .select_related("home")
        .order_by("response_due_at", "received_at", "id")
    )


def triage_counts(*, actor: User) -> dict[str, int]:
    """How many reports await triage and how many drafts wait to be completed."""
    visible = reports_visible_to(actor=actor).filter(status__in=UNTRIAGED)
    return {
        ReportStatus.NEW: visible.filter(status=ReportStatus.NEW).count(),
        ReportStatus.DRAFT: visible.filter(status=ReportStatus.DRAFT).count(),
    }


# Suggestions: which open case is this report about? ----------------------------------------------------------------


@dataclass(frozen=True)
class CaseSuggestion:
    """An open case the report may belong to, and why it was suggested."""

    case: Case
    reasons: list[str]


def _report_postcode(report: Report) -> str:
    if report.home_id is not None and report.home is not None:
        return report.home.postcode
    return report.postcode.strip().upper()


def _report_contacts(report: Report) -> tuple[set[str], set[str]]:
    """The reporter's email addresses and phone numbers (from the report and their register record)."""
    emails = {report.email.strip().lower()} - {""}
    phones = {report.phone.replace(" ", "")} - {""}
    if report.person_id is not None and report.person is not None:
        emails |= {report.person.email.strip().lower()} - {""}
        phones |= {p.replace(" ", "") for p in (report.person.phone, report.person.mobile)} - {""}
    return emails, phones


def case_suggestions(
    *, actor: User, report: Report, window_days: int = SUGGESTION_WINDOW_DAYS, limit: int = SUGGESTIONS_MAX
) -> list[CaseSuggestion]:
    """Open cases the actor may see that share the reporter (register person, email or phone), the home or the
    postcode, received or changed within `window_days` of the report; each with the reasons it matched."""
    emails, phones = _report_contacts(report)
    postcode = _report_postcode(report)
    match = Q(pk__in=[])
    if report.person_id is not None:
        match |= Q(parties__person_id=report.person_id)
    for email in emails:
        match |= Q(parties__email__iexact=email) | Q(parties__person__email__iexact=email)
    for phone in phones:
        match |= Q(parties__phone=phone) | Q(parties__person__phone=phone) | Q(parties__person__mobile=phone)
    if report.home_id is not None:
        match |= Q(properties__pk=report.home_id)
    if postcode:
        match |= Q(properties__postcode=postcode)
    start = report.received_at - dt.timedelta(days=window_days)
    candidates = list(
        cases_visible_to(actor=actor)
        .exclude(status=Status.CLOSED)
        .filter(Q(received_at__gte=start) | Q(updated_at__gte=start))
        .filter(match)
        .distinct()
        .select_related("assigned_officer", "team")
        .prefetch_related("properties", "parties__person")
        .order_by("-received_at", "-id")[:limit]
    )
    suggestions = []
    for case in candidates:
        reasons = _match_reasons(case, report=report, emails=emails, phones=phones, postcode=postcode)
        if reasons:
            suggestions.append(CaseSuggestion(case=case, reasons=reasons))
    return suggestions


def _match_reasons(case: Case, *, report: Report, emails: set[str], phones: set[str], postcode: str) -> list[str]:
    reasons: list[str] = []
    parties: list[Party] = list(case.parties.all())
    for party in parties:
        person = party.person if party.person_id is not None else None
        role = party.get_role_display().lower()
        if report.person_id is not None and party.person_id == report.person_id:
            reasons.append(f"The same person from the housing register is the {role}")
            continue
        party_emails = {party.email.lower(), (person.email.lower() if person else "")} - {""}
        party_phones = {party.phone, *((person.phone, person.mobile) if person else ())} - {""}
        if emails & party_emails:
            reasons.append(f"The same email address as the {role}")
        elif phones & party_phones:
            reasons.append(f"The same phone number as the {role}")
    homes = list(case.properties.all())
    if report.home_id is not None and any(home.pk == report.home_id for home in homes):
        reasons.append("The same home")
    elif postcode and any(home.postcode == postcode for home in homes):
        reasons.append(f"The same postcode ({postcode})")
    return list(dict.fromkeys(reasons))


# The ASB Case Review prompt for a report (DESIGN.md §3) -------------------------------------------------------------


def _same_reporter_q(report: Report) -> Q | None:
    emails, phones = _report_contacts(report)
    match = Q(pk__in=[])
    if report.person_id is not None:
        match |= Q(person_id=report.person_id)
    for email in emails:
        match |= Q(email__iexact=email)
    for phone in phones:
        match |= Q(phone=phone)
    return None if match == Q(pk__in=[]) else match


def report_case_review_prompt(*, report: Report, case: Case | None) -> case_rules.Prompt | None:
    """The ASB Case Review prompt once a report is triaged: the same reporter's second report within 6 months
    (reports counted, not only cases: a repeat report added to an open case still counts), or a third complaint
    on the case (its reports and linked cases); else whatever the case itself prompts."""
    on_date = timezone.localdate(report.received_at)
    dates: list[dt.date] = []
    same = None if report.anonymous else _same_reporter_q(report)
    if same is not None:
        dates = [
            timezone.localdate(received)
            for received in Report.objects.filter(same, received_at__lte=report.received_at)
            .exclude(status=ReportStatus.DRAFT)
            .values_list("received_at", flat=True)
        ]
    complaints = 1
    if case is not None:
        complaints = max(1, Report.objects.filter(case=case).count())
    prompt = case_rules.case_review_prompt(victim_report_dates=dates, complaints_overall=complaints, on_date=on_date)
    if prompt is None and case is not None:
        prompt = case_review_prompt_for(case=case)
    return prompt


# The housing register, searched while a report is taken ----------------------------------------------------------

REGISTER_MATCHES_MAX = 8
REGISTER_QUERY_MIN = 2


@dataclass(frozen=True)
class RegisterMatches:
    """People and homes in the housing register matching what staff typed."""

    query: str
    people: list[Person]
    homes: list[Property]


def register_search(*, actor: User, query: str, limit: int = REGISTER_MATCHES_MAX) -> RegisterMatches:
    """People (name, reference, email, phone, their home's postcode) and homes (reference, address, postcode)."""
    query = " ".join((query or "").split())[:100]
    if len(query) < REGISTER_QUERY_MIN:
        return RegisterMatches(query=query, people=[], homes=[])
    people: list[Person] = []
    if actor.has_perm(VIEW_PERSON):
        match = Q(reference__iexact=query) | Q(email__iexact=query)
        words = query.split()
        names = Q()
        for word in words:
            names &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(preferred_name__icontains=word)
        match |= names
        digits = query.replace(" ", "")
        if digits.lstrip("+").isdigit() and len(digits) >= 6:
            match |= Q(phone__contains=digits) | Q(mobile__contains=digits)
        match |= Q(tenancy_memberships__tenancy__property__postcode__iexact=query)
        people = list(Person.objects.filter(match).distinct().order_by("last_name", "first_name", "id")[:limit])
    homes = list(properties_search(actor=actor, query=query)[:limit]) if actor.has_perm(VIEW_PROPERTY) else []
    return RegisterMatches(query=query, people=people, homes=homes)


@dataclass(frozen=True)
class RegisterChoices:
    """The register search as the staff form shows it: the matches, with the person and home already chosen kept."""

    query: str
    people: list[Person]
    homes: list[Property]
    chosen_person: str
    chosen_home: str


def _chosen(lookup: Callable[..., T], *, actor: User, reference: str) -> T | None:
    try:
        return lookup(actor=actor, reference=reference)
    except DomainError:
        return None


def register_choices(
    *, actor: User, query: str, person_reference: str = "", home_reference: str = ""
) -> RegisterChoices:
    """`register_search`'s matches, with the chosen person and home (by reference, ignoring case) first when the
    search no longer finds them, so a choice survives a new search."""
    matches = register_search(actor=actor, query=query)
    people, homes = matches.people, matches.homes
    chosen_person, chosen_home = person_reference.strip(), home_reference.strip()
    # Like the search itself, a chosen person or home is shown only to those who may read the register's.
    listed_people = {p.reference.upper() for p in people}
    if chosen_person and actor.has_perm(VIEW_PERSON) and chosen_person.upper() not in listed_people:
        person = _chosen(person_by_reference, actor=actor, reference=chosen_person)
        people = ([person] if person is not None else []) + people
    listed_homes = {h.reference.upper() for h in homes}
    if chosen_home and actor.has_perm(VIEW_PROPERTY) and chosen_home.upper() not in listed_homes:
        home = _chosen(property_by_reference, actor=actor, reference=chosen_home)
        homes = ([home] if home is not None else []) + homes
    return RegisterChoices(
        query=matches.query, people=people, homes=homes, chosen_person=chosen_person, chosen_home=chosen_home
    )


def triage_prompts_for(*, report: Report) -> list[case_rules.Prompt]:
    """What to do next about a triaged report's case: refer criminal ASB and hate crime to the police; tell the
    reporter about the ASB Case Review when it applies."""
    case = report.case
    if case is None:
        return []
    prompts = case_rules.triage_prompts(case_type=case.case_type, criminal=case.criminal)
    review = report_case_review_prompt(report=report, case=case)
    if review is not None:
        prompts.append(review)
    return prompts
