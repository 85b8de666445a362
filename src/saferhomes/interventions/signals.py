"""Load the shipped intervention catalogue after every migrate, so a fresh database (tests, `make demo`) has it."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from saferhomes.core.errors import DomainError

logger = logging.getLogger(__name__)


def load_shipped_catalogue_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    from saferhomes.interventions.models import Catalogue
    from saferhomes.interventions.services.catalogue import catalogues_load_shipped

    if using != DEFAULT_DB_ALIAS or Catalogue._meta.db_table not in connections[using].introspection.table_names():
        return
    try:
        catalogues_load_shipped()
    except DomainError as exc:
        # A shipped file edited without a new version number must not stop a deployment's migrate.
        logger.warning("Shipped intervention catalogue not loaded: %s", exc)
