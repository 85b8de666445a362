"""The fuzz tally's pytest hooks (issue 21 part 2), loaded by the root conftest so that pytest-xdist's controller
sums its workers' counts: one line at the end of every run that fuzzed anything, e.g.
`fuzz: 10,412 generated inputs, 0 server errors (5xx) — api 8,104 (0 5xx), ...`."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.fuzz import budget


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker hands its tally to the controller
        workeroutput["fuzz_tally"] = dict(budget.tally)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    budget.tally.update(Counter(getattr(node, "workeroutput", {}).get("fuzz_tally", {})))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    tally = budget.tally
    surfaces = sorted({key.split(":")[0] for key in tally})
    if not surfaces:
        return
    inputs = sum(tally[f"{s}:inputs"] for s in surfaces)
    errors = sum(tally[f"{s}:5xx"] for s in surfaces)
    parts = ", ".join(f"{s} {tally[f'{s}:inputs']:,} ({tally[f'{s}:5xx']} 5xx)" for s in surfaces)
    terminalreporter.write_line(f"fuzz: {inputs:,} generated inputs, {errors} server errors (5xx) — {parts}")
