"""Case reads. Every read starts at `cases_visible_to`: role and sensitivity filters live here and nowhere else.

Who sees which case (DESIGN.md §1 and §6; issue 5 part 7):
- normal: the assigned officer and the case's team; everyone with `cases.view_all_cases` (coordinators, managers).
- restricted ("named staff"): only staff named in `restricted_to` and the assigned officer. Nobody else, managers
  included: a manager who must open one breaks glass (reason, audit, DPO told) and gets a time-limited grant.
- DA: only holders of `cases.view_da_cases` (DA specialists, managers). A DA specialist sees the DA cases assigned
  to them, those of their own team (the domestic abuse team the case is given to) and those naming them;
  managers (who also hold `cases.view_all_cases`) see every DA case.
- an unexpired `AccessGrant` (break glass) lets its holder see that one case.
- partner agency users, the DPO and administrators hold no `cases.view_case`: they see no case, except that a DPO sees
  the one case a manager has given them time-limited access to (issue 19 part 5, ADR 0020).
A case the actor cannot see does not exist for them: `case_get_for_actor` raises Http404, never 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Lookup, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import TrainingCourse, TrainingRecord, User
from saferhomes.cases import rules
from saferhomes.cases.models import (
    AccessGrant,
    Case,
    CaseLink,
    CaseType,
    IncidentSource,
    Party,
    PartyRole,
    Sensitivity,
    Status,
)
from saferhomes.cases.search import case_search_q
from saferhomes.core.audit import audit as audit_event
from saferhomes.core.audit import audit_read
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.housing.models import ContactMethod, Person, PreferredFormat
from saferhomes.housing.rules import age_on

VIEW_CASE = "cases.view_case"
VIEW_ALL = "cases.view_all_cases"
VIEW_DA = "cases.view_da_cases"
AUDITED_SENSITIVITIES = frozenset({Sensitivity.RESTRICTED, Sensitivity.DA})


def _signed_in(actor: User) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


def _visibility_q(actor: User, *, grants: bool = True) -> Q:
    """The filter that says which cases `actor` may see (see the module docstring)."""
    mine = Q(assigned_officer_id=actor.pk)
    team_id = getattr(actor, "team_id", None)
    my_team = Q(team_id=team_id) if team_id is not None else Q(pk__in=[])
    # `pk IN (subquery)` rather than a correlated EXISTS: PostgreSQL hashes the (tiny) subquery once either way, but
    # costs the EXISTS form as if it ran per row (~150x too high at 1M cases), which tips plans and switches JIT on.
    named = Q(pk__in=Case.restricted_to.through.objects.filter(user_id=actor.pk).values("case_id"))
    normal = Q(sensitivity=Sensitivity.NORMAL) & (Q() if actor.has_perm(VIEW_ALL) else (mine | my_team))
    restricted = Q(sensitivity=Sensitivity.RESTRICTED) & (mine | named)
    if actor.has_perm(VIEW_DA):
        da = Q(sensitivity=Sensitivity.DA) & (Q() if actor.has_perm(VIEW_ALL) else (mine | my_team | named))
    else:
        da = Q(pk__in=[])
    visible = (normal | restricted | da) & _training_gate_q(actor)
    granted = AccessGrant.objects.filter(user_id=actor.pk, expires_at__gt=timezone.now()).values("case_id")
    if grants:
        visible |= Q(pk__in=granted)
    if actor.has_perm(VIEW_ALL):
        return visible
    # Everything else such a user sees is theirs, their team's, named to them or granted to them. Saying so as one
    # more condition that the database can answer from indexes (officer, team, and the primary key for the few named
    # or granted ids) lets it start there instead of reading every case in a status to find an officer's 300
    # (bench/README.md: 314 ms -> 14 ms to count an officer's open cases at 1,000,000 cases).
    reach = Case.restricted_to.through.objects.filter(user_id=actor.pk).order_by().values("case_id")
    if grants:
        reach = reach.union(granted.order_by().values("case_id"))
    return visible & (mine | my_team | _pk_among(reach))


def _training_gate_q(actor: User) -> Q:
    """With `TRAINING_GATES_SENSITIVE_CASES` on, DA cases need current domestic abuse training and hate cases current
    hate crime training (issue 18 part 5; ADR 0016). A break-glass grant, audited and time-limited, still opens one."""
    if not settings.TRAINING_GATES_SENSITIVE_CASES:
        return Q()
    current = set(
        TrainingRecord.objects.current(on=timezone.localdate())
        .filter(user_id=actor.pk, course__in=[TrainingCourse.DOMESTIC_ABUSE, TrainingCourse.HATE_CRIME])
        .values_list("course", flat=True)
    )
    allowed = Q()
    if TrainingCourse.DOMESTIC_ABUSE not in current:
        allowed &= ~Q(case_type=CaseType.DA) & ~Q(sensitivity=Sensitivity.DA)
    if TrainingCourse.HATE_CRIME not in current:
        allowed &= ~Q(case_type=CaseType.HATE)
    return allowed


def _pk_among(ids: QuerySet[Any]) -> Q:
    """`pk IN (subquery)`, written on PostgreSQL as `pk = ANY(ARRAY(subquery))`: the array is worked out once and can
    be looked up in the primary key index, so it can be one arm of an OR of index scans (an IN subquery cannot)."""
    if connection.vendor == "postgresql":
        # Imported here: django.contrib.postgres loads psycopg, a seventh of a second at every start on SQLite.
        from django.contrib.postgres.expressions import ArraySubquery

        return Q(_EqualsAny(F("pk"), ArraySubquery(ids)))
    return Q(pk__in=ids)


class _EqualsAny(Lookup):
    """`lhs = ANY(rhs)` for an array on the right."""

    lookup_name = "equals_any"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def cases_visible_to(*, actor: User) -> QuerySet[Case]:
    """Every case `actor` may see (none for partners, the DPO, administrators and anyone signed out)."""
    if not _signed_in(actor):
        return Case.objects.none()
    if not actor.has_perm(VIEW_CASE):
        # Issue 19 part 5 (ADR 0020): the DPO sees no case "unless granted": a manager's time-limited grant for one
        # case (privacy.services.dpo_access) opens that case alone; its every page is an audited read.
        if actor.role != "dpo":
            return Case.objects.none()
        granted = AccessGrant.objects.filter(user_id=actor.pk, expires_at__gt=timezone.now()).values("case_id")
        return Case.objects.filter(pk__in=granted)
    return Case.objects.filter(_visibility_q(actor))


def case_is_audited_read(case: Case) -> bool:
    """Whether opening this case writes an audit event (restricted and DA cases)."""
    return case.sensitivity in AUDITED_SENSITIVITIES


def case_get_for_actor(*, actor: User, reference: str, request: HttpRequest | None = None, audit: bool = True) -> Case:
    """The case with this reference if `actor` may see it (Http404 otherwise); restricted and DA reads are audited."""
    normalised = (reference or "").strip().upper()
    case = (
        cases_visible_to(actor=actor)
        .select_related("assigned_officer", "team", "estate", "created_by")
        .filter(reference=normalised)
        .first()
    )
    if case is None:
        _refused_reads(actor=actor, references=[normalised], request=request)
        raise Http404("No case has that reference, or you cannot see it.")
    if audit and (case_is_audited_read(case) or _reads_under_grant(actor=actor, case=case)):
        audit_read(actor=actor, obj=case, request=request, reason=_read_reason(request))
    return case


def _refused_reads(*, actor: User, references: list[str], request: HttpRequest | None) -> None:
    """Each of these references that names a case (one this actor may not see) is a refused read, kept for the DPO."""
    for refused in Case.objects.filter(reference__in=references).only("pk", "reference", "summary"):
        audit_event(
            actor=actor,
            verb=AuditVerb.CASE_READ_REFUSED,
            obj=refused,
            object_label=refused.reference,
            reason=_read_reason(request),
            request=request,
        )


def cases_by_references(
    *, actor: User, references: Iterable[str], request: HttpRequest | None = None
) -> tuple[list[Case], list[str]]:
    """The cases with these references (typed in any case) that `actor` may see, in the order asked, and the references
    they cannot see (no such case, or hidden from them); a hidden one is a refused read, as in `case_get_for_actor`."""
    wanted = list(dict.fromkeys(ref for ref in ((r or "").strip().upper() for r in references) if ref))
    found = {case.reference: case for case in cases_visible_to(actor=actor).filter(reference__in=wanted)}
    missing = [ref for ref in wanted if ref not in found]
    if missing:
        _refused_reads(actor=actor, references=missing, request=request)
    return [found[ref] for ref in wanted if ref in found], missing


def case_references_by_id(*, ids: Iterable[str]) -> dict[str, str]:
    """The references of the cases with these ids (as the audit trail stores them), to name them in the audit trail;
    references only, never contents, so the DPO (who sees no case) may read them."""
    wanted = [int(pk) for pk in ids if pk.isdigit()]
    rows = Case.objects.filter(pk__in=wanted).values_list("pk", "reference") if wanted else []
    return {str(pk): reference for pk, reference in rows}


def case_id_by_reference(*, reference: str) -> int | None:
    """The id of the case with this reference (typed in any case), to find its events in the audit trail."""
    return Case.objects.filter(reference=(reference or "").strip().upper()).values_list("pk", flat=True).first()


def _reads_under_grant(*, actor: User, case: Case) -> bool:
    """Whether the actor sees this case only through a break-glass grant (such reads are audited too)."""
    if case.sensitivity == Sensitivity.NORMAL and (
        actor.has_perm(VIEW_ALL)
        or case.assigned_officer_id == actor.pk
        or (case.team_id is not None and case.team_id == getattr(actor, "team_id", None))
    ):
        return False  # the normal-case rule of _visibility_q, known without asking the database again
    return not Case.objects.filter(pk=case.pk).filter(_visibility_q(actor, grants=False)).exists()


def _read_reason(request: HttpRequest | None) -> str:
    return request.path[:200] if request is not None else ""


def active_grant(*, actor: User, case: Case) -> AccessGrant | None:
    """The actor's unexpired break-glass grant on this case, if any."""
    if not _signed_in(actor):
        return None
    return (
        AccessGrant.objects.filter(case=case, user_id=actor.pk, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def case_parties(*, case: Case) -> list[Party]:
    """The parties on a case with their register records, in role order."""
    return list(case.parties.select_related("person").order_by("role", "id"))


@dataclass(frozen=True)
class PartyView:
    """A party as the case page shows it: who, role, minor prompts and what staff must know."""

    party: Party
    name: str
    age: int | None
    is_minor: bool
    prompts: list[rules.Prompt]
    vulnerabilities: str
    adjustments: str
    safe_contact: str
    safe_times: str = ""
    contact_methods: list[str] = field(default_factory=list)
    contact_avoid: list[str] = field(default_factory=list)
    language: str = ""
    format: str = ""

    @property
    def contact_preferences(self) -> bool:
        """Whether they told us when, how, or in what language or format to contact them."""
        return bool(self.safe_times or self.contact_methods or self.contact_avoid or self.language or self.format)


def _party_dob(party: Party) -> dt.date | None:
    if party.person_id is not None and party.person is not None:
        return party.person.date_of_birth
    return party.date_of_birth


def party_views(*, case: Case, parties: list[Party] | None = None) -> list[PartyView]:
    """Each party with minor flag and prompts derived on the incident date (the case's received date)."""
    on_date = incident_date(case)
    views = []
    for party in parties if parties is not None else case_parties(case=case):
        dob = _party_dob(party)
        person = party.person if party.person_id is not None else None
        views.append(
            PartyView(
                party=party,
                name=party.display_name,
                age=age_on(dob, on_date) if dob else None,
                is_minor=rules.minor_prompts(role=party.role, date_of_birth=dob, on_date=on_date) != [],
                prompts=rules.minor_prompts(role=party.role, date_of_birth=dob, on_date=on_date),
                vulnerabilities=(person.vulnerabilities if person else party.vulnerabilities).strip(),
                adjustments=(person.reasonable_adjustments if person else party.reasonable_adjustments).strip(),
                safe_contact=(person.safe_contact_notes if person else party.safe_contact_notes).strip(),
                safe_times=party.safe_times.strip(),
                contact_methods=_method_labels(party.contact_methods),
                contact_avoid=_method_labels(list(party_contact_instructions(party).avoid)),
                language=party.preferred_language.strip() or _register_language(person),
                format=_format_label(party.preferred_format) or _register_format(person),
            )
        )
    return views


METHOD_LABELS: dict[str, str] = {str(value): str(label) for value, label in ContactMethod.choices}


def party_contact_instructions(party: Party) -> rules.ContactInstructions:
    """What the party told us about reaching them: the ways they chose on the case, and the ways never to use from the
    case and the housing register together (ADR 0009)."""
    person = party.person if party.person_id is not None else None
    avoid = [*(party.contact_avoid or []), *((person.contact_avoid or []) if person else [])]
    return rules.ContactInstructions(
        name=party.display_name,
        chosen=tuple(method for method in party.contact_methods or [] if method in ContactMethod.values),
        avoid=tuple(dict.fromkeys(method for method in avoid if method in ContactMethod.values)),
    )


def contact_conflict(*, party: Party | None, method: str, direction: str = rules.OUTBOUND) -> str:
    """Why contacting this party this way goes against their safe-contact instructions ('' when it does not)."""
    if party is None:
        return ""
    return party_contact_instructions(party).conflict(method, labels=METHOD_LABELS, direction=direction)


def _method_labels(methods: list[str] | None) -> list[str]:
    return [str(ContactMethod(method).label) for method in methods or [] if method in ContactMethod.values]


def _format_label(value: str) -> str:
    return str(PreferredFormat(value).label) if value in PreferredFormat.values else ""


def _register_language(person: Person | None) -> str:
    """The register's language when it is not the default (English is assumed, not told)."""
    language = (person.preferred_language if person else "").strip()
    return "" if language.lower() in ("", "english") else language


def _register_format(person: Person | None) -> str:
    value = person.preferred_format if person else ""
    return "" if value == PreferredFormat.STANDARD else _format_label(value)


def incident_date(case: Case) -> dt.date:
    """The date minors are judged on: the earliest recorded incident, else when the report was received."""
    first = case.incidents.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    return timezone.localdate(first or case.received_at)


VICTIM_ROLES = (PartyRole.REPORTER, PartyRole.VICTIM)


def case_review_prompt_for(*, case: Case) -> rules.Prompt | None:
    """The ASB Case Review prompt for this case, from the victims' other reports and the linked complaints.

    A victim's reports are the cases (any sensitivity: counting is not showing) where the same register person is
    the reporter or victim; complaints overall are this case's reports (at least one) plus the cases linked to it.
    """
    person_ids = set(
        case.parties.filter(role__in=VICTIM_ROLES, person__isnull=False).values_list("person_id", flat=True)
    )
    on_date = timezone.localdate(case.received_at)
    linked = CaseLink.objects.filter(Q(from_case=case) | Q(to_case=case)).count()
    # Each report that reached the case is an incident from a report: the first complaint, and every repeat.
    complaints = max(1, case.incidents.filter(source=IncidentSource.REPORT).count()) + linked
    reports: dict[int, set[tuple[int, dt.datetime]]] = {}
    if person_ids:
        rows = Party.objects.filter(
            person_id__in=person_ids, role__in=VICTIM_ROLES, case__received_at__lte=case.received_at
        ).values_list("person_id", "case_id", "case__received_at")
        for person_id, case_id, received in rows:
            reports.setdefault(person_id, set()).add((case_id, received))
    for person_id in sorted(reports):
        dates = [timezone.localdate(received) for _case_id, received in reports[person_id]]
        prompt = rules.case_review_prompt(victim_report_dates=dates, complaints_overall=complaints, on_date=on_date)
        if prompt is not None:
            return prompt
    return rules.case_review_prompt(victim_report_dates=[], complaints_overall=complaints, on_date=on_date)


# Lists and search -------------------------------------------------------------------------------------------------

LIST_RELATED = ("assigned_officer", "team", "estate")
# The columns a list row (templates/cases/core/_case_table.html, the API's case summary) reads: loading only these
# made building a page of 25 cases four times faster than loading every column of four models (bench/README.md).
LIST_FIELDS = (
    "reference",
    "case_type",
    "summary",
    "status",
    "priority",
    "sensitivity",
    "urgent",
    "received_at",
    "response_due_at",
    "responded_at",
    "version",
    "assigned_officer__username",
    "assigned_officer__first_name",
    "assigned_officer__last_name",
    "team__name",
    "estate__code",
    "estate__name",
)


def cases_for_list(*, actor: User) -> QuerySet[Case]:
    """The visible cases with what a list row shows (officer, team, estate) joined in: no query per row."""
    return (
        cases_visible_to(actor=actor).select_related(*LIST_RELATED).only(*LIST_FIELDS).order_by("-received_at", "-id")
    )


def case_list_search(*, actor: User, text: str = "") -> QuerySet[Case]:
    """The visible cases matching `text` (see `case_search_q`), newest first, ready for a list page."""
    return cases_for_list(actor=actor).filter(case_search_q(text))


# Dashboard --------------------------------------------------------------------------------------------------------


def case_counts_by_status(*, actor: User) -> dict[str, int]:
    """How many visible cases are in each status (one grouped query)."""
    counts = {status: 0 for status in Status.values}
    for row in cases_visible_to(actor=actor).order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def case_links(*, case: Case, actor: User) -> list[tuple[CaseLink, Case]]:
    """The case's links with the other case of each, only where the actor may see that other case."""
    links = list(
        CaseLink.objects.filter(Q(from_case=case) | Q(to_case=case))
        .select_related("from_case", "to_case")
        .order_by("created_at", "pk")
    )
    others = {link.to_case_id if link.from_case_id == case.pk else link.from_case_id for link in links}
    # Ask about the linked cases by id: joining the links to every visible case scans them all.
    visible_ids = (
        set(cases_visible_to(actor=actor).filter(pk__in=others).values_list("pk", flat=True)) if others else set()
    )
    result = []
    for link in links:
        other = link.to_case if link.from_case_id == case.pk else link.from_case
        if other.pk in visible_ids:
            result.append((link, other))
    return result
