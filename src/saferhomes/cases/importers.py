"""Case-log import (issue 20 part 8): `saferhomes import cases FILE.csv|FILE.xlsx [--dry-run]`.

A landlord moving from spreadsheets brings its open and recent ASB, hate and domestic abuse cases. The file is read
and reported on by the housing register's importer machinery (`housing.importers`: the same columns table, the same
row-by-row problems); this module registers the `cases` kind with `saferhomes import` from `CasesConfig.ready()`
(housing sits below cases, so it cannot import this module: `housing.importers.registry` is the extension point).

- Every row is checked first; any problem and nothing is written (one transaction).
- The original reference is kept on the case (`Case.legacy_reference`, unique when given): a row whose reference is
  already imported is counted as "already imported" and skipped, so re-running a file creates nothing. The case also
  gets a Saferhomes reference as usual (`reference_allocate`, numbered in the year it was received).
- An open case gets its first-response deadline from its received time by the working calendar exactly as a new case
  does (`case_response_due`); one received long ago is overdue, and the summary says how many are. A closed case keeps
  its closed date and outcome and has no response clock.
- Each case's first report is recorded as received through `Channel.IMPORT` (by intake, which sits above cases,
  through `on_cases_imported`).
- Officers, teams and homes are loaded once for the whole file, not per row; each case is audited once
  (`case.imported`), with the actor from `--user` (or the system).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from saferhomes.accounts.models import Team, User
from saferhomes.cases.importer_columns import (
    COLUMNS,
    OUTCOME_SYNONYMS,
    STATUS_LOOKUP,
    TYPE_SHORT,
    TYPE_SYNONYMS,
)
from saferhomes.cases.models import (
    Case,
    CaseType,
    Category,
    HateStrand,
    Note,
    Outcome,
    Party,
    PartyRole,
    Priority,
    Sensitivity,
    Stage,
    Status,
    SubType,
)
from saferhomes.cases.permissions import ADD_CASE, ASSIGN_CASE, VIEW_DA, WORK_CASE
from saferhomes.cases.references import reference_allocate
from saferhomes.cases.search import refresh_search_documents
from saferhomes.cases.services.case import CASE_FIELDS, SUMMARY_MAX, TEXT_MAX
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import WorkingCalendar, response_deadline
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing import rules
from saferhomes.housing.importers import (
    ImportFileError,
    ImportRejectedError,
    ImportResult,
    ImportRow,
    ProgressCallback,
    RowProblem,
    check_required,
)
from saferhomes.housing.importers.cells import Cells, cell_text, choice_lookup, validate_email
from saferhomes.housing.importers.files import is_blank
from saferhomes.housing.importers.plan import by_key, duplicates, tick
from saferhomes.housing.importers.registry import ImportKind, import_kind_register
from saferhomes.housing.models import Property

KIND = "cases"
LEGACY_REFERENCE_MAX = 60
NAME_MAX = 100
LOCATION_MAX = 250
DEFAULT_RECEIVED_TIME = dt.time(9, 0)  # a received date without a time: the start of the working day, UK time
UK = ZoneInfo("Europe/London")

_DATETIME = re.compile(r"^(?P<date>\S+)[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?$")


@dataclass
class CaseImportResult(ImportResult):
    """What a case-log import did: created, already imported, open, overdue and counts by type."""

    already_imported: int = 0
    open: int = 0
    overdue: int = 0
    by_type: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        types = ", ".join(f"{TYPE_SHORT[code]} {count}" for code, count in sorted(self.by_type.items()))
        return (
            f"{self.created} created, {self.already_imported} already imported; {self.open} open "
            f"({self.overdue} overdue for a first response)" + (f"; by type: {types}" if types else "")
        )


@dataclass
class _Planned:
    """One checked row: the unsaved case and what goes on it."""

    case: Case
    home: Property | None
    parties: list[Party]
    notes: str


@dataclass
class _Lookups:
    """Everything a row refers to, loaded once for the file."""

    existing: set[str]
    homes: dict[str, Property]
    users: dict[str, User]
    teams: dict[str, Team]
    calendar: WorkingCalendar
    may_work: dict[int, bool] = field(default_factory=dict)
    may_da: dict[int, bool] = field(default_factory=dict)

    def officer_problem(self, officer: User, case_type: str) -> str:
        if officer.pk not in self.may_work:
            self.may_work[officer.pk] = officer.has_perm(WORK_CASE)
            self.may_da[officer.pk] = officer.has_perm(VIEW_DA)
        if not self.may_work[officer.pk]:
            return f"{officer.username} cannot work cases"
        if case_type == CaseType.DA and not self.may_da[officer.pk]:
            return f"{officer.username} is not DA-trained: domestic abuse cases go to DA specialists"
        return ""


def cases_import(
    *,
    rows: Sequence[ImportRow],
    actor: User | None,
    dry_run: bool = False,
    source: str = "",
    progress: ProgressCallback | None = None,
) -> CaseImportResult:
    """Check every row, then create every case not already imported in one transaction (or, if any row is invalid,
    none); raises ImportRejectedError with the problems by row and column."""
    if actor is not None:
        require(actor, ADD_CASE)
        require(actor, ASSIGN_CASE)
    if not rows:
        raise ImportFileError("There are no rows to import.")
    check_required(COLUMNS, rows[0].values.keys(), columns_hint=f"saferhomes import {KIND} --columns")
    problems: list[RowProblem] = []
    duplicates(rows, problems)
    lookups = _lookups(rows)
    now = timezone.now()
    planned: list[_Planned] = []
    already = 0
    for done, row in enumerate(rows, start=1):
        cells = Cells(row, problems)
        reference = cells.text("reference", required=True, max_length=LEGACY_REFERENCE_MAX)
        if reference in lookups.existing:  # imported before: skipped unchecked, so a re-run never fails on old rows
            already += 1
        elif (item := _plan_row(cells, lookups, now=now, reference=reference)) is not None:
            planned.append(item)
        tick(progress, "Checking rows", done, len(rows))
    if problems:
        raise ImportRejectedError(sorted(problems, key=lambda p: p.row))
    open_cases = [p.case for p in planned if p.case.status != Status.CLOSED]
    result = CaseImportResult(
        kind=KIND,
        rows=len(rows),
        created=len(planned),
        unchanged=already,
        dry_run=dry_run,
        already_imported=already,
        open=len(open_cases),
        overdue=sum(1 for c in open_cases if c.response_due_at is not None and c.response_due_at < now),
        by_type=dict(Counter(p.case.case_type for p in planned)),
    )
    if not dry_run and planned:
        try:
            _write(planned, actor=actor, source=source, progress=progress)
        except IntegrityError:  # another import of the same log got there first: nothing of this one was written
            raise DomainError(
                "Some of these cases were imported by another import running at the same time; nothing was imported. "
                "Run the import again: the cases already imported will be skipped."
            ) from None
    return result


def _lookups(rows: Sequence[ImportRow]) -> _Lookups:
    references = [cell_text(r.values.get("reference")) for r in rows]
    imported = Case.objects.exclude(legacy_reference="").only("legacy_reference")
    existing = set(by_key(imported, "legacy_reference", references))
    homes = by_key(
        Property.objects.only("id", "reference", "estate_id"),
        "reference",
        (cell_text(r.values.get("property_reference")) for r in rows),
    )
    wanted = {cell_text(r.values.get("officer")) for r in rows} - {""}
    users: dict[str, User] = {}
    if wanted:
        emails = [w.lower() for w in wanted if "@" in w]
        active = User.objects.filter(is_active=True).select_related("team").annotate(email_key=Lower("email"))
        for user in active.filter(Q(username__in=wanted) | Q(email_key__in=emails)):
            users[user.username] = user
            if user.email:  # emails match whatever their case
                users.setdefault(user.email.lower(), user)
    teams = {team.name.lower(): team for team in Team.objects.all()}
    return _Lookups(existing=existing, homes=homes, users=users, teams=teams, calendar=calendar_current())


def _plan_row(cells: Cells, lookups: _Lookups, *, now: dt.datetime, reference: str) -> _Planned | None:
    case_type = _case_type(cells)
    status = _status(cells)
    received = _received(cells, now=now)
    summary = cells.text("summary", required=True, max_length=SUMMARY_MAX)
    description = cells.text("description", max_length=TEXT_MAX)
    notes = cells.text("notes", max_length=TEXT_MAX)
    category = cells.choice("category", Category) if cells.has("category") else ""
    sub_types = _choice_list(cells, "sub_types", SubType, "one of the sub-types (see --columns)")
    strands = _choice_list(cells, "hate_strands", HateStrand, "a hate strand")
    if case_type == CaseType.HATE and not strands and not cells.text("hate_strands"):
        cells.error("hate_strands", "a hate case needs at least one hate strand")
    elif case_type and case_type != CaseType.HATE and strands:
        cells.error("hate_strands", "only hate cases have hate strands")
    priority = cells.choice("priority", Priority) or Priority.NORMAL
    urgent = cells.yes_no("urgent", default=False)
    home, location = _place(cells, lookups)
    closed_at, outcome = _closure(cells, status=status, received=received, now=now)
    officer, team = _assignment(cells, lookups, case_type=case_type, status=status)
    parties = _parties(cells)
    if not cells.ok:
        return None
    assert received is not None
    closed = status == Status.CLOSED
    case = Case(
        legacy_reference=reference,
        case_type=case_type,
        category=category,
        sub_types=sub_types,
        hate_strands=strands if case_type == CaseType.HATE else [],
        summary=summary,
        description=description,
        status=status,
        stage=Stage.INVESTIGATING if status == Status.OPEN else "",
        priority=priority,
        sensitivity=Sensitivity.DA if case_type == CaseType.DA else Sensitivity.NORMAL,
        urgent=urgent,
        urgent_reason="Marked urgent in the imported case log" if urgent else "",
        assigned_officer=officer,
        team=team,
        estate_id=home.estate_id if home is not None else None,
        location_text=location,
        received_at=received,
        # Exactly the deadline a new case received then gets: `case_response_due`'s own rule and calendar, the
        # calendar read once for the file rather than once a row.
        response_due_at=None if closed else response_deadline(received, urgent=urgent, calendar=lookups.calendar),
        triaged_at=received if status != Status.NEW else None,
        closed_at=closed_at,
        outcome=outcome,
    )
    return _Planned(case=case, home=home, parties=parties, notes=notes)


def _case_type(cells: Cells) -> str:
    value = cells.text("case_type", required=True)
    if not value:
        return ""
    found = choice_lookup(CaseType, TYPE_SYNONYMS).get(rules.choice_key(value))
    if found is None:
        cells.error("case_type", f"'{value}' is not one of: ASB, hate, DA")
        return ""
    return found


def _status(cells: Cells) -> str:
    value = cells.text("status", required=True)
    if not value:
        return ""
    found = STATUS_LOOKUP.get(rules.choice_key(value))
    if found is None:
        cells.error("status", f"'{value}' is not open, new or closed")
        return ""
    return found


def _choice_list(cells: Cells, column: str, choices: Any, what: str) -> list[str]:
    chosen: list[str] = []
    lookup = choice_lookup(choices, ())
    for item in _split(cells.text(column)):
        code = lookup.get(rules.choice_key(item))
        if code is None:
            cells.error(column, f"'{item}' is not {what}")
        elif code not in chosen:
            chosen.append(code)
    return chosen


def cell_datetime(value: object) -> dt.datetime:
    """A received time from a cell: an Excel date or date-time, '31/03/2024 17:30', '2024-03-31T17:30' or a date
    alone (or at midnight, as Excel gives a date cell: 09:00), in UK time; ValueError saying why not."""
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        moment = value
    elif isinstance(value, dt.datetime):  # an Excel date cell comes as midnight: a date alone
        moment = dt.datetime.combine(value.date(), DEFAULT_RECEIVED_TIME)
    elif isinstance(value, dt.date) or (isinstance(value, int | float) and not isinstance(value, bool)):
        from saferhomes.housing.importers.cells import cell_date

        if isinstance(value, float) and not value.is_integer():  # an Excel serial with a time of day
            from openpyxl.utils.datetime import from_excel

            converted = from_excel(value)
            if isinstance(converted, dt.datetime) and 1900 < converted.year < 2200:
                return timezone.make_aware(converted.replace(second=0, microsecond=0), UK)
        moment = dt.datetime.combine(cell_date(value), DEFAULT_RECEIVED_TIME)
    else:
        text = cell_text(value)
        match = _DATETIME.match(text)
        if match is None:
            moment = dt.datetime.combine(rules.parse_date(text), DEFAULT_RECEIVED_TIME)
        else:
            day = rules.parse_date(match["date"])
            hour, minute = int(match["hour"]), int(match["minute"])
            if hour > 23 or minute > 59:
                raise ValueError(f"'{text}' is not a real time")
            moment = dt.datetime.combine(day, dt.time(hour, minute))
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, UK)


def _received(cells: Cells, *, now: dt.datetime) -> dt.datetime | None:
    value = cells.raw("received")
    if is_blank(value):
        cells.error("received", "is required")
        return None
    try:
        received = cell_datetime(value)
    except ValueError as exc:
        cells.error("received", str(exc))
        return None
    if received > now:
        cells.error("received", f"{timezone.localtime(received):%d/%m/%Y %H:%M} is in the future")
        return None
    return received


def _place(cells: Cells, lookups: _Lookups) -> tuple[Property | None, str]:
    reference = cells.text("property_reference")
    location = cells.text("address", max_length=LOCATION_MAX)
    home = None
    if reference:
        home = lookups.homes.get(reference)
        if home is None:
            cells.error("property_reference", f"there is no property '{reference}' in the housing register")
    elif not location:
        cells.error("property_reference", "give the home's property reference or an address")
    return home, location


def _closure(
    cells: Cells, *, status: str, received: dt.datetime | None, now: dt.datetime
) -> tuple[dt.datetime | None, str]:
    closed_on = cells.date("closed")
    outcome = cells.choice("outcome", Outcome, synonyms=dict(OUTCOME_SYNONYMS)) if cells.has("outcome") else ""
    if status != Status.CLOSED:
        if closed_on is not None:
            cells.error("closed", "only a closed case has a closed date")
        if outcome:
            cells.error("outcome", "only a closed case has an outcome")
        return None, ""
    if closed_on is None and not cells.text("closed"):
        cells.error("closed", "a closed case needs the date it was closed")
    if not outcome and not cells.text("outcome"):
        cells.error("outcome", "a closed case needs its outcome")
    if closed_on is None:
        return None, outcome
    closed_at = timezone.make_aware(dt.datetime.combine(closed_on, dt.time(17, 0)), UK)
    if received is not None and closed_on < timezone.localtime(received).date():
        cells.error("closed", f"{closed_on:%d/%m/%Y} is before the case was received")
    elif closed_on > timezone.localtime(now).date():
        cells.error("closed", f"{closed_on:%d/%m/%Y} is in the future")
    return min(max(closed_at, received or closed_at), now), outcome


def _assignment(cells: Cells, lookups: _Lookups, *, case_type: str, status: str) -> tuple[User | None, Team | None]:
    name = cells.text("officer")
    officer = None
    if name:
        officer = lookups.users.get(name) or lookups.users.get(name.lower())
        if officer is None:
            cells.error("officer", f"there is no active member of staff with the username or email '{name}'")
        elif problem := lookups.officer_problem(officer, case_type):
            cells.error("officer", problem)
    elif status and status != Status.CLOSED:
        cells.error("officer", "an open case needs the officer working it")
    team_name = cells.text("team")
    team = officer.team if officer is not None else None
    if team_name:
        team = lookups.teams.get(team_name.lower())
        if team is None:
            cells.error("team", f"there is no team called '{team_name}'")
    return officer, team


def _person(cells: Cells, column: str, role: str, full_name: str) -> Party | None:
    if not full_name:
        return None
    first, _, last = full_name.rpartition(" ")
    if not first:
        first, last = "", full_name
    if len(first) > NAME_MAX or len(last) > NAME_MAX:
        cells.error(column, f"'{full_name[:40]}…' is too long for a name")
        return None
    return Party(role=role, first_name=first, last_name=last)


def _parties(cells: Cells) -> list[Party]:
    parties: list[Party] = []
    reporter = _person(cells, "reporter_name", PartyRole.REPORTER, cells.text("reporter_name"))
    phone = cells.text("reporter_phone")
    email = cells.text("reporter_email")
    if phone and not _plausible_phone(phone):
        cells.error("reporter_phone", f"'{phone}' is not a phone number")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            cells.error("reporter_email", f"'{email}' is not an email address")
    if reporter is None and (phone or email):
        cells.error("reporter_name", "give the reporter's name with their phone or email")
    if reporter is not None:
        reporter.phone, reporter.email = phone, email
        parties.append(reporter)
    victim = _person(cells, "victim_name", PartyRole.VICTIM, cells.text("victim_name"))
    if victim is not None:
        parties.append(victim)
    for name in _split(cells.text("alleged_perpetrators")):
        perpetrator = _person(cells, "alleged_perpetrators", PartyRole.ALLEGED_PERPETRATOR, name)
        if perpetrator is not None:
            parties.append(perpetrator)
    return parties


def _split(text: str) -> list[str]:
    """Items of a ';'-separated cell (not ',': sub-type labels and names may hold commas)."""
    return [item.strip() for item in text.split(";") if item.strip()]


def _plausible_phone(number: str) -> bool:
    digits = sum(ch.isdigit() for ch in number)
    return set(number) <= set("0123456789 +()-.") and 7 <= digits <= 15


def _write(planned: list[_Planned], *, actor: User | None, source: str, progress: ProgressCallback | None) -> None:
    """Create the planned cases with their homes, parties and notes; one audit event per case."""
    through = Case.properties.through
    with transaction.atomic():
        for done, item in enumerate(planned, start=1):
            item.case.reference = reference_allocate(case_type=item.case.case_type, received_at=item.case.received_at)
            item.case.created_by = actor
            tick(progress, "Numbering cases", done, len(planned))
        cases = Case.objects.bulk_create([item.case for item in planned], batch_size=500)
        links, parties, notes = [], [], []
        for item, case in zip(planned, cases, strict=True):
            if item.home is not None:
                links.append(through(case_id=case.pk, property_id=item.home.pk))
            for party in item.parties:
                party.case = case
                parties.append(party)
            if item.notes:
                notes.append(Note(case=case, text=item.notes, created_by=actor))
        through.objects.bulk_create(links, batch_size=500)
        Party.objects.bulk_create(parties, batch_size=500)
        Note.objects.bulk_create(notes, batch_size=500)
        for listener in CASES_IMPORTED:
            listener(cases=cases, actor=actor, source=source)
        refresh_search_documents(case_ids=[case.pk for case in cases])
        origin = f" from {source}" if source else ""
        for done, case in enumerate(cases, start=1):
            audit(
                actor=actor,
                verb=AuditVerb.CASE_IMPORTED,
                obj=case,
                after={**snapshot(case, CASE_FIELDS), "legacy_reference": case.legacy_reference, "source": source},
                reason=f"Imported{origin}: original reference {case.legacy_reference}",
            )
            tick(progress, "Writing", done, len(cases))


CasesImported = Callable[..., None]
"""Called as `listener(cases=[...], actor=..., source=...)` inside the importing transaction, after the cases, their
homes and parties are written."""

CASES_IMPORTED: list[CasesImported] = []


def on_cases_imported(listener: CasesImported) -> None:
    """Add a listener told of every imported case (idempotent): intake records each one's first report as received
    through `Channel.IMPORT` (`intake/case_import.py`)."""
    if listener not in CASES_IMPORTED:
        CASES_IMPORTED.append(listener)


def register() -> None:
    """Add `cases` to `saferhomes import` (called once from CasesConfig.ready)."""
    import_kind_register(ImportKind(name=KIND, columns=COLUMNS, run=cases_import))
