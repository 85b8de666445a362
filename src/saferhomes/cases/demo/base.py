"""The state a demo case maker carries (what it has built, its random stream) and its working-hours clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from saferhomes.accounts.models import User
from saferhomes.cases.demo.cast import LONDON, OFFICE_CLOSES, OFFICE_OPENS, Register, Staffing
from saferhomes.cases.models import (
    ActionItem,
    Case,
    Contact,
    ContactPlan,
    Incident,
    Note,
    Party,
    SurveyInvitation,
)
from saferhomes.core.calendar import is_working_day
from saferhomes.core.calendar_config import calendar_current
from saferhomes.housing.demo_data import SeedContext
from saferhomes.housing.models import Property

# ---------------------------------------------------------------------------------------------------------------
# Building the cases


@dataclass
class Built:
    """Everything made, in insertion order, with the links that need primary keys first."""

    cases: list[Case] = field(default_factory=list)
    case_properties: list[tuple[Case, Property]] = field(default_factory=list)
    restricted_to: list[tuple[Case, User]] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    involved: list[tuple[Incident, Party]] = field(default_factory=list)
    witnessed: list[tuple[Incident, Party]] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    plans: list[ContactPlan] = field(default_factory=list)
    surveys: list[SurveyInvitation] = field(default_factory=list)


class MakerBase:
    """What every part of making a case shares: the random stream, the people and places, and the clock."""

    def __init__(self, *, ctx: SeedContext, staffing: Staffing, register: Register, now: dt.datetime) -> None:
        self.fake = ctx.faker("cases")
        self.rng = self.fake.random
        self.ctx = ctx
        self.staff = staffing
        self.register = register
        self.now = now
        self.built = Built()
        self.approval_waiting = 0
        self.calendar = calendar_current()  # the landlord's working days, as the services use
        self.da_team = staffing.da_specialist.team

    # --- times -------------------------------------------------------------------------------------------------

    def _between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        if end <= start:
            return start
        minutes = (end - start).total_seconds() / 60
        return start + dt.timedelta(minutes=int(self.rng.uniform(0, minutes)))

    def _hours(self, shortest: float, longest: float) -> dt.timedelta:
        """A whole number of minutes between two lengths given in hours."""
        return dt.timedelta(minutes=self.rng.randint(int(shortest * 60), int(longest * 60)))

    def _working_hours(self, moment: dt.datetime, *, not_before: dt.datetime, not_after: dt.datetime) -> dt.datetime:
        """The nearest weekday at a plausible office time (staff work in the day), kept within the bounds; if the
        bounds push it out of office hours, any office time within them (staff do not phone people at 3 a.m.)."""
        local = moment.astimezone(LONDON)
        while local.weekday() >= 5:
            local -= dt.timedelta(days=1)
        minute = self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
        moved = local.replace(hour=self.rng.randint(9, 16), minute=minute, second=0, microsecond=0)
        kept = min(max(moved.astimezone(dt.UTC), not_before), not_after)
        if self._in_office_hours(kept):
            return kept
        return self._office_time(not_before, not_after) or kept

    def _in_office_hours(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(LONDON)
        return is_working_day(local.date(), self.calendar) and OFFICE_OPENS <= local.time() < OFFICE_CLOSES

    def _office_time(self, start: dt.datetime, end: dt.datetime) -> dt.datetime | None:
        """A random moment in office hours on a working day between `start` and `end`; None if there is none."""
        windows: list[tuple[dt.datetime, dt.datetime]] = []
        day, last = start.astimezone(LONDON).date(), end.astimezone(LONDON).date()
        while day <= last:
            if is_working_day(day, self.calendar):
                opens = dt.datetime.combine(day, OFFICE_OPENS, tzinfo=LONDON).astimezone(dt.UTC)
                closes = dt.datetime.combine(day, OFFICE_CLOSES, tzinfo=LONDON).astimezone(dt.UTC)
                low, high = max(opens, start), min(closes, end)
                if low < high:
                    windows.append((low, high))
            day += dt.timedelta(days=1)
        total = sum((high - low).total_seconds() for low, high in windows)
        if not windows or total < 60:
            return None
        offset = self.rng.uniform(0, total)
        for low, high in windows:
            length = (high - low).total_seconds()
            if offset <= length:
                return low + dt.timedelta(minutes=int(offset // 60))
            offset -= length
        return windows[-1][0]

    # --- one case ----------------------------------------------------------------------------------------------
