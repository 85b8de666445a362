"""Import the housing register from the housing management system's CSV or XLSX exports.

`register_import(kind=..., rows=..., actor=...)` checks every row first, then writes all of them in one
transaction, or nothing. Records are matched by `reference`, so running the same file twice changes nothing.
Columns are documented in `COLUMNS` (and by `saferhomes import KIND --columns`); headers are matched ignoring
case, spaces and hyphens. Import people and properties before tenancies, which refer to both by reference.

The package, by concept: `columns` (what a file may hold, rows, problems, results), `files` (reading .csv and .xlsx),
`cells` (checking one row's cells), `plan` (what checking decides to write), one planner per kind (`properties`,
`people`, `tenancies`), and `service` (`register_import`, which checks and writes). Other apps' imports reuse the
machinery with their own columns (`read_columns`, `Cells`, `Plan`): the agency directory's, in
`referrals.services.agency_import`. Apps above housing add kinds to `saferhomes import` through `registry`
(`import_kind_register`): the case log, `saferhomes import cases`, in `cases.importers`.
"""

from saferhomes.housing.importers.columns import (
    COLUMNS,
    KINDS,
    Column,
    ImportFileError,
    ImportRejectedError,
    ImportResult,
    ImportRow,
    ProgressCallback,
    RowProblem,
)
from saferhomes.housing.importers.files import Table, check_columns, check_required, read_columns, read_table
from saferhomes.housing.importers.service import register_import

__all__ = [
    "COLUMNS",
    "KINDS",
    "Column",
    "ImportFileError",
    "ImportRejectedError",
    "ImportResult",
    "ImportRow",
    "ProgressCallback",
    "RowProblem",
    "Table",
    "check_columns",
    "check_required",
    "read_columns",
    "read_table",
    "register_import",
]
