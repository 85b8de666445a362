"""`saferhomes bench`: generate a synthetic service of N cases (or reuse one), then time the case list, case detail
and search through the application's own selectors, each beside its floor: the same rows from one raw SQL query.

The database is the configured one unless `database_url` is given. The bench only ever writes to a database that
is empty or that it made itself (it records what it made in a `bench_meta` table); a database holding homes or
cases it did not make is refused, never wiped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory

from bench.api_list import api_list_operations  # issue 21 part 1
from bench.generate import GenerateResult, Scale, generate, verify
from bench.harness import TARGET_P95_MS, TARGET_RATIO, Operation, Result, measure
from bench.throwaway import git_commit
from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.extensions import bench_timings
from saferhomes.cases.filters import CaseFilter, officers_for_filter
from saferhomes.cases.models import Case, CaseType, Sensitivity, Status
from saferhomes.cases.references import looks_like_reference
from saferhomes.cases.search import search_words
from saferhomes.cases.selectors import case as selectors
from saferhomes.cases.views.cases import (
    LIST_COUNT_LIMIT,
    LIST_PAGE_SIZE,
    case_detail,
    case_list,
    dashboard,
    list_count_limit,
)
from saferhomes.core.calendar_config import case_response_explanation, case_response_status
from saferhomes.core.pagination import paginate

META_TABLE = "bench_meta"
ProgressCallback = Callable[[str, int, int], None]


class BenchError(Exception):
    """The bench cannot run here (e.g. the database holds data it did not make)."""


@dataclass
class BenchOptions:
    """What to run: scale, seed, database, iterations, whether to keep existing generated data."""

    cases: int = 10_000
    seed: int = 1
    reuse: bool = False
    iterations: int = 30
    database_url: str | None = None
    json_path: Path | None = None


# ---------------------------------------------------------------------------------------------------------------
# The database


def _sqlite_options() -> dict[str, Any]:
    # The same as config/settings.py gives a SQLite default database.
    return {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def use_database(url: str) -> None:
    """Point the default connection at `url` for the rest of this process (creating a PostgreSQL database)."""
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = _sqlite_options()
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    elif config["ENGINE"] == "django.db.backends.postgresql":
        _ensure_postgres_database(config)
    connections.close_all()
    connections.settings["default"] = connections.configure_settings({"default": config})["default"]
    with contextlib.suppress(AttributeError):
        del connections["default"]


def _ensure_postgres_database(config: Any) -> None:
    import psycopg
    from psycopg import sql

    params = {"dbname": "postgres", "user": config.get("USER"), "password": config.get("PASSWORD")}
    params |= {"host": config.get("HOST"), "port": config.get("PORT")}
    conninfo = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items() if v})
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def database_label() -> str:
    """Vendor, version and name of the database in use (no credentials)."""
    name = str(settings.DATABASES["default"]["NAME"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version} ({name})"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} ({Path(name).name})"


def _meta_read() -> dict[str, Any] | None:
    if META_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE name = 'generated'")  # noqa: S608
        row = cursor.fetchone()
    return json.loads(row[0]) if row else {}


def _meta_write(meta: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (name varchar(50) PRIMARY KEY, value text NOT NULL)")
        cursor.execute(f"DELETE FROM {META_TABLE} WHERE name = 'generated'")  # noqa: S608
        cursor.execute(f"INSERT INTO {META_TABLE} (name, value) VALUES ('generated', %s)", [json.dumps(meta)])  # noqa: S608


def _holds_foreign_data() -> bool:
    """Whether the database has homes or cases but no record of the bench making them."""
    tables = connection.introspection.table_names()
    if META_TABLE in tables:
        return False
    with connection.cursor() as cursor:
        for table in ("cases_case", "housing_property"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    return True
    return False


def _wipe() -> None:
    """Empty a bench database: delete the SQLite file, or TRUNCATE every table on PostgreSQL; then migrate."""
    if connection.vendor == "sqlite":
        name = Path(str(settings.DATABASES["default"]["NAME"]))
        if name.exists():  # a file database (the test database lives in memory and is never wiped here)
            connections.close_all()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)
            call_command("migrate", verbosity=0, interactive=False)
            return
    call_command("flush", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {META_TABLE}")


def prepare_data(*, cases: int, seed: int, reuse: bool, progress: ProgressCallback | None = None) -> dict[str, Any]:
    """Make sure the database holds the bench's service of `cases` cases: reuse it, or (re)generate it."""
    if _holds_foreign_data():
        raise BenchError(
            "This database holds homes or cases that the bench did not make, and the bench never wipes those. "
            "Give it a database of its own, e.g. --database-url postgres://postgres@127.0.0.1:5432/saferhomes_bench "
            "or --database-url sqlite:///var/bench/bench.sqlite3."
        )
    call_command("migrate", verbosity=0, interactive=False)
    meta = _meta_read()
    wanted = {"cases": cases, "seed": seed}
    if reuse and meta and {k: meta.get(k) for k in wanted} == wanted and meta.get("complete"):
        return {**meta, "reused": True}
    if meta is not None or Case.objects.exists():
        _wipe()
    result: GenerateResult = generate(cases=cases, seed=seed, progress=progress)
    problems = {k: v for k, v in verify().items() if v}
    if problems:
        raise BenchError(f"The generated data is inconsistent (rows pointing nowhere): {problems}")
    meta = {
        **wanted,
        "complete": True,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "generate_seconds": round(result.seconds, 1),
        "phases": result.phases,
        "counts": result.counts,
    }
    _meta_write(meta)
    return {**meta, "reused": False}


