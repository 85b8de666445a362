"""How the measures' aggregate reads run on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def aggregate_reads() -> Iterator[None]:
    """On PostgreSQL, read without JIT compilation: for these counts over a few hundred thousand rows, compiling costs
    0.1-0.3 s per query, more than it saves (bench/README.md, "Insights"). `SET LOCAL` ends with the transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield
