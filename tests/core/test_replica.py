"""Reporting reads on a read replica (issue 20 part 5): the router's rule, with and without a replica configured.
The end-to-end proof with a second PostgreSQL database is tests/production/test_replica.py."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_django.fixtures import Settings

from saferhomes.cases.models import Case
from saferhomes.core.replica import REPLICA, ReportingRouter, on_replica, reporting_alias, reporting_reads

router = ReportingRouter()


def test_without_a_replica_reporting_reads_use_the_primary(settings: Settings) -> None:
    settings.DATABASE_REPLICA_CONFIGURED = False
    with reporting_reads() as alias:
        assert alias == "default"
        assert router.db_for_read(Case) is None


def test_with_a_replica_only_reads_inside_reporting_reads_go_to_it(settings: Settings) -> None:
    settings.DATABASE_REPLICA_CONFIGURED = True
    assert router.db_for_read(Case) is None
    with reporting_reads() as alias:
        assert alias == REPLICA
        assert router.db_for_read(Case) == REPLICA
        assert router.db_for_write(Case) == "default", "writes never go to the replica"
        with reporting_reads():
            assert reporting_alias() == REPLICA
        assert reporting_alias() == REPLICA, "a nested block does not end the outer one"
    assert router.db_for_read(Case) is None
    assert reporting_alias() == "default"


def test_a_streamed_export_reads_on_the_replica_while_it_is_consumed(settings: Settings) -> None:
    settings.DATABASE_REPLICA_CONFIGURED = True
    seen = []

    def rows() -> list[str]:
        return ["a", "b"]

    def noting(items: list[str]) -> Iterator[str]:
        for item in items:
            seen.append((item, reporting_alias()))
            yield item

    assert list(on_replica(noting(rows()))) == ["a", "b"]
    assert seen == [("a", REPLICA), ("b", REPLICA)]
    assert reporting_alias() == "default"


def test_migrations_run_only_on_the_primary() -> None:
    assert router.allow_migrate("default", "cases") is True
    assert router.allow_migrate(REPLICA, "cases") is False
