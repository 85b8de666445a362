"""Fixtures of the review tests: the coordinator who runs and chairs reviews, the manager who chairs appeals, an
application whose threshold was met (written directly: the decision service is not under test here), agencies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application
from saferhomes.referrals.models import Agency
from tests.documents.helpers import private_dir_fixture
from tests.factories import ApplicationFactory
from tests.referrals.factories import AgencyFactory

__all__ = ["private_dir_fixture"]


@pytest.fixture
def cara(make_staff: Callable[..., User], private_dir: Path) -> User:
    """The coordinator: runs the review and chairs its panel."""
    return make_staff(Role.COORDINATOR, first_name="Cara", last_name="Coordinator")


@pytest.fixture
def maya(make_staff: Callable[..., User]) -> User:
    """The manager: chairs appeals."""
    return make_staff(Role.MANAGER, first_name="Maya", last_name="Manager")


@pytest.fixture
def met(db: None) -> Application:
    application: Application = ApplicationFactory.create(
        met=True, first_name="Priya", last_name="Shah", address="4 Elm Court", postcode="EX2 3CD"
    )
    return application


@pytest.fixture
def agencies(db: None) -> list[Agency]:
    return [
        AgencyFactory.create(code="police", name="Example Police Neighbourhood Team"),
        AgencyFactory.create(code="council", name="Example Council ASB Team"),
    ]
