"""Load the shipped risk instruments after every migrate, so a fresh database (tests, `make demo`) has them."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from saferhomes.core.errors import DomainError

logger = logging.getLogger(__name__)


def load_shipped_instruments_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    from saferhomes.risk.models import Instrument
    from saferhomes.risk.services.instruments import instruments_load_shipped

    if using != DEFAULT_DB_ALIAS or Instrument._meta.db_table not in connections[using].introspection.table_names():
        return  # another database, or the risk tables are not there (e.g. `migrate risk zero`)
    try:
        instruments_load_shipped()
    except DomainError as exc:
        # A shipped file edited without a new version number must not stop a deployment's migrate.
        logger.warning("Shipped risk instruments not loaded: %s", exc)
