"""Fixtures for the insights tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings


@pytest.fixture
def settings_override() -> Callable[..., Any]:
    """override_settings as a context manager usable inside a hypothesis example (pytest's `settings` fixture is
    function-scoped, so it would not be reset between examples)."""
    return override_settings
