"""A small worked example of a month's casework for the monthly report tests (October 2026 against September 2026
and October 2025)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from saferhomes.cases.models import Case, CaseType, Category, Outcome, Status, SurveyInvitation
from saferhomes.core.calendar import LONDON
from saferhomes.housing.models import Estate
from tests.cases.factories import CaseFactory, force_status
from tests.housing.factories import AreaFactory, EstateFactory

OCTOBER = dt.date(2026, 10, 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


@dataclass
class Example:
    north: Estate
    south: Estate


def october_example() -> Example:
    """October 2026: 3 ASB (one urgent, two in the North), 1 hate; September 2026: 1 ASB; October 2025: 2 DA.
    One October case closed resolved on 20 October; two surveys answered in October (very and fairly dissatisfied
    ... and one very satisfied)."""
    north = EstateFactory.create(area=AreaFactory.create(name="North"))
    south = EstateFactory.create(area=AreaFactory.create(name="South"))
    oct_5 = at(dt.date(2026, 10, 5))
    asb_1 = _case(CaseType.ASB, oct_5, estate=north, category=Category.NUISANCE, due_days=7, responded_days=2)
    _case(CaseType.ASB, at(dt.date(2026, 10, 6)), estate=north, category=Category.PERSONAL, urgent=True)
    _case(CaseType.ASB, at(dt.date(2026, 10, 31), hour=23), estate=south, category=Category.NUISANCE)
    _case(CaseType.HATE, at(dt.date(2026, 10, 12)), hate_strands=["race"], category=Category.PERSONAL)
    _case(CaseType.ASB, at(dt.date(2026, 9, 20)), estate=south, category=Category.ENVIRONMENTAL)
    _case(CaseType.DA, at(dt.date(2025, 10, 2)))
    _case(CaseType.DA, at(dt.date(2025, 10, 3)))
    force_status(asb_1, Status.CLOSED, outcome=Outcome.RESOLVED, closed_at=at(dt.date(2026, 10, 20)))
    for score in (5, 1):
        SurveyInvitation.objects.create(
            case=asb_1,
            token_hash=secrets.token_hex(32),
            sent_at=at(dt.date(2026, 10, 21)),
            answered_at=at(dt.date(2026, 10, 22)),
            satisfaction=score,
        )
    return Example(north=north, south=south)


def _case(
    case_type: str,
    received_at: dt.datetime,
    *,
    due_days: int = 7,
    responded_days: int | None = None,
    **fields: object,
) -> Case:
    return CaseFactory.create(
        case_type=case_type,
        received_at=received_at,
        response_due_at=received_at + dt.timedelta(days=due_days),
        responded_at=None if responded_days is None else received_at + dt.timedelta(days=responded_days),
        **fields,
    )
