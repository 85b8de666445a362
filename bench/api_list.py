"""`GET /api/v1/cases` by cursor (issue 21 part 1), timed beside its floor: the API's own operation
(`api.routers.cases.cases_list`: the staff list's FilterSet, the keyset page, the response shapes, rendered as JSON)
at the first page and deep into the list, and, for comparison, the exact count and OFFSET the API used before.

Each floor is one hand-written keyset query for the same rows: visibility and filters written out,
`(received_at, id) < (%s, %s)` (a row-value comparison an index scan starts from), `ORDER BY received_at DESC, id
DESC LIMIT n`. A deep position is the cursor of the row that many rows into the list, made once before timing with
the application's own encoder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from bench.harness import Operation
from saferhomes.accounts.models import User
from saferhomes.api import cursor
from saferhomes.api.routers.case_shapes import PAGE_SIZE, CaseFilterIn
from saferhomes.api.routers.cases import LIST_ORDERS, cases_list, list_digest, list_queryset
from saferhomes.cases.models import CaseType, Status

# How far into a list the deep pages are (or half-way on a small service): a housing management system copying
# every case walks all of it, 100 rows a request.
DEEP_ALL = 500_000
DEEP_CLOSED_ASB = 200_000
# Where the list offered by the API before stopped being cheap: page 80 of 25.
BEFORE_OFFSET = 2_000

Visibility = Callable[[User], tuple[str, list[Any]]]
Position = tuple[dt.datetime, int]
_COLUMNS = "c.reference, c.summary, c.case_type, c.status, c.priority, c.received_at, c.response_due_at, c.version"
_FROM = (
    "FROM cases_case c LEFT JOIN accounts_user u ON u.id = c.assigned_officer_id "
    "LEFT JOIN accounts_team t ON t.id = c.team_id LEFT JOIN housing_estate e ON e.id = c.estate_id"
)


def api_page(actor: User, params: dict[str, Any]) -> list[str]:
    """One page through the API's operation function, its answer rendered as JSON; the references in it."""
    request = RequestFactory().get("/api/v1/cases", params)
    request.user = actor
    out = cases_list(request, HttpResponse(), CaseFilterIn(**params))
    out.model_dump_json()
    return [row.reference for row in out.results]


def counted_page(actor: User, params: dict[str, Any]) -> list[str]:
    """The API before issue 21: the same FilterSet, an exact count of every match, then OFFSET to the page."""
    queryset = list_queryset(actor, CaseFilterIn.model_validate({}))
    queryset.count()
    start = int(params["offset"])
    return [case.reference for case in queryset[start : start + PAGE_SIZE]]


def floor_page(
    actor: User, visibility: Visibility, filters: dict[str, Any], after: Position | None, size: int = PAGE_SIZE
) -> list[str]:
    if filters.get("sort") == "response_due":
        return _due_floor_page(actor, visibility, after, size)
    """The same page as one hand-written keyset query (officer, status and type filters only)."""
    visible, params = visibility(actor)
    where = [visible]
    if filters.get("officer_id"):
        where.append("c.assigned_officer_id = %s")
        params.append(filters["officer_id"])
    if filters.get("case_type"):
        where.append("c.case_type = %s")
        params.append(str(filters["case_type"]))
    if filters.get("status"):
        where.append(f"c.status IN ({', '.join(['%s'] * len(filters['status']))})")
        params += [str(status) for status in filters["status"]]
    if after is not None:
        where.append("(c.received_at, c.id) < (%s, %s)")
        params += [connection.ops.adapt_datetimefield_value(after[0]), after[1]]
    sql = f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(where)} ORDER BY c.received_at DESC, c.id DESC LIMIT %s"
    with connection.cursor() as db:
        db.execute(sql, [*params, size + 1])
        return [row[0] for row in db.fetchall()][:size]


