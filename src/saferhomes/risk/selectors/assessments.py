"""Risk reads on cases: a case's assessments, the latest one, when it must be reassessed, the dashboard's due list and
the history the chart draws (DESIGN.md §4.2, issue 7).

Callers have already opened the case through `cases.selectors.case_get_for_actor` (the only way in); the dashboard
list starts from `cases_visible_to`. "The latest assessment" means the latest of a banded instrument (matrix or
checklist): those set the case's risk; perpetrator and household factors are recorded beside them, never banded.

A reassessment is due on the band's date (`Assessment.reassess_by`), or at once when an incident has been recorded on
the case since the latest assessment (DESIGN.md §4.2: "and on every new incident"): it is then due on the day that
incident was recorded. Read from `cases.Incident.created_at`, so nothing in cases needs to know about risk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.extensions import DueCounts
from saferhomes.cases.models import Case, CaseType, Incident, Status
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.calendar import LONDON
from saferhomes.risk import rules
from saferhomes.risk.models import Assessment, ChecklistWaiver, Instrument, InstrumentKind, MaracDecision

BANDED_KINDS = (InstrumentKind.MATRIX, InstrumentKind.CHECKLIST)
# Cases whose risk is being worked: reassessments are chased on these (not new, not closed).
WORKING_STATUSES = (Status.TRIAGED, Status.OPEN, Status.REOPENED, Status.CLOSING)
DASHBOARD_ROWS = 10
# The team workload counts a reassessment as due when its date falls within this many days (overdue once passed).
WORKLOAD_DUE_DAYS = 7
VIEW_ALL = "cases.view_all_cases"


def instrument_definition(instrument: Instrument) -> rules.Definition:
    """The instrument's definition as rules objects (versions never change once loaded, so it is parsed once)."""
    cached = getattr(instrument, "_risk_definition", None)
    if isinstance(cached, rules.Definition):
        return cached
    definition = rules.definition_from_data(instrument.definition)
    instrument._risk_definition = definition  # type: ignore[attr-defined]
    return definition


def band_label(instrument: Instrument, key: str) -> str:
    """The words for a band key of this instrument ('' for no band)."""
    if not key:
        return ""
    band = instrument_definition(instrument).band(key)
    return band.label if band is not None else key


def band_rank(instrument: Instrument, key: str) -> int | None:
    """A band's place from the lowest (1) up, or None: lets the chart put every instrument on one scale."""
    keys = [band.key for band in instrument_definition(instrument).bands]
    return keys.index(key) + 1 if key in keys else None


# One case --------------------------------------------------------------------------------------------------------


def assessments_for_case(*, case: Case) -> QuerySet[Assessment]:
    """Every assessment on the case, newest first, with what a history row shows joined in."""
    return (
        Assessment.objects.filter(case=case)
        .select_related("instrument", "assessed_by", "overridden_by", "subject", "subject__person", "marac_decision")
        .order_by("-assessed_at", "-id")
    )


def latest_assessment(*, case: Case) -> Assessment | None:
    """The case's latest assessment with a banded instrument (the one that sets its risk), or None."""
    return assessments_for_case(case=case).filter(instrument__kind__in=BANDED_KINDS).first()


@dataclass(frozen=True)
class ReassessmentDue:
    """When the case must be reassessed, why, and whether that day has passed."""

    due_on: dt.date
    reason: str
    overdue: bool
    after_incident: bool


