"""The DPO sees metadata, not case contents, "unless granted" (issue 19 part 5; ADR 0020): without access the case
page is a 404; a manager or administrator gives access to one case for a few hours with a reason (audited); with it
the case page opens and every read is audited like any restricted read; once it expires, or is ended early, 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.privacy.oversight_models import DpoAccessGrant
from saferhomes.privacy.services.dpo_access import dpo_access_end, dpo_access_grant
from tests.conftest import client_verified_as
from tests.privacy.oversight_helpers import SECRET_SUMMARY, restricted_case

pytestmark = pytest.mark.django_db

GIVEN = dt.datetime(2026, 3, 3, 10, 0, tzinfo=LONDON)
REASON = "Complaint to the ICO about how the case was handled"


@pytest.fixture
def case() -> Case:
    return restricted_case()


@pytest.fixture
def manager(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.MANAGER)


def page(case: Case) -> str:
    return f"/staff/cases/{case.reference}/"


def test_without_access_the_dpo_gets_404_on_the_case_page(case: Case, dpo_daniel: User) -> None:
    client = client_verified_as(dpo_daniel)
    assert client.get(page(case)).status_code == 404
    assert not cases_visible_to(actor=dpo_daniel).exists()


def test_with_access_the_case_opens_and_every_read_is_audited(case: Case, dpo_daniel: User, manager: User) -> None:
    with time_machine.travel(GIVEN, tick=False):
        grant = dpo_access_grant(actor=manager, dpo=dpo_daniel, reference=case.reference, reason=REASON, hours=4)
    given = AuditEvent.objects.get(verb=AuditVerb.OVERSIGHT_ACCESS_GRANTED)
    assert (given.actor, given.object_id, given.reason) == (manager, str(case.pk), REASON)
    assert given.object_label == case.reference  # never the summary
    assert given.after is not None
    assert given.after["to"] == dpo_daniel.username
    assert DpoAccessGrant.objects.get(access_grant=grant).granted_by == manager
    with time_machine.travel(GIVEN + dt.timedelta(hours=1), tick=False):
        client = client_verified_as(dpo_daniel)
        response = client.get(page(case))
        assert response.status_code == 200
        assert SECRET_SUMMARY in response.content.decode()  # the contents, now that access was given
        other = restricted_case()
        assert client.get(page(other)).status_code == 404  # that one case only
    read = AuditEvent.objects.get(verb=AuditVerb.CASE_VIEWED, actor=dpo_daniel)
    assert read.object_id == str(case.pk)


def test_after_it_expires_the_case_is_404_again(case: Case, dpo_daniel: User, manager: User) -> None:
    with time_machine.travel(GIVEN, tick=False):
        dpo_access_grant(actor=manager, dpo=dpo_daniel, reference=case.reference, reason=REASON, hours=1)
    with time_machine.travel(GIVEN + dt.timedelta(hours=1, seconds=1), tick=False):
        assert client_verified_as(dpo_daniel).get(page(case)).status_code == 404


def test_access_ended_early_closes_the_case_at_once(case: Case, dpo_daniel: User, manager: User) -> None:
    grant = dpo_access_grant(actor=manager, dpo=dpo_daniel, reference=case.reference, reason=REASON, hours=8)
    client = client_verified_as(manager)
    response = client.post(f"/staff/privacy/oversight/dpo-access/{grant.pk}/end/")
    assert response.status_code == 302
    assert client_verified_as(dpo_daniel).get(page(case)).status_code == 404
    ended = AuditEvent.objects.get(verb=AuditVerb.OVERSIGHT_ACCESS_ENDED)
    assert ended.actor == manager
    record = DpoAccessGrant.objects.get(access_grant=grant)
    assert record.ended_by == manager
    assert record.ended_at is not None


def test_managers_give_access_through_the_page(case: Case, dpo_daniel: User, manager: User) -> None:
    client = client_verified_as(manager)
    response = client.post(
        "/staff/privacy/oversight/dpo-access/",
        {"dpo": str(dpo_daniel.pk), "reference": case.reference.lower(), "reason": REASON, "hours": "8"},
    )
    assert response.status_code == 302
    listing = client.get("/staff/privacy/oversight/dpo-access/").content.decode()
    assert case.reference in listing
    assert REASON in listing
    assert "End now" in listing
    assert SECRET_SUMMARY not in listing


def test_the_form_shows_what_is_missing_and_keeps_the_answers(dpo_daniel: User, manager: User) -> None:
    client = client_verified_as(manager)
    response = client.post(
        "/staff/privacy/oversight/dpo-access/",
        {"dpo": str(dpo_daniel.pk), "reference": "DA-2026-999999", "reason": "short", "hours": "8"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter why the data protection officer needs to see this case (10 characters or more)" in text
    assert 'value="DA-2026-999999"' in text
    response = client.post(
        "/staff/privacy/oversight/dpo-access/",
        {"dpo": str(dpo_daniel.pk), "reference": "DA-2026-999999", "reason": REASON, "hours": "8"},
    )
    assert "No case has the reference DA-2026-999999" in response.content.decode()
    assert not AuditEvent.objects.filter(verb=AuditVerb.OVERSIGHT_ACCESS_GRANTED).exists()


def test_access_goes_only_to_an_active_dpo_and_never_from_the_dpo(
    case: Case, dpo_daniel: User, manager: User, make_staff: Callable[..., User]
) -> None:
    officer = make_staff(Role.OFFICER)
    with pytest.raises(DomainError) as refused:
        dpo_access_grant(actor=manager, dpo=officer, reference=case.reference, reason=REASON, hours=4)
    assert "dpo" in refused.value.field_errors
    with pytest.raises(PermissionDenied):
        dpo_access_grant(actor=dpo_daniel, dpo=dpo_daniel, reference=case.reference, reason=REASON, hours=4)
    with pytest.raises(DomainError):
        dpo_access_grant(actor=manager, dpo=dpo_daniel, reference=case.reference, reason=REASON, hours=5)


def test_a_dpo_grant_opens_nothing_for_other_roles_without_view_case(
    case: Case, make_staff: Callable[..., User], manager: User
) -> None:
    """Only a DPO is let through by an access grant without cases.view_case (partners and admins never are)."""
    from saferhomes.cases.models import AccessGrant

    admin = make_staff(Role.ADMIN)
    AccessGrant.objects.create(case=case, user=admin, reason=REASON, expires_at=GIVEN + dt.timedelta(days=3650))
    assert not cases_visible_to(actor=admin).exists()


def test_ending_access_that_is_not_a_dpo_grant_is_refused(manager: User) -> None:
    with pytest.raises(DomainError):
        dpo_access_end(actor=manager, grant_id=12345)
