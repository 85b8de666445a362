"""Anomalies in who reads restricted and DA cases (issue 19 part 5; ADR 0020), each explained in plain English:

- a burst: one member of staff reading at least `OVERSIGHT_BURST_CASES` different restricted or DA cases within
  `OVERSIGHT_BURST_MINUTES` minutes;
- out of hours: reads on a day the landlord's calendar says is not a working day (weekends, its nation's bank
  holidays, its closure days), or outside its office hours (when office hours are off, outside
  `OVERSIGHT_WORKING_HOURS`), in Europe/London time whatever the clocks did; one anomaly per person per day;
- break glass left unused: a manager broke glass and, while the access lasted, changed nothing on the case (only read
  it), once the access has ended.

Found from the reads (`case.viewed`) in a period through the (verb, at) index, at most `MAX_READS` of them at once.
Every anomaly has a stable `key` (kind, who, and its first read or grant), so the daily alert emails each once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import AccessGrant
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON, WorkingCalendar, bank_holidays, day_in_words, is_working_day
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.core.permissions import require
from saferhomes.privacy.oversight_models import AnomalyKind
from saferhomes.privacy.selectors.oversight import CASE, VIEW_OVERSIGHT, OversightFilters, case_facts, grant_rows

MAX_READS = 200_000


@dataclass(frozen=True)
class Anomaly:
    """One thing the DPO should look at, and why."""

    key: str
    kind: AnomalyKind
    actor_id: int | None
    username: str
    first_at: datetime
    last_at: datetime
    cases: tuple[str, ...]  # references
    reads: int
    explanation: str

    @property
    def kind_label(self) -> str:
        return str(self.kind.label)


@dataclass(frozen=True)
class _Read:
    id: int
    actor_id: int | None
    username: str
    at: datetime
    case_id: int


def burst_cases() -> int:
    return int(settings.OVERSIGHT_BURST_CASES)


def burst_minutes() -> int:
    return int(settings.OVERSIGHT_BURST_MINUTES)


def fallback_hours() -> tuple[time, time]:
    """OVERSIGHT_WORKING_HOURS ("08:00-18:00"): the working day when the calendar has no office hours."""
    try:
        opens, closes = (time.fromisoformat(part.strip()) for part in settings.OVERSIGHT_WORKING_HOURS.split("-"))
    except ValueError:
        return time(8), time(18)
    return (opens, closes) if opens < closes else (time(8), time(18))


def working_hours(calendar: WorkingCalendar) -> tuple[time, time]:
    """The hours reads are expected in: the calendar's office hours, or OVERSIGHT_WORKING_HOURS when they are off."""
    return calendar.office_hours or fallback_hours()


def _reads(start: datetime, end: datetime) -> list[_Read]:
    rows = (
        AuditEvent.objects.filter(verb=AuditVerb.CASE_VIEWED, at__gte=start, at__lt=end, object_type=CASE)
        .order_by("actor_id", "at", "id")
        .values_list("id", "actor_id", "actor_label", "at", "object_id")[: MAX_READS + 1]
    )
    reads = [_Read(pk, actor, label, at, int(obj)) for pk, actor, label, at, obj in rows if obj.isdigit()]
    if len(reads) > MAX_READS:
        raise DomainError(
            field_errors={"date_from": f"More than {MAX_READS:,} reads in this period: choose a shorter period"}
        )
    return reads


def _by_actor(reads: list[_Read]) -> list[list[_Read]]:
    groups: list[list[_Read]] = []
    for read in reads:
        if groups and groups[-1][0].actor_id == read.actor_id and groups[-1][0].username == read.username:
            groups[-1].append(read)
        else:
            groups.append([read])
    return groups


def _hm(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%H:%M}"


def _when(first: datetime, last: datetime) -> str:
    a, b = first.astimezone(LONDON), last.astimezone(LONDON)
    if a.date() == b.date():
        return f"between {a:%H:%M} and {b:%H:%M} on {day_in_words(a.date())}"
    return f"between {a:%H:%M} on {day_in_words(a.date())} and {b:%H:%M} on {day_in_words(b.date())}"


def _bursts(reads: list[_Read], *, cases: int, minutes: int) -> list[list[_Read]]:
    """The runs of one person's reads (sorted by time) in which some window of `minutes` holds `cases` or more
    different cases; overlapping and touching windows make one burst."""
    window = timedelta(minutes=minutes)
    counts: Counter[int] = Counter()
    marked: list[_Read] = []
    last_marked = -1
    left = 0
    for right, read in enumerate(reads):
        counts[read.case_id] += 1
        while read.at - reads[left].at > window:
            counts[reads[left].case_id] -= 1
            if not counts[reads[left].case_id]:
                del counts[reads[left].case_id]
            left += 1
        if len(counts) >= cases:
            for index in range(max(left, last_marked + 1), right + 1):
                marked.append(reads[index])
            last_marked = right
    bursts: list[list[_Read]] = []
    for read in marked:
        if bursts and read.at - bursts[-1][-1].at <= window:
            bursts[-1].append(read)
        else:
            bursts.append([read])
    return bursts


