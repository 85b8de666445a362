"""Load the shipped threshold rules after every migrate, so a fresh database (tests, `make demo`) has them."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from saferhomes.core.errors import DomainError

logger = logging.getLogger(__name__)


def load_shipped_rules_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    from saferhomes.case_review.models import ThresholdRuleSet
    from saferhomes.case_review.services.rule_sets import rule_sets_load_shipped

    if (
        using != DEFAULT_DB_ALIAS
        or ThresholdRuleSet._meta.db_table not in connections[using].introspection.table_names()
    ):
        return
    try:
        rule_sets_load_shipped()
    except DomainError as exc:
        # A shipped file edited without a new version number must not stop a deployment's migrate.
        logger.warning("Shipped Case Review threshold rules not loaded: %s", exc)
