"""How fast the DPO's oversight reads are over a large audit trail (issue 19 part 5; ADR 0020).

    uv run python scripts/with_postgres.py uv run python -m bench.oversight_bench [events]

Migrates the throwaway database, writes `events` audit events (default 2,000,000) spread over a year with SQL
(5% of them restricted reads by 300 staff over 5,000 case ids), then times the first page of restricted reads (with
its capped count), a page of break glass, and the anomalies of 30 days. Prints milliseconds.
"""

from __future__ import annotations

import os
import sys
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhomes.config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from saferhomes.accounts.models import User
    from saferhomes.accounts.roles import Role
    from saferhomes.accounts.services import staff_create
    from saferhomes.core.pagination import paginate
    from saferhomes.privacy.selectors.anomalies import anomalies_for
    from saferhomes.privacy.selectors.oversight import (
        OversightFilters,
        break_glass_uses,
        grant_rows,
        read_rows,
        restricted_reads,
    )

    events = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    call_command("migrate", verbosity=0)
    dpo = User.objects.get(pk=staff_create(actor=None, username="bench_dpo", role=Role.DPO).pk)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_auditevent (at, actor_label, verb, object_type, object_id, object_label, reason)
            SELECT now() - (random() * interval '365 days'),
                   'user_' || (i %% 300),
                   CASE WHEN i %% 20 = 0 THEN 'case.viewed' ELSE 'note.added' END,
                   'cases.case', ((i::bigint * 7919) %% 5000)::text, '', '/staff/cases/x/'
            FROM generate_series(1, %s) AS i
            """,
            [events],
        )
        cursor.execute("ANALYZE core_auditevent")
    today = timezone.localdate()
    filters = OversightFilters.recent(today)

    def timed(label: str, run: object) -> None:
        start = time.perf_counter()
        result = run()  # type: ignore[operator]
        print(f"{label}: {(time.perf_counter() - start) * 1000:.0f} ms ({result})")

    from django.http import QueryDict

    def reads_page() -> str:
        context = paginate(restricted_reads(actor=dpo, filters=filters), QueryDict(), per_page=50, count_limit=10_000)
        return f"{len(read_rows(context['page_obj']))} rows of {context['page_obj'].paginator.count}"

    def glass_page() -> str:
        context = paginate(break_glass_uses(actor=dpo, filters=filters), QueryDict(), per_page=50, count_limit=10_000)
        return f"{len(grant_rows(context['page_obj']))} grants"

    def anomalies() -> str:
        return f"{len(anomalies_for(actor=dpo, filters=filters))} anomalies"

    print(f"{events:,} audit events")
    timed("restricted reads, first page of the last 30 days", reads_page)
    timed("break glass, first page", glass_page)
    timed("anomalies of the last 30 days", anomalies)


if __name__ == "__main__":
    main()
