"""When a case may be anonymised: its retention date under the schedule, and which cases are due (ADR 0018).

A case's rule is chosen by its type and outcome group ("legal action": an approved or started formal intervention, or
the outcome `legal_action_concluded`); most specific first: (type, group), (type, any), (any type, group), (any type,
any), else `DEFAULT_CASE_MONTHS` after closure. The period counts from the case's closure (a London date) or, for a
rule that starts from the order's end, from the later of closure and the end of the last order. The case is kept up
to and including its "kept until" date and may be anonymised from the next day: "6 years after closure" means the
whole of the sixth anniversary is still inside the period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import BooleanField, DateField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce
from django.utils import timezone

from saferhomes.cases.models import Case, CaseType, Outcome, Status
from saferhomes.core.calendar import LONDON, add_months, local_dates_span
from saferhomes.interventions.models import Intervention, InterventionStatus, Milestone
from saferhomes.privacy.models import LegalHold, OutcomeGroup, RetentionRecord, RetentionRule, RetentionStart

DEFAULT_CASE_MONTHS = 72
ORDER_END_KEYS = ("expiry", "order_expiry")
LEGAL_INTERVENTION_STATUSES = (InterventionStatus.APPROVED, InterventionStatus.ACTIVE, InterventionStatus.CONCLUDED)
SHORT_TYPE = {CaseType.ASB: "ASB", CaseType.HATE: "Hate", CaseType.DA: "DA"}

RuleKey = tuple[str, str, str]


@dataclass(frozen=True)
class RetentionDate:
    """A case's retention date and the rule behind it, in words for the case page."""

    keep_until: date | None
    rule: RetentionRule | None
    explanation: str
    starts_on: date | None = None
    legal_action: bool = False
    held_since: datetime | None = None

    @property
    def line(self) -> str:
        """'Kept until 12 March 2032 (6 years after closure — ASB closed without legal action)'."""
        if self.keep_until is None:
            return f"Kept while open, then {self.explanation}"
        return f"Kept until {self.keep_until.day} {self.keep_until:%B %Y} ({self.explanation})"


# Words -------------------------------------------------------------------------------------------------------------


def period_in_words(months: int, days: int = 0) -> str:
    """'6 years', '18 months', '3 months and 10 days', '30 days'."""
    parts = []
    if months:
        if months % 12 == 0:
            years = months // 12
            parts.append(f"{years} year{'s' if years != 1 else ''}")
        else:
            parts.append(f"{months} month{'s' if months != 1 else ''}")
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    return " and ".join(parts)


def rule_label(rule: RetentionRule) -> str:
    """'ASB closed without legal action', 'DA, any outcome', 'Report never made into a case'."""
    if rule.record != RetentionRecord.CASE:
        return str(rule.get_record_display())
    kind = SHORT_TYPE.get(CaseType(rule.case_type), rule.case_type) if rule.case_type else "Any case"
    if rule.outcome_group == OutcomeGroup.NO_LEGAL_ACTION:
        return f"{kind} closed without legal action"
    if rule.outcome_group == OutcomeGroup.LEGAL_ACTION:
        return f"{kind} after legal action"
    return f"{kind}, any outcome"


def _start_words(rule: RetentionRule | None, order_end_is_later: bool) -> str:
    if rule is not None and rule.starts_from == RetentionStart.ORDER_END:
        return "after the order ends" if order_end_is_later else "after closure (the order ended before it)"
    return "after closure"


# Rules -------------------------------------------------------------------------------------------------------------


def case_rules() -> dict[RuleKey, RetentionRule]:
    """Every case rule by (record, case type, outcome group): one query."""
    return {
        (rule.record, rule.case_type, rule.outcome_group): rule
        for rule in RetentionRule.objects.filter(record=RetentionRecord.CASE)
    }


def rule_for(rules: Mapping[RuleKey, RetentionRule], case_type: str, legal_action: bool) -> RetentionRule | None:
    """The most specific case rule for this type and outcome group (None: the built-in default applies)."""
    group = OutcomeGroup.LEGAL_ACTION if legal_action else OutcomeGroup.NO_LEGAL_ACTION
    for key in ((case_type, group), (case_type, OutcomeGroup.ANY), ("", group), ("", OutcomeGroup.ANY)):
        rule = rules.get((RetentionRecord.CASE, *key))
        if rule is not None:
            return rule
    return None


