"""Cursor pagination for API lists (issue 21 part 1): an opaque, signed position instead of page numbers and an
exact count, so the thousandth page costs what the first does.

A page is the rows after the cursor's row in a total order (the list's sort, then the id), read with a condition
an index can start from — `received_at <= r AND (received_at < r OR id < i)` for newest first — and `LIMIT
size + 1` (the extra row says whether there is a next page). Counting every match, and OFFSET, read every row before
the page; at 1,000,000 cases that was most of the request (bench/README.md, "The cases API").

The cursor is signed (django.core.signing, its own salt), so a client cannot forge a position, and it names the sort
and a digest of the filters it was made for: sent with other filters or another sort it is refused (422 on
`cursor`) rather than answering with rows from somewhere else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import F, Model, Q, QuerySet

from saferhomes.core.errors import DomainError

SALT = "saferhomes.api.cursor"
CURSOR_MAX_LENGTH = 300
BAD_CURSOR = "This cursor was not given out by this list: start again without it, and follow next_cursor"
M = TypeVar("M", bound=Model)
OTHER_QUERY = "This cursor belongs to a list with other filters or another sort: send the same ones, or start again"


@dataclass(frozen=True)
class Order:
    """A total order over a model's rows: one column (`field`), ascending or descending, then the primary key in the
    same direction. A nullable column's NULLs come last (`nulls_last`), as `Sort.ORDERING` has them."""

    field: str
    descending: bool
    nullable: bool = False

    def order_by(self) -> tuple[Any, ...]:
        """ORDER BY for this order. A column that cannot be NULL is ordered plainly, so PostgreSQL reads it from an
        index in that order (DESC NULLS LAST would not match the `-received_at` index)."""
        tie = "-id" if self.descending else "id"
        if not self.nullable:
            return (f"-{self.field}" if self.descending else self.field, tie)
        column = F(self.field)
        return (column.desc(nulls_last=True) if self.descending else column.asc(nulls_last=True), tie)

    def after(self, value: dt.datetime, pk: int) -> Q:
        """Rows after (value, pk) whose column is not NULL, as `column >= value AND (column > value OR id > pk)`
        (for ascending): the first part is a range an index on the column starts from, the second drops the few rows
        of the same value up to the cursor's. NULLs are never in it (`nulls_after`)."""
        if self.descending:
            return Q(**{f"{self.field}__lte": value}) & (Q(**{f"{self.field}__lt": value}) | Q(id__lt=pk))
        return Q(**{f"{self.field}__gte": value}) & (Q(**{f"{self.field}__gt": value}) | Q(id__gt=pk))

    def nulls_after(self, pk: int | None) -> Q:
        """The rows whose column is NULL (they come last) after the one with id `pk` (all of them for None)."""
        nulls = Q(**{f"{self.field}__isnull": True})
        if pk is None:
            return nulls
        return nulls & Q(id__lt=pk) if self.descending else nulls & Q(id__gt=pk)


def query_digest(filters: dict[str, Any]) -> str:
    """A short digest of a list's filters (without the cursor and page size), to tie a cursor to them."""
    text = json.dumps(filters, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(*, sort: str, digest: str, value: dt.datetime | None, pk: int) -> str:
    """The opaque cursor for the row (value, pk) of a list with this sort and these filters."""
    return signing.dumps([sort, digest, value.isoformat() if value is not None else None, pk], salt=SALT)


def decode(cursor: str, *, sort: str, digest: str) -> tuple[dt.datetime | None, int]:
    """(value, pk) of a cursor given out for this sort and these filters; DomainError (422 on `cursor`) otherwise."""
    try:
        data = signing.loads(cursor, salt=SALT)
        made_for_sort, made_for, raw, pk = data
        value = dt.datetime.fromisoformat(raw) if raw is not None else None
    except (signing.BadSignature, ValueError, TypeError):
        raise DomainError(field_errors={"cursor": BAD_CURSOR}) from None
    if not isinstance(pk, int) or (made_for_sort, made_for) != (sort, digest):
        raise DomainError(field_errors={"cursor": OTHER_QUERY if isinstance(pk, int) else BAD_CURSOR})
    return value, pk


@dataclass(frozen=True)
class Page(Generic[M]):
    """One page of rows and the cursor of the next page (None on the last)."""

    rows: Sequence[M]
    next_cursor: str | None


def page_after(queryset: QuerySet[M], *, order: Order, sort: str, digest: str, cursor: str, size: int) -> Page[M]:
    """The `size` rows of `queryset` after `cursor` (from the start when it is empty) in `order`.

    For a nullable column the rows with a value and the NULLs after them are read apart (at most two queries, the
    second only on the page where the values run out): one OR across both would stop the index range scan, and a
    deep page would read every row before it."""
    ordered = queryset.order_by(*order.order_by())
    if not cursor:
        rows = list(ordered[: size + 1])
    else:
        value, pk = decode(cursor, sort=sort, digest=digest)
        rows = list(ordered.filter(order.after(value, pk))[: size + 1]) if value is not None else []
        if order.nullable and len(rows) <= size:
            tie = "-id" if order.descending else "id"
            nulls = queryset.filter(order.nulls_after(pk if value is None else None)).order_by(tie)
            rows += list(nulls[: size + 1 - len(rows)])
    if len(rows) <= size:
        return Page(rows=rows, next_cursor=None)
    last = rows[size - 1]
    return Page(
        rows=rows[:size],
        next_cursor=encode(sort=sort, digest=digest, value=getattr(last, order.field), pk=last.pk),
    )