# ---------------------------------------------------------------------------------------------------------------
# Operations: the application's path and its floor


def _q(value: str) -> str:
    return connection.ops.quote_name(value)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


@dataclass
class Actors:
    """Who the bench acts as: a coordinator (sees every normal case) and an officer (their own and their team's)."""

    coordinator: User
    officer: User


def _actors() -> Actors:
    coordinator = User.objects.filter(role=Role.COORDINATOR, username__startswith="bench").order_by("id").first()
    officer = (
        User.objects.filter(role=Role.OFFICER, username__startswith="bench", assigned_cases__isnull=False)
        .order_by("id")
        .first()
    )
    if coordinator is None or officer is None:
        raise BenchError("The bench data has no coordinator or officer: regenerate it.")
    for user in (coordinator, officer):
        user.has_perm("cases.view_case")  # load the permission cache once, as a request's first check would
    return Actors(coordinator=coordinator, officer=officer)


def _visibility_sql(actor: User) -> tuple[str, list[Any]]:
    """Who sees what, hand-written (the rules in cases/selectors/case.py): normal cases (all, or own and team's);
    restricted ones assigned to or naming them; DA ones for DA-trained staff (all, or own, team's, naming them);
    and any case under an unexpired break-glass grant."""
    now = dt.datetime.now(dt.UTC)
    named = "c.id IN (SELECT case_id FROM cases_case_restricted_to WHERE user_id = %s)"
    grant = "c.id IN (SELECT case_id FROM cases_accessgrant WHERE user_id = %s AND expires_at > %s)"
    everyone = actor.has_perm("cases.view_all_cases")
    mine = "(c.assigned_officer_id = %s OR c.team_id = %s)"
    clauses = ["c.sensitivity = 'normal'" if everyone else f"(c.sensitivity = 'normal' AND {mine})"]
    params: list[Any] = [] if everyone else [actor.pk, actor.team_id]
    clauses.append(f"(c.sensitivity = 'restricted' AND (c.assigned_officer_id = %s OR {named}))")
    params += [actor.pk, actor.pk]
    if actor.has_perm("cases.view_da_cases"):
        if everyone:
            clauses.append("c.sensitivity = 'da'")
        else:
            clauses.append(f"(c.sensitivity = 'da' AND ({mine} OR {named}))")
            params += [actor.pk, actor.team_id, actor.pk]
    clauses.append(grant)
    params += [actor.pk, now]
    return f"({' OR '.join(clauses)})", params


