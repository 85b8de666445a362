"""Case references: `ASB-2026-000123` — prefix per case type, the year received (Europe/London), a gap-free number.

Numbers come from `ReferenceCounter`, one row per prefix and year, incremented under a row lock inside the
transaction that creates the case: if that transaction rolls back, so does the number, so there are no gaps; two
transactions cannot take the same number because the second waits for the first's lock (`select_for_update` on
PostgreSQL; on SQLite the IMMEDIATE transaction mode in settings makes every write transaction take the database
write lock when it begins, which serialises them).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from saferhomes.cases.models import REFERENCE_PREFIX, ReferenceCounter

REFERENCE_DIGITS = 6
REFERENCE_RE = re.compile(r"^(?P<prefix>[A-Z]+)-(?P<year>\d{4})-(?P<number>\d{6,})$")


def reference_year(received_at: dt.datetime) -> int:
    """The year a case is numbered in: the year it was received, in Europe/London."""
    return timezone.localtime(received_at).year


def format_reference(prefix: str, year: int, number: int) -> str:
    """'ASB', 2026, 123 -> 'ASB-2026-000123' (numbers past 999999 simply grow wider)."""
    return f"{prefix}-{year}-{number:0{REFERENCE_DIGITS}d}"


def looks_like_reference(text: str) -> bool:
    """Whether the text is shaped like a case reference (any case, surrounding spaces ignored)."""
    return bool(REFERENCE_RE.match(text.strip().upper()))


def reference_allocate(*, case_type: str, received_at: dt.datetime, using: str = DEFAULT_DB_ALIAS) -> str:
    """The next reference for a case of this type received then; call inside the case-creating transaction."""
    return reference_next(prefix=REFERENCE_PREFIX[case_type], received_at=received_at, using=using)


def reference_next(*, prefix: str, received_at: dt.datetime, using: str = DEFAULT_DB_ALIAS) -> str:
    """The next gap-free reference with `prefix` for the year of `received_at` (cases, and reports as RPT-...);
    call inside the transaction that creates the record."""
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("Allocate references inside the transaction that creates the record.")
    year = reference_year(received_at)
    counters = ReferenceCounter.objects.using(using)
    counter = _locked_counter(prefix, year, using)
    counters.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(using=using, fields=["last_number"])
    return format_reference(prefix, year, counter.last_number)


def _locked_counter(prefix: str, year: int, using: str) -> ReferenceCounter:
    """The counter row for prefix and year, created if need be, locked until the transaction ends."""
    counters = ReferenceCounter.objects.using(using)
    counter = counters.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic(using=using):  # a savepoint: losing the race to create the row is not fatal
            counters.create(prefix=prefix, year=year, last_number=0)
    except IntegrityError:
        pass
    return counters.select_for_update().get(prefix=prefix, year=year)
