"""Shared fixtures: named personas per role, and clients signed in with a verified second factor."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core import sms
from saferhomes.core.redaction import RedactPrivateLinks
from tests.factories import UserFactory

pytest_plugins = ["tests.fuzz.tally"]  # issue 21 part 2: the fuzz tally, summed over xdist workers


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """Tests hash passwords with MD5: PBKDF2's million rounds were most of the suite's run time (100s -> 16s)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _texts_kept_in_memory(settings: Settings) -> Iterator[list[tuple[str, str]]]:
    """Text messages go to `core.sms.outbox`, as Django's test runner sends email to `mail.outbox`."""
    settings.SMS_BACKEND = "locmem"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


# One named persona per role (CONVENTIONS.md: named test personas).
PERSONAS: dict[str, str] = {
    Role.OFFICER: "officer_olivia",
    Role.COORDINATOR: "coordinator_cara",
    Role.DA_SPECIALIST: "da_specialist_dev",
    Role.MANAGER: "manager_maya",
    Role.PARTNER: "partner_pc_patel",
    Role.DPO: "dpo_daniel",
    Role.ADMIN: "admin_ada",
}


def add_totp_device(user: User) -> TOTPDevice:
    """Give a user a confirmed authenticator-app device."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def client_verified_as(user: User) -> Client:
    """A test client signed in as `user` who has passed the second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or add_totp_device(user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def make_staff(db: None) -> Callable[..., User]:
    """Create a staff user in a role: make_staff(Role.OFFICER) or make_staff("dpo", username="x")."""

    def _make(role: str = Role.OFFICER, **kwargs: object) -> User:
        kwargs.setdefault("username", PERSONAS.get(role, f"{role}_user"))
        user: User = UserFactory.create(role=role, **kwargs)
        return user

    return _make


@pytest.fixture
def staff_client(make_staff: Callable[..., User]) -> Callable[..., Client]:
    """A verified client for a role: staff_client(Role.DPO)."""

    def _client(role: str = Role.OFFICER, **kwargs: object) -> Client:
        return client_verified_as(make_staff(role, **kwargs))

    return _client


@pytest.fixture
def officer_olivia(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def dpo_daniel(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.DPO)


@pytest.fixture
def admin_ada(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.ADMIN)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What every configured, redacting handler (LOGGING in settings) writes during the test."""
    output = io.StringIO()
    live = [ref() for ref in logging._handlerList]  # type: ignore[attr-defined]  # every live handler (weak refs)
    handlers = [
        handler
        for handler in live
        if isinstance(handler, logging.StreamHandler)
        and any(isinstance(f, RedactPrivateLinks) for f in handler.filters)
    ]
    assert {handler.name for handler in handlers} >= {"console", "django.server"}
    previous = [handler.setStream(output) for handler in handlers]
    yield output
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With SAFERHOMES_DATABASE_TESTS_ONLY=1 (`make test-postgres`), keep only the tests that reach the database: the
    rest (calendar arithmetic, parsers, rules on plain values) ran on SQLite a minute earlier and cannot behave
    differently on PostgreSQL, since they never open a connection (pytest-django refuses one to a test without the
    marker or a database fixture)."""
    if os.environ.get("SAFERHOMES_DATABASE_TESTS_ONLY") != "1":
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_database else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
