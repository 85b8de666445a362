"""Taking applications: bad input refused whole (nothing saved half-way), the acknowledgement honouring safe
contact, the private status link, and the decision alerts and dashboard panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core import mail
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application, ApplicationChannel, DecisionAlert, StatusLink
from saferhomes.case_review.notifications import decision_alerts_send
from saferhomes.case_review.services.applications import application_submit, status_token_hash
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from tests.case_review.helpers import apply, details, london
from tests.conftest import client_verified_as
from tests.housing.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 8, 20)


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(london(TODAY, 18), tick=False):
        yield


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"on_behalf": True, "victim_first_name": "Sam", "victim_consent": None}, "victim_consent"),
        ({"on_behalf": True, "victim_first_name": "Sam", "victim_consent": False}, "victim_consent"),
        ({"on_behalf": True, "victim_consent": True}, "victim_first_name"),
        ({"description": ""}, "description"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "", "phone": "", "address": ""}, "email"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_bad_applications_are_refused_whole(officer: User, changes: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        application_submit(details=details(**changes), channel=ApplicationChannel.PHONE, actor=officer)
    assert field in refused.value.field_errors
    assert not Application.objects.exists()
    assert not StatusLink.objects.exists()


def test_a_future_received_date_is_refused(officer: User) -> None:
    with pytest.raises(DomainError) as refused:
        apply(officer, TODAY + dt.timedelta(days=1))
    assert refused.value.field_errors["received_at"] == [
        "The date the application was received must be today or in the past"
    ]
    assert not Application.objects.exists()


def test_on_behalf_with_consent_is_taken(officer: User) -> None:
    application = apply(officer, TODAY, on_behalf=True, victim_first_name="Sam", victim_consent=True)
    assert (application.on_behalf, application.victim_consent, application.victim_first_name) == (True, True, "Sam")


def test_the_public_form_cannot_pretend_to_be_staff() -> None:
    with pytest.raises(DomainError, match="taken by staff"):
        application_submit(details=details(), channel=ApplicationChannel.PHONE)


def test_acknowledgement_is_emailed_with_the_deadline_and_status_link(
    officer: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        application = apply(officer, TODAY)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert application.reference in body
    assert "the end of Fri 4 Sep 2026" in body
    assert "/case-review/status/" in body
    assert AuditEvent.objects.filter(verb=AuditVerb.CASE_REVIEW_ACKNOWLEDGED).count() == 1


@pytest.mark.parametrize("avoid_on_register", [False, True])
def test_no_email_when_email_is_not_a_safe_way(
    officer: User, django_capture_on_commit_callbacks: Callable[..., object], avoid_on_register: bool
) -> None:
    if avoid_on_register:
        person = PersonFactory.create(contact_avoid=["email"])
        changes: dict[str, object] = {"person": person}
    else:
        changes = {"contact_methods": ("phone",)}
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        apply(officer, TODAY, **changes)
    assert mail.outbox == []
    assert AuditEvent.objects.filter(verb=AuditVerb.CASE_REVIEW_ACK_WITHHELD).count() == 1


def test_status_link_is_kept_only_as_a_hash_and_shows_the_status(client: Client) -> None:
    submitted = application_submit(details=details(), channel=ApplicationChannel.WEB)
    assert not StatusLink.objects.filter(token_hash=submitted.token).exists()
    assert StatusLink.objects.filter(token_hash=status_token_hash(submitted.token)).exists()
    page = client.get(f"/case-review/status/{submitted.token}/")
    assert page.status_code == 200
    assert submitted.application.reference in page.content.decode()
    assert "Awaiting threshold decision" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get("/case-review/status/not-a-token/").status_code == 404


def test_decision_alerts_go_once_when_due_soon_and_once_when_overdue(
    officer: User, make_staff: Callable[..., User], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    make_staff(Role.COORDINATOR, email="coordinator@example.org")
    application = apply(officer, TODAY)  # due at the end of Fri 4 Sep
    assert decision_alerts_send().claimed == 0
    with time_machine.travel(london(dt.date(2026, 9, 4), 9), tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
            first = decision_alerts_send()
        again = decision_alerts_send()
    assert (first.claimed, again.claimed, again.already_sent) == (1, 0, 1)
    with time_machine.travel(london(dt.date(2026, 9, 7), 9), tick=False):
        overdue = decision_alerts_send()
    assert overdue.claimed == 1
    kinds = set(DecisionAlert.objects.filter(application=application).values_list("kind", flat=True))
    assert kinds == {"due_soon", "overdue"}
    sent = [m for m in mail.outbox if "Case Review threshold decision" in m.subject]
    assert sent
    assert application.reference in sent[0].body
    assert "Ada" not in sent[0].body


def test_dashboard_shows_case_review_decisions_due(officer: User, make_staff: Callable[..., User]) -> None:
    apply(officer, dt.date(2026, 8, 3))  # due end of Mon 17 Aug: overdue on the 20th
    apply(officer, TODAY)
    page = client_verified_as(make_staff(Role.COORDINATOR)).get("/staff/cases/")
    text = page.content.decode()
    assert "Case Review decisions due (1)" in text
