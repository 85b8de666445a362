"""Extension point for apps above `housing`: more kinds of file for `saferhomes import`.

Housing sits below cases in the import layers, so it cannot import their importers; instead an app registers its
kind from its `AppConfig.ready()` (the case log: `cases.importers`, as `saferhomes import cases FILE`). A kind is
read with the same machinery (`read_columns`), reports problems the same way (`ImportRejectedError` with
`RowProblem`s) and returns an `ImportResult` (whose `summary()` it may override).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from saferhomes.housing.importers.columns import Column, ImportResult

ImportRunner = Callable[..., ImportResult]
"""Called as `run(rows=..., actor=..., dry_run=..., source=..., progress=...)`."""


@dataclass(frozen=True)
class ImportKind:
    """A kind of import file registered by another app."""

    name: str
    columns: Sequence[Column]
    run: ImportRunner


IMPORT_KINDS: dict[str, ImportKind] = {}


def import_kind_register(kind: ImportKind) -> None:
    """Add (or replace) a kind of import file; idempotent."""
    IMPORT_KINDS[kind.name] = kind
