"""The demo landlord seeded once per test module, not once per test: seeding 700 homes costs seconds, and the
demo-seed tests of a module only read what it made.

The seed runs inside a transaction opened for the module; each test runs in its own savepoint inside it (pytest-django
nests a test's atomic block), so what a test changes — even wiping and reseeding — is rolled back before the next test,
and the module's transaction is rolled back at its end: the next module starts from an empty database, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from saferhomes.core.seed import seed_demo


def seeded_once(**seed: Any) -> Callable[..., Iterator[None]]:
    """A module-scoped fixture that seeds the demo landlord with `seed_demo(**seed)` (private files under a
    temporary folder) and undoes it after the module's last test."""

    @pytest.fixture(scope="module")
    def fixture(
        django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[None]:
        files = override_settings(  # as the autouse fixtures of tests/conftest.py set them for each test
            VAR_DIR=tmp_path_factory.mktemp("demo-var"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            SMS_BACKEND="locmem",
        )
        files.enable()
        with django_db_blocker.unblock():
            module = transaction.atomic()
            module.__enter__()
            seed_demo(**seed)
        try:
            yield
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                module.__exit__(None, None, None)
            files.disable()

    return fixture
