"""Load the shipped letter templates after every migrate, so a fresh database (tests, `make demo`) has them."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from saferhomes.core.errors import DomainError

logger = logging.getLogger(__name__)


def load_shipped_templates_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    from saferhomes.documents.models import LetterTemplate
    from saferhomes.documents.services.templates import templates_load_shipped

    if using != DEFAULT_DB_ALIAS or LetterTemplate._meta.db_table not in connections[using].introspection.table_names():
        return
    try:
        templates_load_shipped()
    except DomainError as exc:
        logger.warning("Shipped letter templates not loaded: %s", exc)