_LIST_COLUMNS = (
    "c.reference, c.summary, c.case_type, c.status, c.priority, c.received_at, c.response_due_at, "
    "u.first_name, u.last_name, t.name, e.name"
)
_LIST_FROM = (
    "FROM cases_case c LEFT JOIN accounts_user u ON u.id = c.assigned_officer_id "
    "LEFT JOIN accounts_team t ON t.id = c.team_id LEFT JOIN housing_estate e ON e.id = c.estate_id"
)
_ORDER = "ORDER BY c.received_at DESC, c.id DESC"


def _list_app(actor: User, params: dict[str, Any]) -> list[str]:
    """The case list exactly as `cases:list` builds it: CaseFilter over `cases_for_list`, paginated, each row's
    officer, team and estate read (template rendering is not timed)."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [str(value)])
    filters = CaseFilter(query, queryset=selectors.cases_for_list(actor=actor), officers=officers_for_filter())
    cases = filters.qs if filters.is_valid() else Case.objects.none()
    context = paginate(cases, query, per_page=LIST_PAGE_SIZE, count_limit=list_count_limit(query))
    keys = []
    for case in context["page_obj"].object_list:
        _ = (case.assigned_officer, case.team, case.estate, case.get_status_display())
        keys.append(case.reference)
    return keys


def _search_sql(text: str) -> tuple[str, list[Any]]:
    """The condition for cases matching `text`, hand-written: an exact reference, or every word in the document."""
    text = " ".join(text.split())
    if looks_like_reference(text):
        return "c.reference = %s", [text.upper()]
    words = search_words(text)
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    like = "c.search_text LIKE %s ESCAPE '\\'"
    return " AND ".join([like] * len(words)), [f"%{word}%" for word in escaped]


def _list_floor(actor: User, params: dict[str, Any]) -> list[str]:
    visible, sql_params = _visibility_sql(actor)
    where = [visible]
    for name, column in (("officer", "c.assigned_officer_id"), ("case_type", "c.case_type")):
        if params.get(name):
            where.append(f"{column} = %s")
            sql_params.append(params[name])
    if params.get("status"):
        statuses = params["status"] if isinstance(params["status"], list) else [params["status"]]
        where.append(f"c.status IN ({', '.join(['%s'] * len(statuses))})")
        sql_params += statuses
    if params.get("q"):
        condition, search_params = _search_sql(params["q"])
        where.append(condition)
        sql_params += search_params
    page = int(params.get("page", 1))
    sql = f"SELECT {_LIST_COLUMNS} {_LIST_FROM} WHERE {' AND '.join(where)} {_ORDER} LIMIT %s OFFSET %s"
    return [row[0] for row in _rows(sql, [*sql_params, LIST_PAGE_SIZE, (page - 1) * LIST_PAGE_SIZE])]


def _detail_app(actor: User, reference: str) -> list[Any]:
    """What the case overview loads (views/cases.py `case_detail` and the case_base.html layout), untemplated:
    the case through the selector, prompts, links, homes, deadline, grant, and every party for the banner."""
    case = selectors.case_get_for_actor(actor=actor, reference=reference)
    if case.status != Status.CLOSED:
        selectors.case_review_prompt_for(case=case)
    selectors.case_links(case=case, actor=actor)
    list(case.properties.all())
    if case.response_due_at:
        case_response_explanation(case.received_at, urgent=case.urgent)
        case_response_status(due_at=case.response_due_at, responded_at=case.responded_at)
    selectors.active_grant(actor=actor, case=case)
    views = selectors.party_views(case=case)
    return [case.reference, *[view.party.pk for view in views]]


_REFERENCE_IN_PAGE = re.compile(r"\b(?:ASB|HATE|DA)-\d{4}-\d{6,}\b")


def _rendered(view: Callable[..., HttpResponse], actor: User, path: str, params: dict[str, Any], *args: Any) -> str:
    """Run a view as a request reaches it (signed in, session, messages), template rendered; returns the HTML."""
    request = RequestFactory().get(path, params)
    request.user = actor
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    response = view(request, *args)
    if response.status_code != 200:
        raise BenchError(f"{path} answered {response.status_code}")
    return response.content.decode()


def _references_in(html: str) -> list[str]:
    """Case references in the page's results table, in order, each once."""
    table = html[html.find("<table") : html.rfind("</table>")] if "<table" in html else ""
    return list(dict.fromkeys(_REFERENCE_IN_PAGE.findall(table)))


