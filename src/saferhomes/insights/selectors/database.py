"""How the measures' aggregate reads run: on the read replica when one is configured (core.replica), and on
PostgreSQL without JIT compilation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

from saferhomes.core.replica import reporting_reads


@contextmanager
def aggregate_reads() -> Iterator[None]:
    """Reporting reads (the replica if configured). On PostgreSQL, read without JIT compilation: for these counts over
    a few hundred thousand rows, compiling costs 0.1-0.3 s per query, more than it saves (bench/README.md,
    "Insights"). `SET LOCAL` ends with the transaction."""
    with reporting_reads() as alias:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            yield
            return
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            yield
