"""The error a broken legal rule raises: a DomainError that also names the rules (the API lists them)."""

from __future__ import annotations

from collections.abc import Sequence

from saferhomes.core.errors import DomainError
from saferhomes.interventions.rules import Finding


class RuleBrokenError(DomainError):
    """One or more blocking rules said no; `rules` are their names (e.g. "cpn_needs_cpw")."""

    def __init__(self, findings: Sequence[Finding], *, field: str | None = None) -> None:
        self.rules = [f.rule for f in findings]
        messages = [f"{f.message} (rule: {f.rule})" for f in findings]
        if field:
            super().__init__(field_errors={field: messages})
        else:
            super().__init__(messages)


def raise_if_blocking(findings: Sequence[Finding], *, field: str | None = None) -> list[Finding]:
    """Raise RuleBrokenError for the blocking findings; return the warnings."""
    broken = [f for f in findings if f.blocking]
    if broken:
        raise RuleBrokenError(broken, field=field)
    return [f for f in findings if not f.blocking]
