"""The audit helper records who did what to which object, from where, and why."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from saferhomes.core.audit import audit, audit_read, client_ip, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_records_actor_verb_object_before_after_and_reason(officer_olivia, dpo_daniel) -> None:
    before = snapshot(officer_olivia, ["username", "role"])
    event = audit(
        actor=dpo_daniel,
        verb=cast(AuditVerb, "staff.changed"),
        obj=officer_olivia,
        before=before,
        after={"username": "officer_olivia", "role": "manager"},
        reason="Promotion agreed at panel",
    )
    event.refresh_from_db()
    assert event.actor == dpo_daniel
    assert event.actor_label == "dpo_daniel"
    assert event.verb == "staff.changed"
    assert event.object_type == "accounts.user"
    assert event.object_id == str(officer_olivia.pk)
    assert event.object_label == str(officer_olivia)
    assert event.before == {"username": "officer_olivia", "role": "officer"}
    assert event.after == {"username": "officer_olivia", "role": "manager"}
    assert event.reason == "Promotion agreed at panel"
    assert event.at is not None


def test_audit_without_actor_is_recorded_as_the_system() -> None:
    event = audit(actor=None, verb=cast(AuditVerb, "import.finished"), object_type="housing.import", object_id=7)
    assert event.actor is None
    assert event.actor_label == "system"
    assert event.object_id == "7"


def test_audit_by_unauthenticated_visitor_is_recorded_as_anonymous() -> None:
    event = audit(actor=AnonymousUser(), verb=cast(AuditVerb, "report.submitted"))
    assert event.actor is None
    assert event.actor_label == "anonymous"


def test_snapshot_is_json_safe_and_limited_to_named_fields(officer_olivia) -> None:
    data = snapshot(officer_olivia)
    assert isinstance(data["date_joined"], str)
    assert data["team_id"] == officer_olivia.team_id
    assert snapshot(officer_olivia, ["username"]) == {"username": "officer_olivia"}


def test_audit_takes_client_ip_from_remote_addr(officer_olivia) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    event = audit(actor=officer_olivia, verb=cast(AuditVerb, "thing.done"), request=request)
    event.refresh_from_db()
    assert event.ip_address == "203.0.113.9"


def test_audit_ignores_x_forwarded_for_unless_proxies_are_trusted(officer_olivia) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert audit(actor=officer_olivia, verb=cast(AuditVerb, "thing.done"), request=request).ip_address == "10.0.0.2"


def test_client_ip_uses_the_hop_the_trusted_proxy_saw(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1 (spoofed), 198.51.100.66"
    )
    assert client_ip(request) == "198.51.100.66"


def test_client_ip_discards_values_that_are_not_ip_addresses(settings) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-ip")
    assert client_ip(request) is None
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="evil")) is None


def test_explicit_ip_address_wins_over_request_and_bad_values_are_dropped(officer_olivia) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    assert audit(
        actor=officer_olivia, verb=cast(AuditVerb, "a.b"), request=request, ip_address="2001:db8::1"
    ).ip_address == ("2001:db8::1")
    assert audit(actor=officer_olivia, verb=cast(AuditVerb, "a.b"), ip_address="999.1.1.1").ip_address is None


def test_audit_read_records_a_viewed_event_with_reason(dpo_daniel, officer_olivia) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.10")
    event = audit_read(actor=dpo_daniel, obj=officer_olivia, reason="Subject access request", request=request)
    assert event.verb == "user.viewed"
    assert event.object_type == "accounts.user"
    assert event.object_id == str(officer_olivia.pk)
    assert event.reason == "Subject access request"
    assert event.ip_address == "203.0.113.10"
    assert AuditEvent.objects.filter(verb="user.viewed").count() == 1
