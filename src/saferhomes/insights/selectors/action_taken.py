"""What the landlord did in a quarter, by area (issue 18 part 4): the true counts a manager reviews, and the approved
snapshots the public page shows. Counted in the database (grouped), never row by row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet

from saferhomes.accounts.models import User
from saferhomes.case_review.models import Application
from saferhomes.core.calendar import local_dates_span
from saferhomes.core.permissions import require
from saferhomes.insights import publication
from saferhomes.insights.models import ActionTakenSnapshot, Initiative
from saferhomes.interventions.models import Intervention, InterventionStatus

PUBLISH = "insights.publish_action_taken"
TAKEN = (InterventionStatus.ACTIVE, InterventionStatus.CONCLUDED)


def threshold() -> int:
    """The configured suppression threshold (SUPPRESSION_THRESHOLD, default 5)."""
    return max(1, int(getattr(settings, "SUPPRESSION_THRESHOLD", 5)))


def action_taken_counts(start: dt.date) -> dict[str, dict[str, int]]:
    """True counts for the quarter beginning `start`: area name -> heading key -> n. An intervention counts in the
    quarter it was started (`started_on`); a Case Review in the quarter its panel met (London dates)."""
    end = publication.quarter_end(start)
    counts: dict[str, dict[str, int]] = {}

    def add(area: str | None, key: str, n: int) -> None:
        row = counts.setdefault(area or publication.NOT_RECORDED_AREA, {})
        row[key] = row.get(key, 0) + n

    started = (
        Intervention.objects.filter(
            status__in=TAKEN, started_on__gte=start, started_on__lte=end, kind__in=list(publication.KIND_HEADING)
        )
        .values("case__estate__area__name", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in started:
        add(row["case__estate__area__name"], publication.KIND_HEADING[row["kind"]], row["n"])
    lower, upper = local_dates_span(start, end)
    reviews = (
        Application.objects.filter(review_held_at__gte=lower, review_held_at__lt=upper)
        .values("home__estate__area__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in reviews:
        add(row["home__estate__area__name"], "case_reviews", row["n"])
    return counts


def ordered_rows(counts: dict[str, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    """Areas by name, with "Area not recorded" last."""
    named = sorted((a, c) for a, c in counts.items() if a != publication.NOT_RECORDED_AREA)
    rest = [(a, c) for a, c in counts.items() if a == publication.NOT_RECORDED_AREA]
    return named + rest


@dataclass(frozen=True)
class QuarterReview:
    """What a manager sees before approving: the true counts, and the table as the public would see it."""

    start: dt.date
    label: str
    rows: list[tuple[str, list[int]]]
    published: publication.PublishedTable
    snapshot: ActionTakenSnapshot | None
    ended: bool


def quarter_review(*, actor: User, start: dt.date, today: dt.date) -> QuarterReview:
    """The quarter's live figures beside their public form, and its snapshot if it was approved already."""
    require(actor, PUBLISH)
    counts = ordered_rows(action_taken_counts(start))
    keys = list(publication.HEADINGS)
    return QuarterReview(
        start=start,
        label=publication.quarter_label(start),
        rows=[(area, [c.get(k, 0) for k in keys]) for area, c in counts],
        published=publication.publish_table(counts, threshold=threshold()),
        snapshot=ActionTakenSnapshot.objects.filter(quarter_start=start).select_related("approved_by").first(),
        ended=publication.quarter_has_ended(start, today),
    )


@dataclass(frozen=True)
class PublishedQuarter:
    start: dt.date
    label: str
    approved_at: dt.datetime
    table: publication.PublishedTable


def published_quarter(snapshot: ActionTakenSnapshot) -> PublishedQuarter:
    """An approved snapshot as the public sees it: suppressed at the higher of its own threshold and today's."""
    rows = [(row["area"], {k: int(v) for k, v in row["counts"].items()}) for row in snapshot.figures.get("areas", [])]
    return PublishedQuarter(
        start=snapshot.quarter_start,
        label=publication.quarter_label(snapshot.quarter_start),
        approved_at=snapshot.approved_at,
        table=publication.publish_table(rows, threshold=max(snapshot.threshold, threshold())),
    )


def published_snapshots() -> QuerySet[ActionTakenSnapshot]:
    """Every approved quarter, newest first (public: no actor; nothing in them names a person)."""
    return ActionTakenSnapshot.objects.order_by("-quarter_start")


def published_initiatives(*, since: dt.date) -> QuerySet[Initiative]:
    """Prevention initiatives and publicity campaigns to list publicly: published, running on or after `since`."""
    from django.db.models import Q

    return (
        Initiative.objects.filter(published=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .select_related("area", "estate")
        .prefetch_related("partners")
        .order_by("-starts_on", "title")
    )
