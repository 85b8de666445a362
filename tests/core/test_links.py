"""Every absolute link is built on the configured addresses, never on the request's Host or a default (issue 14 item
15): staff links on SAFERHOMES_BASE_URL, residents' links on SAFERHOMES_PUBLIC_URL."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.services.case import case_assign
from saferhomes.cases.services.closure import survey_url
from saferhomes.core.links import public_url, staff_url
from saferhomes.intake.services.status import status_url
from tests.cases.factories import CaseFactory
from tests.factories import UserFactory
from tests.intake.public_journey import full_answers, walk

STAFF = "https://casework.calico.example"
PUBLIC = "https://report.calico.example"
FORGED_HOST = "attacker.example"


@pytest.fixture(autouse=True)
def _addresses(settings: Settings, tmp_path: Path) -> None:
    settings.SAFERHOMES_BASE_URL = STAFF
    settings.PUBLIC_BASE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]  # so a forged Host reaches the view, as behind a careless proxy
    settings.VAR_DIR = tmp_path


def test_staff_and_public_links_use_their_own_site_address() -> None:
    assert staff_url("/staff/cases/ASB-2026-000302/") == f"{STAFF}/staff/cases/ASB-2026-000302/"
    assert public_url("/report/") == f"{PUBLIC}/report/"
    assert status_url("tok") == f"{PUBLIC}/report/status/tok/"
    assert survey_url("tok") == f"{PUBLIC}/survey/tok/"


def test_a_link_needs_a_path_from_the_root() -> None:
    with pytest.raises(ValueError, match="path from the site's root"):
        staff_url("staff/")


@pytest.mark.django_db
def test_confirmation_status_link_is_built_on_the_public_address_not_the_host_header() -> None:
    client = Client(HTTP_HOST=FORGED_HOST)
    page = walk(client, full_answers()).response.content.decode()

    assert re.search(rf"{re.escape(PUBLIC)}/report/status/[\w-]+/", page), "the status link is on the public site"
    assert FORGED_HOST not in page


@pytest.mark.django_db
def test_password_reset_link_is_built_on_the_staff_address_not_the_host_header(
    officer_olivia: User,
) -> None:
    Client(HTTP_HOST=FORGED_HOST).post("/staff/password-reset/", {"email": officer_olivia.email})

    body = str(mail.outbox[0].body)
    assert f"{STAFF}/staff/password-reset/" in body
    assert FORGED_HOST not in body


@pytest.mark.django_db
def test_assignment_email_links_to_the_staff_site_not_the_public_one(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    case = CaseFactory.create(assigned_officer=None, team=None)
    officer = UserFactory.create(username="new_officer", role=Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=coordinator, case=case, officer=officer)

    assert f"{STAFF}/staff/cases/{case.reference}/" in str(mail.outbox[0].body)
    assert PUBLIC not in str(mail.outbox[0].body)
