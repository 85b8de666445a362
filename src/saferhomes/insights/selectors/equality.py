"""Equality monitoring reads (issue 18 part 5): one party's answers, and the equality report. Only for holders of
`insights.view_equality` (managers and the DPO); the report shows groups of at least the suppression threshold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import TextChoices

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Outcome, Party, PartyRole, Status
from saferhomes.core.calendar import LONDON, local_dates_span
from saferhomes.core.permissions import require
from saferhomes.insights import equality_rules
from saferhomes.insights.models import (
    AgeBand,
    EqualityMonitoring,
    EthnicGroup,
    Religion,
    Sex,
    SexualOrientation,
    YesNoPreferNot,
)
from saferhomes.insights.selectors.action_taken import threshold

VIEW_EQUALITY = "insights.view_equality"
MONITORED_ROLES = (PartyRole.REPORTER, PartyRole.VICTIM, PartyRole.ALLEGED_PERPETRATOR)

# field -> (question, choices): the order the form asks them and the report offers them.
QUESTIONS: dict[str, tuple[str, type[TextChoices]]] = {
    "age_band": ("Age", AgeBand),
    "sex": ("Sex", Sex),
    "gender_same_as_birth": ("Is their gender the same as the sex they were registered at birth?", YesNoPreferNot),
    "disability": ("Do they consider themselves disabled?", YesNoPreferNot),
    "ethnic_group": ("Ethnic group", EthnicGroup),
    "religion": ("Religion or belief", Religion),
    "sexual_orientation": ("Sexual orientation", SexualOrientation),
}
ROLE_GROUPS = {
    "victims": ("Reporters and victims", (PartyRole.REPORTER, PartyRole.VICTIM)),
    "perpetrators": ("Alleged perpetrators", (PartyRole.ALLEGED_PERPETRATOR,)),
}


def monitored_parties(*, actor: User, case: Case) -> list[tuple[Party, EqualityMonitoring | None]]:
    """The case's reporters, victims and alleged perpetrators with their answers (the case already opened by
    `case_of`, so the actor may see it)."""
    require(actor, VIEW_EQUALITY)
    parties = list(
        Party.objects.filter(case=case, role__in=MONITORED_ROLES)
        .select_related("person", "equality_monitoring")
        .order_by("role", "pk")
    )
    return [(party, getattr(party, "equality_monitoring", None)) for party in parties]


@dataclass(frozen=True)
class EqualityReport:
    question: str
    question_label: str
    role_group: str
    role_label: str
    start: dt.date
    end: dt.date
    threshold: int
    table: equality_rules.EqualityTable
    outcome_labels: dict[str, str]


def equality_report(*, actor: User, question: str, role_group: str, start: dt.date, end: dt.date) -> EqualityReport:
    """Cases closed in the period, grouped by one answer of the people in one role group: how many, the median days
    from received to closed, and how they closed. A case with two people in different groups counts in both."""
    require(actor, VIEW_EQUALITY)
    label, choices = QUESTIONS[question]
    role_label, roles = ROLE_GROUPS[role_group]
    lower, upper = local_dates_span(start, end)
    rows = (
        EqualityMonitoring.objects.filter(
            party__role__in=roles,
            party__case__status=Status.CLOSED,
            party__case__closed_at__gte=lower,
            party__case__closed_at__lt=upper,
        )
        .values_list(
            question, "party__case_id", "party__case__received_at", "party__case__closed_at", "party__case__outcome"
        )
        .distinct()
    )
    words = dict(choices.choices)
    seen: set[tuple[str, int]] = set()
    closed: list[equality_rules.ClosedCase] = []
    for answer, case_id, received_at, closed_at, outcome in rows:
        group = str(words.get(answer, equality_rules.NOT_ANSWERED))
        if (group, case_id) in seen:  # two victims in the same group: the case once for that group
            continue
        seen.add((group, case_id))
        days = (closed_at.astimezone(LONDON).date() - received_at.astimezone(LONDON).date()).days
        closed.append(equality_rules.ClosedCase(group=group, days=days, outcome=outcome))
    groups = [str(text) for _, text in choices.choices] + [equality_rules.NOT_ANSWERED]
    outcome_labels = {value: str(text) for value, text in Outcome.choices}
    table = equality_rules.equality_table(closed, groups=groups, outcomes=list(outcome_labels), threshold=threshold())
    return EqualityReport(
        question=question,
        question_label=label,
        role_group=role_group,
        role_label=role_label,
        start=start,
        end=end,
        threshold=threshold(),
        table=table,
        outcome_labels=outcome_labels,
    )
