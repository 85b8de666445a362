"""Extension points of intake: told when a report has been taken.

Every extension point of the project is listed in docs/architecture.md ("Extension points") with who fills it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from saferhomes.intake.models import Report

SubmitListener = Callable[["Report"], None]
"""Called with each new report after its transaction commits."""

ON_SUBMITTED: list[SubmitListener] = []
"""Extension point: filled by `intake.services.acknowledge` (the acknowledgement) from IntakeConfig.ready; later
apps may add their own (a partner notification, say). Called by `report_submit` after the commit, robustly: a
listener that fails is logged and cannot undo or hide the stored report."""


def on_report_submitted(listener: SubmitListener) -> None:
    """Add a listener (idempotent)."""
    if listener not in ON_SUBMITTED:
        ON_SUBMITTED.append(listener)


def report_submitted(report: Report) -> None:
    """Tell every listener about a new report."""
    for listener in ON_SUBMITTED:
        listener(report)
