"""A task for the many-nodes test: it takes a few seconds and leaves a mark each time it finishes, so the test can
kill the worker running it and see another worker finish it."""

from __future__ import annotations

import time
from typing import cast

from django_tasks import task

from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb


@task()
def slow_then_mark(seconds: float, mark: str) -> str:
    time.sleep(seconds)
    audit(actor=None, verb=cast(AuditVerb, "test.slow_task_finished"), object_label=mark)
    return mark