def _list_page(actor: User, params: dict[str, Any]) -> list[str]:
    """The whole list page (filter form, table, pagination), rendered."""
    return _references_in(_rendered(case_list, actor, "/staff/cases/all/", params))


def _detail_page(actor: User, reference: str) -> list[str]:
    """The whole case overview page (layout, banner, tabs), rendered."""
    html = _rendered(case_detail, actor, f"/staff/cases/{reference}/", {}, reference)
    return [reference] if reference in html else []


_STATUS_COUNT = re.compile(r'data-count="status_([a-z]+)">([\d,]+) case')


def _dashboard_page(actor: User, _params: dict[str, Any]) -> list[tuple[str, int]]:
    """The whole dashboard (every count, the panels), rendered; returns its cases-by-status counts."""
    html = _rendered(dashboard, actor, "/staff/cases/", {})
    return [(status, int(count.replace(",", ""))) for status, count in _STATUS_COUNT.findall(html)]


def _dashboard_floor(actor: User, _params: dict[str, Any]) -> list[tuple[str, int]]:
    """The dashboard's cheapest part by hand: the visible cases counted by status, in one grouped query."""
    visible, params = _visibility_sql(actor)
    sql = f"SELECT c.status, COUNT(*) FROM cases_case c WHERE {visible} GROUP BY c.status"  # noqa: S608
    counts = dict(_rows(sql, params))
    return [(status, counts.get(status, 0)) for status in Status.values]


def _detail_floor(actor: User, reference: str) -> list[Any]:
    visible, params = _visibility_sql(actor)
    sql = (
        "SELECT c.reference, p.id, p.role, p.first_name, p.last_name, pe.first_name, pe.last_name, "  # noqa: S608
        "pe.date_of_birth, pe.vulnerabilities, u.first_name, u.last_name, t.name, e.name "
        "FROM cases_case c LEFT JOIN cases_party p ON p.case_id = c.id "
        "LEFT JOIN housing_person pe ON pe.id = p.person_id "
        "LEFT JOIN accounts_user u ON u.id = c.assigned_officer_id LEFT JOIN accounts_team t ON t.id = c.team_id "
        "LEFT JOIN housing_estate e ON e.id = c.estate_id "
        f"WHERE c.reference = %s AND {visible} ORDER BY p.role, p.id"
    )
    rows = _rows(sql, [reference, *params])
    return [rows[0][0], *[row[1] for row in rows if row[1] is not None]] if rows else []


@dataclass
class Samples:
    """Parameters drawn from the generated data (deterministic for a seed)."""

    officer_ids: list[int]
    references: list[str]
    last_names: list[str]
    full_names: list[str]
    streets: list[str]
    postcodes: list[str]
    deep_page: int
    officer_pages: dict[int, int]


