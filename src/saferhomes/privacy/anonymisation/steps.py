"""Extension point (issue 19): extra anonymisation steps from apps above privacy (insights, api).

An app that keeps records of a case that privacy cannot import registers a step in its AppConfig.ready():

    from saferhomes.privacy.anonymisation.steps import ANONYMISATION_STEPS
    ANONYMISATION_STEPS.append(my_step)

A step is called with the locked case, inside the case's transaction, after the field map has been applied and
before the case is marked anonymised; it returns {record kind: rows changed} (what was done, for the audit event).
It must be idempotent: a case stopped half-way is anonymised again from the start. Its models must still be listed
in `fields.py` (as plans or in NOT_CASE_RECORDS) so that the guard test sees them.
"""

from __future__ import annotations

from collections.abc import Callable

from saferhomes.cases.models import Case

AnonymisationStep = Callable[[Case], dict[str, int]]

ANONYMISATION_STEPS: list[AnonymisationStep] = []