def _due_floor_page(actor: User, visibility: Visibility, after: Position | None, size: int) -> list[str]:
    """Soonest response deadline first (every bench case has one), as one keyset query."""
    visible, params = visibility(actor)
    where = [visible]
    if after is not None:
        due = connection.ops.adapt_datetimefield_value(after[0])
        where.append("c.response_due_at >= %s AND (c.response_due_at > %s OR c.id > %s)")
        params += [due, due, after[1]]
    sql = f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(where)} ORDER BY c.response_due_at, c.id LIMIT %s"
    with connection.cursor() as db:
        db.execute(sql, [*params, size + 1])
        return [row[0] for row in db.fetchall()][:size]


def position(actor: User, query: dict[str, Any], rows_in: int) -> tuple[Position | None, int]:
    """(sort column, id) of the row `rows_in` rows into the list, or half-way on a small service, and how many rows
    come before the next one (the OFFSET of the same page); untimed."""
    sort = str(query.get("sort") or "newest")
    order = LIST_ORDERS[sort]
    queryset = list_queryset(actor, CaseFilterIn(**query)).order_by(*order.order_by())
    rows_in = min(rows_in, queryset.count() // 2)
    if rows_in < 1:
        return None, 0
    value, pk = queryset.values_list(order.field, "id")[rows_in - 1]
    return (value, pk), rows_in


def api_list_operations(
    *, coordinator: User, officer: User, officer_id: int | None, visibility: Visibility
) -> list[Operation]:
    """The API list's operations, each with its floor (`visibility`: the bench's hand-written visibility SQL)."""
    operations: list[Operation] = []

    def add(
        name: str, description: str, actor: User, query: dict[str, Any], floor: dict[str, Any], deep: int = 0
    ) -> None:
        after, _offset = position(actor, query, deep) if deep else (None, 0)
        params = dict(query)
        if after is not None:
            digest = list_digest(CaseFilterIn(**query))
            sort = str(query.get("sort") or "newest")
            params["cursor"] = cursor.encode(sort=sort, digest=digest, value=after[0], pk=after[1])

        def app(p: dict[str, Any]) -> list[str]:
            return api_page(actor, p)

        def floor_of(_p: dict[str, Any]) -> list[str]:
            return floor_page(actor, visibility, floor, after)

        operations.append(Operation(name, description, app, floor_of, [params]))

    closed_asb = {"status": [Status.CLOSED], "case_type": CaseType.ASB}
    add("api list: all cases p1", "Coordinator: GET /api/v1/cases, the first page", coordinator, {}, {})
    add("api list: all cases, deep", f"The same, by cursor {DEEP_ALL:,} rows in", coordinator, {}, {}, DEEP_ALL)
    add("api list: status+type p1", "Coordinator: closed ASB cases (most cases)", coordinator, closed_asb, closed_asb)
    add(
        "api list: status+type, deep",
        f"The same, by cursor {DEEP_CLOSED_ASB:,} rows in",
        coordinator,
        closed_asb,
        closed_asb,
        DEEP_CLOSED_ASB,
    )
    if officer_id is not None:
        username = User.objects.get(pk=officer_id).get_username()
        mine = {"status": [Status.OPEN], "case_type": CaseType.ASB}
        add(
            "api list: officer+status+type p1",
            "Coordinator: one officer's open ASB cases",
            coordinator,
            {"officer": username, **mine},
            {"officer_id": officer_id, **mine},
        )
    due = {"sort": "response_due"}
    add(
        "api list: response due, deep", f"Soonest deadline first, {DEEP_ALL:,} rows in", coordinator, due, due, DEEP_ALL
    )
    own = {"status": [Status.OPEN, Status.TRIAGED]}
    add("api list: officer's own", "An officer: their open and triaged cases", officer, own, own)
    after, offset = position(coordinator, {}, BEFORE_OFFSET)
    if after is not None:
        operations.append(
            Operation(
                f"api list before: count + OFFSET {offset:,}",
                "What GET /api/v1/cases did before issue 21: count every visible case, then OFFSET to the page",
                lambda p: counted_page(coordinator, p),
                lambda _p: floor_page(coordinator, visibility, {}, after),
                [{"offset": offset}],
            )
        )
    return operations