def _samples(actors: Actors, seed: int, count: int = 12) -> Samples:
    rng = random.Random(f"bench-samples:{seed}")
    officer_ids = list(
        User.objects.filter(role=Role.OFFICER, username__startswith="bench").order_by("id").values_list("id", flat=True)
    )
    max_case = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randint(1, max_case) for _ in range(count * 3)]
    references = list(
        Case.objects.filter(id__in=ids, sensitivity=Sensitivity.NORMAL).values_list("reference", flat=True)[:count]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM housing_person")
        max_person = cursor.fetchone()[0] or 1
        cursor.execute(
            "SELECT first_name, last_name FROM housing_person WHERE id IN ({})".format(  # noqa: S608
                ", ".join(str(rng.randint(1, max_person)) for _ in range(count))
            )
        )
        people = cursor.fetchall()
        cursor.execute("SELECT MAX(id) FROM housing_property")
        max_home = cursor.fetchone()[0] or 1
        cursor.execute(
            "SELECT address_line_1, address_line_2, postcode FROM housing_property WHERE id IN ({})".format(  # noqa: S608
                ", ".join(str(rng.randint(1, max_home)) for _ in range(count))
            )
        )
        homes = cursor.fetchall()
    streets = [(line_2 or line_1.split(" ", 1)[1]) for line_1, line_2, _ in homes]
    chosen = rng.sample(officer_ids, min(count, len(officer_ids)))
    closed_by_officer = dict(
        selectors.cases_visible_to(actor=actors.coordinator)
        .filter(assigned_officer_id__in=chosen, status=Status.CLOSED, case_type=CaseType.ASB)
        .order_by()
        .values_list("assigned_officer_id")
        .annotate(n=Count("id"))
    )
    # Page 10 of an officer's closed cases, or their last page when they have fewer.
    officer_pages = {o: max(1, min(10, -(-closed_by_officer.get(o, 0) // LIST_PAGE_SIZE))) for o in chosen}
    # "Deep": the last page the list offers (2,000 rows in: page 80), or half-way on a small service.
    closed_asb = Case.objects.filter(status=Status.CLOSED, case_type=CaseType.ASB).count()
    deep_page = max(2, min(LIST_COUNT_LIMIT // LIST_PAGE_SIZE, closed_asb // LIST_PAGE_SIZE // 2))
    return Samples(
        officer_ids=chosen,
        references=references,
        last_names=[last for _, last in people],
        full_names=[f"{first} {last}" for first, last in people],
        streets=streets,
        postcodes=[postcode for _, _, postcode in homes],
        deep_page=deep_page,
        officer_pages=officer_pages,
    )


def operations(actors: Actors, samples: Samples) -> list[Operation]:
    """Every operation the bench times, with its floor."""
    coordinator, officer = actors.coordinator, actors.officer

    def listing(actor: User, params: list[dict[str, Any]], name: str, description: str) -> Operation:
        return Operation(name, description, lambda p: _list_app(actor, p), lambda p: _list_floor(actor, p), params)

    open_asb = [{"officer": o, "status": Status.OPEN, "case_type": CaseType.ASB} for o in samples.officer_ids]
    closed_asb = [
        {"officer": o, "status": Status.CLOSED, "case_type": CaseType.ASB, "page": samples.officer_pages[o]}
        for o in samples.officer_ids
    ]
    broad = {"status": Status.CLOSED, "case_type": CaseType.ASB}
    return [
        listing(coordinator, open_asb, "list: officer+status+type p1", "Coordinator: one officer's open ASB cases"),
        listing(coordinator, closed_asb, "list: officer+status+type p10", "The same, closed, page 10 (or the last)"),
        listing(coordinator, [broad], "list: status+type p1", "Coordinator: all closed ASB cases (most), page 1"),
        listing(
            coordinator,
            [{**broad, "page": samples.deep_page}],
            f"list: status+type p{samples.deep_page}",
            "The same, deep",
        ),
        listing(officer, [{"status": [Status.OPEN, Status.TRIAGED]}], "list: officer's own", "An officer: open cases"),
        listing(coordinator, [{}], "list: all cases p1", "Coordinator: the list with no filters, first page"),
        Operation(
            "list page, rendered",
            "The whole list page as served (filter form, table, pagination)",
            lambda p: _list_page(coordinator, p),
            lambda p: _list_floor(coordinator, p),
            [{}],
        ),
        Operation(
            "dashboard page, rendered (coordinator)",
            "The whole dashboard as served: every count and the reassessments panel; floor: cases by status",
            lambda p: _dashboard_page(coordinator, p),
            lambda p: _dashboard_floor(coordinator, p),
            [{}],
        ),
        Operation(
            "dashboard page, rendered (officer)",
            "The same for an officer (their own and their team's cases)",
            lambda p: _dashboard_page(officer, p),
            lambda p: _dashboard_floor(officer, p),
            [{}],
        ),
        Operation(
            "detail",
            "Case overview: case, prompts, links, homes, deadline, parties for the banner",
            lambda r: _detail_app(coordinator, r),
            lambda r: _detail_floor(coordinator, r),
            samples.references,
        ),
        Operation(
            "detail page, rendered",
            "The whole case overview page as served (layout, banner, tabs, overview)",
            lambda r: _detail_page(coordinator, r),
            lambda r: _detail_floor(coordinator, r)[:1],
            samples.references,
        ),
        listing(coordinator, [{"q": r} for r in samples.references], "search: reference", "Exact reference"),
        listing(coordinator, [{"q": n} for n in samples.full_names], "search: party name", "First and last name"),
        listing(coordinator, [{"q": n} for n in samples.last_names], "search: surname", "Surname only (common)"),
        listing(coordinator, [{"q": s} for s in samples.streets], "search: address", "Street or block name"),
        listing(coordinator, [{"q": p} for p in samples.postcodes], "search: postcode", "Full postcode"),
        # issue 21 part 1: GET /api/v1/cases by cursor, first and deep pages, and the count + OFFSET it replaced.
        *api_list_operations(
            coordinator=coordinator,
            officer=officer,
            officer_id=samples.officer_ids[0] if samples.officer_ids else None,
            visibility=_visibility_sql,
        ),
        # Operations of apps above cases (insights: the monthly report, the TSM year), registered at start-up.
        *[Operation(t.name, t.description, t.app, t.floor, t.params()) for t in bench_timings()],
    ]


# ---------------------------------------------------------------------------------------------------------------
# The run


def run(
    options: BenchOptions,
    *,
    progress: ProgressCallback | None = None,
    on_operation: Callable[[str, int], Callable[[int], None]] | None = None,
) -> dict[str, Any]:
    """Prepare the data, time every operation, and return the report (also written as JSON if asked)."""
    if options.database_url:
        use_database(options.database_url)
    started = time.perf_counter()
    meta = prepare_data(cases=options.cases, seed=options.seed, reuse=options.reuse, progress=progress)
    actors = _actors()
    samples = _samples(actors, options.seed)
    results: list[Result] = []
    for op in operations(actors, samples):
        tick = on_operation(op.name, options.iterations) if on_operation else None
        results.append(measure(op, iterations=options.iterations, progress=tick))
    report = {
        "bench": "cases",
        "cases": options.cases,
        "seed": options.seed,
        "iterations": options.iterations,
        "database": database_label(),
        "vendor": connection.vendor,
        "scale": Scale.for_cases(options.cases).__dict__,
        "data": meta,
        "targets": {"p95_ms": TARGET_P95_MS, "ratio": TARGET_RATIO, "applies_to": "1,000,000 cases on PostgreSQL"},
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],  # the machine is shared: read figures with it
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "commit": git_commit(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "operations": [r.as_dict() for r in results],
    }
    if options.json_path is not None:
        options.json_path.parent.mkdir(parents=True, exist_ok=True)
        options.json_path.write_text(json.dumps(report, indent=2) + "\n")
    return report
