"""How much the fuzz tests generate, and the tally of what they sent (issue 21 part 2).

`make test` runs a small budget; `make fuzz` sets SAFERHOMES_FUZZ_EXAMPLES high enough for at least 10,000 generated
inputs. The tally counts each generated request and each server error; the fuzz conftest prints it at the end of the
run (summed over pytest-xdist workers).
"""

from __future__ import annotations

import os
from collections import Counter

# Hypothesis examples per API operation, per public form step and per stateful run. Small in the normal suite.
EXAMPLES = int(os.environ.get("SAFERHOMES_FUZZ_EXAMPLES", "1"))
# Schemathesis's coverage phase (boundary and type-confusion values for every parameter, dozens per operation):
# on in `make fuzz`, off in the normal suite to keep it fast.
COVERAGE = os.environ.get("SAFERHOMES_FUZZ_COVERAGE", "") == "1"
# Steps per stateful (linked operations) run, and how many runs.
STATEFUL_STEPS = int(os.environ.get("SAFERHOMES_FUZZ_STATEFUL_STEPS", "5"))

tally: Counter[str] = Counter()


def record(surface: str, status: int) -> None:
    """Count one generated input sent to `surface` ("api", "api-stateful", "forms") and whether it was a 5xx."""
    tally[f"{surface}:inputs"] += 1
    if status >= 500:
        tally[f"{surface}:5xx"] += 1