def record_rule(record: RetentionRecord) -> RetentionRule | None:
    """The rule for a kind of record that is not a case (reports, status links, Case Review applications)."""
    return RetentionRule.objects.filter(record=record).order_by("case_type", "outcome_group").first()


def keep_until(start: date, months: int, days: int) -> date:
    """The last day a record is kept: `start` + months (clamped to the month's end) + days."""
    return add_months(start, months) + timedelta(days=days)


def first_start_not_due(as_of: date, months: int, days: int) -> date:
    """The earliest start day whose 'kept until' date is on or after `as_of` (so every earlier start is due)."""
    day = add_months(as_of - timedelta(days=days), -months) - timedelta(days=3)
    while keep_until(day, months, days) < as_of:
        day += timedelta(days=1)
    return day


# One case ----------------------------------------------------------------------------------------------------------


def _legal_action_exists() -> Exists:
    return Exists(Intervention.objects.filter(case=OuterRef("pk"), formal=True, status__in=LEGAL_INTERVENTION_STATUSES))


def _order_end() -> Coalesce:
    """The end of the case's last order: the latest expiry milestone (its date, else when it is due), else the
    latest outcome date of its formal interventions."""
    formal = {"formal": True, "status__in": LEGAL_INTERVENTION_STATUSES}
    milestone = (
        Milestone.objects.filter(
            intervention__case=OuterRef("pk"),
            key__in=ORDER_END_KEYS,
            **{f"intervention__{k}": v for k, v in formal.items()},
        )
        .annotate(end=Coalesce("occurred_on", "due_on"))
        .order_by("-end")
        .values("end")[:1]
    )
    outcome = (
        Intervention.objects.filter(case=OuterRef("pk"), outcome_on__isnull=False, **formal)
        .order_by("-outcome_on")
        .values("outcome_on")[:1]
    )
    return Coalesce(Subquery(milestone), Subquery(outcome), output_field=DateField())


def _held_since() -> Subquery:
    return Subquery(
        LegalHold.objects.filter(case=OuterRef("pk"), lifted_at__isnull=True)
        .order_by("placed_at")
        .values("placed_at")[:1]
    )


