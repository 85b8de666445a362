"""The `seed_cases` step: make the cases, number them, and bulk-insert everything (see `cases.demo`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from saferhomes.cases.demo.base import Built
from saferhomes.cases.demo.cast import CASES_PER_HOME, LONDON, register_for, staffing_for
from saferhomes.cases.demo.maker import CaseMaker
from saferhomes.cases.models import (
    REFERENCE_PREFIX,
    ActionItem,
    Case,
    Contact,
    ContactPlan,
    Incident,
    Note,
    Party,
    ReferenceCounter,
    SurveyInvitation,
)
from saferhomes.cases.references import format_reference, reference_year
from saferhomes.cases.search import refresh_search_documents
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.housing.demo_data import SeedContext

# ---------------------------------------------------------------------------------------------------------------
# Saving


def _allocate_references(cases: list[Case]) -> list[ReferenceCounter]:
    """Number the cases in order of receipt per prefix and year, carrying on from any existing counter."""
    by_key: dict[tuple[str, int], list[Case]] = defaultdict(list)
    for case in cases:
        by_key[(REFERENCE_PREFIX[case.case_type], reference_year(case.received_at))].append(case)
    counters: list[ReferenceCounter] = []
    for (prefix, year), group in sorted(by_key.items()):
        group.sort(key=lambda c: c.received_at)
        counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        for offset, case in enumerate(group, start=1):
            case.reference = format_reference(prefix, year, counter.last_number + offset)
        counter.last_number += len(group)
        counters.append(counter)
    return counters


def _through(field: Any, pairs: list[tuple[Any, Any]], left: str, right: str) -> list[Any]:
    model = field.through
    return [model(**{f"{left}_id": a.pk, f"{right}_id": b.pk}) for a, b in pairs]


def _save(ctx: SeedContext, built: Built) -> None:
    counters = _allocate_references(built.cases)
    built.cases.sort(key=lambda c: c.received_at)
    steps: list[tuple[str, Any, list[Any]]] = [
        ("Cases", Case, built.cases),
        ("Parties", Party, built.parties),
        ("Incidents", Incident, built.incidents),
        ("Contacts", Contact, built.contacts),
        ("Notes", Note, built.notes),
        ("Actions", ActionItem, built.actions),
        ("Contact plans", ContactPlan, built.plans),
        ("Surveys", SurveyInvitation, built.surveys),
    ]
    total = sum(len(rows) for _, _, rows in steps)
    done = 0
    for phase, model, rows in steps:
        model.objects.bulk_create(rows, batch_size=1000)
        done += len(rows)
        ctx.report("Cases", done, total)
        del phase
    ReferenceCounter.objects.bulk_update(counters, ["last_number"])
    Case.properties.through.objects.bulk_create(
        _through(Case.properties, built.case_properties, "case", "property"), batch_size=1000
    )
    Case.restricted_to.through.objects.bulk_create(
        _through(Case.restricted_to, built.restricted_to, "case", "user"), batch_size=1000
    )
    Incident.parties_involved.through.objects.bulk_create(
        _through(Incident.parties_involved, built.involved, "incident", "party"), batch_size=1000
    )
    Incident.witnesses.through.objects.bulk_create(
        _through(Incident.witnesses, built.witnessed, "incident", "party"), batch_size=1000
    )


def seed_cases(ctx: SeedContext) -> None:
    """About 15 cases per 100 homes, in every state and kind, with everything recorded on them (see module doc)."""
    wanted = round(ctx.homes * CASES_PER_HOME)
    staffing = staffing_for(ctx) if wanted else None
    register = register_for(ctx) if staffing is not None else None
    if staffing is None or register is None or not register.homes:
        ctx.counts["cases"] = 0
        return
    now = dt.datetime.combine(ctx.today, dt.time(9, 0), tzinfo=LONDON).astimezone(dt.UTC)
    maker = CaseMaker(ctx=ctx, staffing=staffing, register=register, now=now)
    for _ in range(wanted):
        maker.make()
    built = maker.built
    _save(ctx, built)
    refresh_search_documents(case_ids=[case.pk for case in built.cases])
    ctx.counts["cases"] = len(built.cases)
    ctx.counts["case_parties"] = len(built.parties)
    ctx.counts["incidents"] = len(built.incidents)
    ctx.counts["contacts"] = len(built.contacts)
    ctx.counts["actions"] = len(built.actions)
    ctx.counts["surveys_answered"] = sum(1 for s in built.surveys if s.answered_at is not None)
    audit(
        actor=None,
        verb=AuditVerb.CASES_SEEDED,
        object_type="cases.case",
        object_label=f"Demo cases, seed {ctx.seed}",
        after={"cases": len(built.cases), "seed": ctx.seed},
    )