def _out_of_hours_reason(local: datetime, calendar: WorkingCalendar, hours: tuple[time, time]) -> str:
    """Why a read at `local` was out of hours ('' when it was not)."""
    day = local.date()
    if not is_working_day(day, calendar):
        if day.weekday() >= 5:
            return f"a {day:%A}"
        holiday = bank_holidays(calendar.nation, day.year).get(day)
        return f"a bank holiday ({holiday})" if holiday else "a closure day"
    opens, closes = hours
    if not opens <= local.time() < closes:
        return f"outside working hours ({opens:%H:%M} to {closes:%H:%M})"
    return ""


def _references(reads: list[_Read], facts: dict[int, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(facts.get(read.case_id, f"case {read.case_id}") for read in reads))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def anomalies_between(
    start: datetime, end: datetime, *, calendar: WorkingCalendar | None = None, grants: bool = True
) -> list[Anomaly]:
    """Every anomaly whose first read (or grant) falls in [start, end), newest first (see the module docstring)."""
    cases, minutes = burst_cases(), burst_minutes()
    calendar = calendar or calendar_current()
    hours = working_hours(calendar)
    # Reads from a window before the start too, so a burst is counted whole where it begins.
    reads = _reads(start - timedelta(minutes=minutes), end)
    references = {pk: facts.reference for pk, facts in case_facts({r.case_id for r in reads}).items()}
    found: list[Anomaly] = []
    for group in _by_actor(reads):
        for burst in _bursts(group, cases=cases, minutes=minutes):
            first, last = burst[0], burst[-1]
            if first.at < start:
                continue
            refs = _references(burst, references)
            found.append(
                Anomaly(
                    key=f"burst:{first.actor_id or 0}:{first.id}",
                    kind=AnomalyKind.BURST,
                    actor_id=first.actor_id,
                    username=first.username,
                    first_at=first.at,
                    last_at=last.at,
                    cases=refs,
                    reads=len(burst),
                    explanation=(
                        f"{first.username} read {_plural(len(refs), 'different restricted or DA case')} "
                        f"{_when(first.at, last.at)}. The alert is for {cases} or more within {minutes} minutes."
                    ),
                )
            )
        by_day: dict[date, list[tuple[_Read, str]]] = {}
        for read in group:
            if read.at < start:
                continue
            local = read.at.astimezone(LONDON)
            why = _out_of_hours_reason(local, calendar, hours)
            if why:
                by_day.setdefault(local.date(), []).append((read, why))
        for day, flagged in by_day.items():
            first, last = flagged[0][0], flagged[-1][0]
            refs = _references([read for read, _why in flagged], references)
            reasons = " and ".join(dict.fromkeys(why for _read, why in flagged))
            found.append(
                Anomaly(
                    key=f"out_of_hours:{first.actor_id or 0}:{day.isoformat()}",
                    kind=AnomalyKind.OUT_OF_HOURS,
                    actor_id=first.actor_id,
                    username=first.username,
                    first_at=first.at,
                    last_at=last.at,
                    cases=refs,
                    reads=len(flagged),
                    explanation=(
                        f"{first.username} read {_plural(len(refs), 'restricted or DA case')} "
                        f"({_plural(len(flagged), 'page')}) {_when(first.at, last.at)}: {reasons}."
                    ),
                )
            )
    if grants:
        found.extend(_unused_break_glass(start, end))
    return sorted(found, key=lambda a: (a.first_at, a.key), reverse=True)


def _unused_break_glass(start: datetime, end: datetime) -> list[Anomaly]:
    """Break glass (not access given to the DPO) that has ended with nothing done on the case but reading it."""
    now = timezone.now()
    grants = (
        AccessGrant.objects.filter(
            granted_at__gte=start, granted_at__lt=end, expires_at__lte=now, dpo_grant__isnull=True
        )
        .select_related("user")
        .order_by("granted_at", "id")
    )
    found = []
    for row in grant_rows(grants):
        if row.actions or row.case is None:
            continue
        grant = row.grant
        found.append(
            Anomaly(
                key=f"unused_break_glass:{grant.user_id}:{grant.pk}",
                kind=AnomalyKind.UNUSED_BREAK_GLASS,
                actor_id=grant.user_id,
                username=row.username,
                first_at=grant.granted_at,
                last_at=grant.expires_at,
                cases=(row.case.reference,),
                reads=len(row.reads),
                explanation=(
                    f"{row.username} broke glass to open {row.case.reference} at {_hm(grant.granted_at)} on "
                    f"{day_in_words(grant.granted_at.astimezone(LONDON).date())} and, while the access lasted, "
                    f"read {_plural(len(row.reads), 'page')} and changed nothing on the case. Check the reason given."
                ),
            )
        )
    return found


def anomalies_for(*, actor: User, filters: OversightFilters) -> list[Anomaly]:
    """The anomalies that began in the period, narrowed to one member of staff or one case when asked."""
    require(actor, VIEW_OVERSIGHT)
    start, end = filters.span()
    found = anomalies_between(start, end)
    if filters.user:
        found = [a for a in found if a.username.lower() == filters.user.lower()]
    if filters.case:
        wanted = filters.case.strip().upper()
        found = [a for a in found if wanted in a.cases]
    return found