def with_retention_facts(cases: QuerySet[Case], *, many: bool = False) -> QuerySet[Case]:
    """Cases annotated with `legal_intervention` (bool), `order_end` (date or None) and, for one case, `held_since`
    (or None). `many`: for a long list, the legal-action cases are one set the database hashes once, and the order
    end is looked up only for them."""
    if not many:
        return cases.annotate(
            legal_intervention=_legal_action_exists(), order_end=_order_end(), held_since=_held_since()
        )
    legal_ids = _legal_interventions().values("case_id")
    return cases.annotate(
        legal_intervention=CaseWhen(
            When(pk__in=legal_ids, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        order_end=CaseWhen(When(pk__in=legal_ids, then=_order_end()), default=None, output_field=DateField()),
    )


def retention_from_facts(
    *,
    rules: Mapping[RuleKey, RetentionRule],
    case_type: str,
    closed_at: datetime | None,
    legal_action: bool,
    order_end: date | None,
    held_since: datetime | None = None,
) -> RetentionDate:
    """The retention date from facts already read (no query): the one rule, in Python, `due_cases` applies in SQL."""
    rule = rule_for(rules, case_type, legal_action)
    months, days = (rule.months, rule.days) if rule else (DEFAULT_CASE_MONTHS, 0)
    label = rule_label(rule) if rule else f"{SHORT_TYPE.get(CaseType(case_type), case_type)}, built-in default"
    if closed_at is None:
        start_words = (
            "after the order ends" if rule and rule.starts_from == RetentionStart.ORDER_END else "after closure"
        )
        return RetentionDate(
            None, rule, f"{period_in_words(months, days)} {start_words} — {label}", None, legal_action, held_since
        )
    start = timezone.localtime(closed_at, LONDON).date()
    later = False
    if rule is not None and rule.starts_from == RetentionStart.ORDER_END and order_end and order_end > start:
        start, later = order_end, True
    words = f"{period_in_words(months, days)} {_start_words(rule, later)} — {label}"
    return RetentionDate(keep_until(start, months, days), rule, words, start, legal_action, held_since)


def case_retention(case: Case) -> RetentionDate:
    """The day after which `case` may be anonymised (None while it is open), and why (two queries)."""
    fields = ("pk", "case_type", "status", "closed_at", "outcome")
    annotated = with_retention_facts(Case.objects.filter(pk=case.pk).only(*fields)).first()
    return case_retention_annotated(annotated or case, case_rules())


def case_retention_annotated(case: Case, rules: Mapping[RuleKey, RetentionRule]) -> RetentionDate:
    """The retention date of a case from `with_retention_facts` annotations (no query; for lists and runs)."""
    closed = case.status == Status.CLOSED and case.closed_at is not None
    legal = bool(getattr(case, "legal_intervention", False)) or case.outcome == Outcome.LEGAL_ACTION_CONCLUDED
    return retention_from_facts(
        rules=rules,
        case_type=case.case_type,
        closed_at=case.closed_at if closed else None,
        legal_action=legal,
        order_end=getattr(case, "order_end", None),
        held_since=getattr(case, "held_since", None),
    )


# Many cases --------------------------------------------------------------------------------------------------------


def held_cases() -> QuerySet[LegalHold]:
    """Active legal holds."""
    return LegalHold.objects.filter(lifted_at__isnull=True)


def _legal_interventions() -> QuerySet[Intervention]:
    return Intervention.objects.filter(formal=True, status__in=LEGAL_INTERVENTION_STATUSES)


def _order_expiries() -> QuerySet[Milestone]:
    return Milestone.objects.filter(
        key__in=ORDER_END_KEYS, intervention__formal=True, intervention__status__in=LEGAL_INTERVENTION_STATUSES
    )


def _order_ended_before(first: date) -> Q:
    """The case's order end (as `_order_end` works it out) is before `first`, or it has none. Written with
    uncorrelated `pk IN (...)` sets, which the database works out once and hashes, rather than a subquery per case:
    no expiry milestone on or after `first`, and either some expiry milestone or no formal outcome on or after it."""
    expiries = _order_expiries()
    late_expiry = expiries.annotate(end=Coalesce("occurred_on", "due_on")).filter(end__gte=first)
    late_outcome = _legal_interventions().filter(outcome_on__gte=first)
    return ~Q(pk__in=late_expiry.values("intervention__case_id")) & (
        Q(pk__in=expiries.values("intervention__case_id")) | ~Q(pk__in=late_outcome.values("case_id"))
    )


def _due_q(as_of: date, rules: Mapping[RuleKey, RetentionRule], case_types: Iterable[str]) -> Q:
    """The SQL twin of `retention_from_facts`: per outcome group, one arm per distinct period (case types sharing a
    period share an arm), every set uncorrelated, so the query stays small and cheap at a million cases."""
    legal = Q(pk__in=_legal_interventions().values("case_id")) | Q(outcome=Outcome.LEGAL_ACTION_CONCLUDED)
    due = Q(pk__in=[])
    for is_legal, group_q in ((False, ~legal), (True, legal)):
        periods: dict[tuple[int, int, bool], list[str]] = {}
        for case_type in case_types:
            rule = rule_for(rules, case_type, is_legal)
            months, days = (rule.months, rule.days) if rule else (DEFAULT_CASE_MONTHS, 0)
            from_order_end = rule is not None and rule.starts_from == RetentionStart.ORDER_END
            periods.setdefault((months, days, from_order_end), []).append(case_type)
        arms = Q(pk__in=[])
        for (months, days, from_order_end), types in periods.items():
            first = first_start_not_due(as_of, months, days)
            arm = Q(case_type__in=types, closed_at__lt=local_dates_span(first, first)[0])
            if from_order_end:
                arm &= _order_ended_before(first)
            arms |= arm
        due |= group_q & arms
    return due


def due_cases(as_of: date) -> QuerySet[Case]:
    """Closed cases, not anonymised and not on legal hold, whose 'kept until' date is before `as_of`: one query for
    the rules, one for the cases (annotated with the facts `case_retention_annotated` needs)."""
    rules = case_rules()
    due = (
        Case.objects.filter(status=Status.CLOSED, anonymised_at__isnull=True)
        .filter(_due_q(as_of, rules, CaseType.values))
        .exclude(pk__in=held_cases().values("case_id"))
    )
    return with_retention_facts(due, many=True).order_by("closed_at", "pk")
