"""A read replica, end to end (issue 20 part 5): a second PostgreSQL database stands in for the replica. After a case
is added on the primary that the "replica" has not received, the monthly report's reads (`aggregate_reads`) and an
export's rows (`on_replica`) still see the replica's cases, while ordinary reads see the primary's — so reporting
reads went to the replica, and nothing else did."""

from __future__ import annotations

from pathlib import Path

import pytest
from scripts import with_postgres

from tests.production.nodes import deployment

pytestmark = pytest.mark.production

COUNTS = """
from saferhomes.cases.models import Case
from saferhomes.core.replica import on_replica
from saferhomes.insights.selectors.database import aggregate_reads
from saferhomes.insights.selectors.monthly import monthly_report_figures
from django.utils import timezone
primary = Case.objects.count()
with aggregate_reads():
    report = Case.objects.count()
exported = len(list(on_replica(Case.objects.values_list("pk", flat=True).iterator())))
monthly_report_figures(timezone.localdate().replace(day=1))  # the report itself runs on the replica's connection
print(primary, report, exported)
"""

ADD_A_CASE_ON_THE_PRIMARY = "from tests.cases.factories import CaseFactory; CaseFactory.create()"


def test_reporting_reads_come_from_the_replica_and_nothing_else_does(tmp_path: Path) -> None:
    with deployment(tmp_path, seeded=True) as live:
        replica = f"{live.database}_replica"
        with with_postgres._admin_connection() as admin:  # a copy of the primary, as a replica would be
            admin.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{live.database}"')
        try:
            live.env["DATABASE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:5432/{replica}"
            primary, report, exported = map(int, live.python(COUNTS).split())
            assert primary == report == exported > 0

            live.python(ADD_A_CASE_ON_THE_PRIMARY)  # writes go to the primary only

            assert list(map(int, live.python(COUNTS).split())) == [primary + 1, primary, primary]
        finally:
            with with_postgres._admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{replica}" WITH (FORCE)')