def reassessment_due(
    case: Case, *, latest: Assessment | None = None, today: dt.date | None = None
) -> ReassessmentDue | None:
    """When the latest assessment must be redone: its band's date, or the day an incident was recorded since it."""
    latest = latest if latest is not None else latest_assessment(case=case)
    if latest is None:
        return None
    today = today or timezone.localdate()
    incident_at = (
        Incident.objects.filter(case=case, created_at__gt=latest.assessed_at)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    incident_on = timezone.localdate(incident_at) if incident_at is not None else None
    if incident_on is not None and (latest.reassess_by is None or incident_on < latest.reassess_by):
        reason = f"An incident was recorded on {incident_on.day} {incident_on:%B %Y}, after the latest assessment"
        return ReassessmentDue(due_on=incident_on, reason=reason, overdue=incident_on < today, after_incident=True)
    if latest.reassess_by is None:
        return None
    reason = f"The {band_label(latest.instrument, latest.band).lower()} band is reassessed by this date"
    return ReassessmentDue(
        due_on=latest.reassess_by, reason=reason, overdue=latest.reassess_by < today, after_incident=False
    )


def outstanding_marac_decisions(*, case: Case) -> QuerySet[MaracDecision]:
    """Required MARAC referrals on the case that are neither recorded as made nor declined by a manager."""
    return MaracDecision.objects.filter(
        case=case, required=True, referral_made_on__isnull=True, not_referred_at__isnull=True
    ).order_by("decided_at", "id")


def da_checklist_missing(*, case: Case) -> bool:
    """A DA case on which no DA checklist was ever completed and no manager recorded why (issue 14 item 8)."""
    if case.case_type != CaseType.DA:
        return False
    assessed = Assessment.objects.filter(case_id=case.pk, instrument__kind=InstrumentKind.CHECKLIST).exists()
    return not assessed and not ChecklistWaiver.objects.filter(case_id=case.pk).exists()


def last_marac_referral_on(*, case: Case, person_id: int | None) -> dt.date | None:
    """The most recent MARAC referral made for this person (on any case; counting, not showing) or on this case."""
    where = Q(case=case)
    if person_id is not None:
        where |= Q(assessment__subject__person_id=person_id)
    return (
        MaracDecision.objects.filter(where, referral_made_on__isnull=False)
        .order_by("-referral_made_on")
        .values_list("referral_made_on", flat=True)
        .first()
    )


@dataclass(frozen=True)
class RiskPoint:
    """One banded assessment on the chart and in its table."""

    assessment: Assessment
    on: dt.date
    instrument: str
    score: int
    max_score: int
    band: str
    band_label: str
    rank: int | None
    ranks: int
    overridden: bool


def risk_history(case: Case, *, assessments: list[Assessment] | None = None) -> list[RiskPoint]:
    """Banded assessments oldest first, each with its band's rank: the chart of risk over time and its table."""
    rows = assessments if assessments is not None else list(assessments_for_case(case=case))
    points = []
    for assessment in sorted(rows, key=lambda a: (a.assessed_at, a.pk)):
        if assessment.instrument.kind not in BANDED_KINDS:
            continue
        definition = instrument_definition(assessment.instrument)
        points.append(
            RiskPoint(
                assessment=assessment,
                on=timezone.localdate(assessment.assessed_at),
                instrument=assessment.instrument.name,
                score=assessment.score,
                max_score=definition.max_score,
                band=assessment.band,
                band_label=band_label(assessment.instrument, assessment.band),
                rank=band_rank(assessment.instrument, assessment.band),
                ranks=len(definition.bands),
                overridden=assessment.overridden,
            )
        )
    return points


# The dashboard ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    """A case on the dashboard's reassessment list."""

    case: Case
    due_on: dt.date
    overdue: bool
    after_incident: bool


@dataclass(frozen=True)
class ReassessmentsDue:
    """Reassessments the actor may see that are overdue or due soon, and working cases never assessed."""

    overdue_count: int
    due_soon_count: int
    never_assessed_count: int
    rows: list[DueRow]
    within_days: int

    @property
    def total(self) -> int:
        return self.overdue_count + self.due_soon_count


def _latest_banded(field: str) -> Subquery:
    return Subquery(
        Assessment.objects.filter(case=OuterRef("pk"), instrument__kind__in=BANDED_KINDS)
        .order_by("-assessed_at", "-id")
        .values(field)[:1]
    )


def with_reassessment_due(cases: QuerySet[Case]) -> Any:
    """Annotate `risk_due_on`: the latest banded assessment's date, or the day of the first incident since, if
    earlier; `risk_after_incident` says which (NULL when never assessed); `risk_assessment_id` is that assessment."""
    first_incident = Subquery(
        Incident.objects.filter(case=OuterRef("pk"), created_at__gt=OuterRef("risk_assessed_at"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    annotated = cases.annotate(
        risk_assessment_id=_latest_banded("pk"),
        risk_assessed_at=_latest_banded("assessed_at"),
        risk_reassess_by=_latest_banded("reassess_by"),
    ).annotate(risk_incident_on=TruncDate(first_incident, tzinfo=LONDON))
    incident_first = Q(risk_incident_on__isnull=False) & (
        Q(risk_reassess_by__isnull=True) | Q(risk_incident_on__lt=F("risk_reassess_by"))
    )
    return annotated.annotate(
        risk_due_on=models.Case(
            When(incident_first, then=F("risk_incident_on")),
            default=F("risk_reassess_by"),
            output_field=models.DateField(),
        ),
        risk_after_incident=models.Case(
            When(incident_first, then=True), default=False, output_field=models.BooleanField()
        ),
    )


def _working_cases(*, actor: User, mine_only: bool) -> QuerySet[Case]:
    cases = cases_visible_to(actor=actor).filter(status__in=WORKING_STATUSES)
    if mine_only:
        cases = cases.filter(Q(assigned_officer_id=actor.pk) | Q(assigned_officer__isnull=True, team_id=actor.team_id))
    return cases


def _assessed() -> Exists:
    return Exists(Assessment.objects.filter(case=OuterRef("pk"), instrument__kind__in=BANDED_KINDS))


def cases_never_assessed(*, actor: User, mine_only: bool = True) -> QuerySet[Case]:
    """Working cases the actor may see with no banded risk assessment, oldest first."""
    return (
        _working_cases(actor=actor, mine_only=mine_only)
        .filter(~_assessed())
        .select_related("assigned_officer", "team", "estate")
        .order_by("received_at", "pk")
    )


def cases_due_for_reassessment(
    *, actor: User, mine_only: bool = True, within_days: int = 2, today: dt.date | None = None
) -> Any:
    """Working cases the actor may see whose reassessment is overdue or due within `within_days`, soonest first;
    each annotated with `risk_due_on` and `risk_after_incident`."""
    today = today or timezone.localdate()
    cases = _working_cases(actor=actor, mine_only=mine_only).filter(_assessed())
    return (
        with_reassessment_due(cases)
        .filter(risk_due_on__lte=today + dt.timedelta(days=within_days))
        .select_related("assigned_officer", "team", "estate")
        .order_by("risk_due_on", "received_at", "pk")
    )


def reassessments_mine_only(*, actor: User, asked: bool) -> bool:
    """Whether a reassessment list shows only the actor's own cases: when they ask, and always for staff who may
    not see every case."""
    return asked or not actor.has_perm(VIEW_ALL)


def reassessment_list(*, actor: User, show: str, mine_only: bool, today: dt.date) -> QuerySet[Case]:
    """The cases behind one of the dashboard's reassessment counts: `show` is "overdue", "due_soon" or "never"
    (working cases never assessed); the first two annotated as `cases_due_for_reassessment` annotates them."""
    if show == "never":
        return cases_never_assessed(actor=actor, mine_only=mine_only)
    due = cases_due_for_reassessment(actor=actor, mine_only=mine_only, today=today)
    result: QuerySet[Case] = (
        due.filter(risk_due_on__lt=today) if show == "overdue" else due.filter(risk_due_on__gte=today)
    )
    return result


def due_rows(cases: Any, *, today: dt.date | None = None) -> list[DueRow]:
    """Rows of `cases_due_for_reassessment` as DueRows."""
    today = today or timezone.localdate()
    return [
        DueRow(
            case=case,
            due_on=case.risk_due_on,
            overdue=case.risk_due_on < today,
            after_incident=bool(case.risk_after_incident),
        )
        for case in cases
    ]


def cases_reassessment_due(
    *,
    actor: User,
    within_days: int = 2,
    mine_only: bool = True,
    today: dt.date | None = None,
    rows: int = DASHBOARD_ROWS,
) -> ReassessmentsDue:
    """Working cases (triaged, open, reopened, closing) the actor may see whose reassessment is overdue or due within
    `within_days`, soonest first, and how many have never been assessed (the actor's own and their team's unassigned
    ones if mine_only). Three queries: never assessed, the counts, the first rows."""
    today = today or timezone.localdate()
    due = cases_due_for_reassessment(actor=actor, mine_only=mine_only, within_days=within_days, today=today)
    counts = due.order_by().aggregate(
        overdue=Count("pk", filter=Q(risk_due_on__lt=today)), due_soon=Count("pk", filter=Q(risk_due_on__gte=today))
    )
    return ReassessmentsDue(
        overdue_count=counts["overdue"] or 0,
        due_soon_count=counts["due_soon"] or 0,
        never_assessed_count=cases_never_assessed(actor=actor, mine_only=mine_only).order_by().count(),
        rows=due_rows(due[:rows], today=today),
        within_days=within_days,
    )


# The team workload ---------------------------------------------------------------------------------------------


def reassessments_by_officer(*, cases: QuerySet[Case], today: dt.date) -> dict[int | None, DueCounts]:
    """Reassessments overdue, and due within `WORKLOAD_DUE_DAYS`, among the working cases of `cases` (already those
    the actor may see), per assigned officer (None for unassigned cases): one grouped query (the workload column
    registered with `cases.extensions.register_workload_column`)."""
    assessed = cases.filter(status__in=WORKING_STATUSES).filter(_assessed())
    horizon = today + dt.timedelta(days=WORKLOAD_DUE_DAYS)
    rows = (
        with_reassessment_due(assessed)
        .order_by()
        .values("assigned_officer_id")
        .annotate(
            overdue=Count("pk", filter=Q(risk_due_on__lt=today)),
            due=Count("pk", filter=Q(risk_due_on__gte=today, risk_due_on__lte=horizon)),
        )
    )
    return {row["assigned_officer_id"]: DueCounts(due=row["due"], overdue=row["overdue"]) for row in rows}
