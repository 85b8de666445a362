"""Personal API token pages: list, create (shown once), revoke with confirmation."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied

from saferhomes.accounts.models import ApiToken, User, hash_token
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create, token_revoke
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_token_shows_it_once_and_stores_only_the_hash(staff_client) -> None:
    client = staff_client(Role.OFFICER)
    response = client.post("/staff/tokens/", {"name": "Reporting spreadsheet"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    raw = re.search(r'value="(shk_[^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert "It will not be shown again" in html
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw)
    assert token.name == "Reporting spreadsheet"
    listing = client.get("/staff/tokens/").content.decode()
    assert token.key_prefix in listing
    assert raw not in listing
    assert AuditEvent.objects.filter(verb="api_token.created").count() == 1


def test_create_token_needs_a_name(staff_client) -> None:
    client = staff_client()
    html = client.post("/staff/tokens/", {"name": "  "}).content.decode()
    assert "Enter a name for the token" in html
    assert "govuk-error-summary" in html
    assert "Error: API tokens" in html
    assert not ApiToken.objects.exists()
    html = client.post("/staff/tokens/", {"name": "x" * 101}).content.decode()
    assert "100 characters or fewer" in html
    assert 'value="' + "x" * 101 + '"' in html


def test_list_shows_only_your_own_tokens(staff_client, dpo_daniel: User) -> None:
    client = staff_client(Role.OFFICER)
    theirs, _ = token_create(actor=None, user=dpo_daniel, name="Daniel's export")
    html = client.get("/staff/tokens/").content.decode()
    assert "Daniel&#x27;s export" not in html
    assert theirs.key_prefix not in html
    assert "You have no API tokens" in html


def test_revoke_asks_first_then_revokes(staff_client) -> None:
    client = staff_client(Role.OFFICER)
    user = User.objects.get(username="officer_olivia")
    token, _ = token_create(actor=None, user=user, name="Old script")
    page = client.get(f"/staff/tokens/{token.pk}/revoke/")
    assert "Are you sure you want to revoke this token?" in page.content.decode()
    token.refresh_from_db()
    assert token.is_active, "a GET must not revoke"
    response = client.post(f"/staff/tokens/{token.pk}/revoke/")
    assert response["Location"] == "/staff/tokens/"
    token.refresh_from_db()
    assert not token.is_active
    listing = client.get("/staff/tokens/").content.decode()
    assert "has been revoked" in listing
    assert "Revoked" in listing
    assert AuditEvent.objects.filter(verb="api_token.revoked", actor=user).exists()


def test_cannot_revoke_someone_elses_token(staff_client, dpo_daniel: User) -> None:
    client = staff_client(Role.OFFICER)
    theirs, _ = token_create(actor=None, user=dpo_daniel)
    assert client.get(f"/staff/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/staff/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_revoking_twice_is_harmless(staff_client) -> None:
    client = staff_client()
    token, _ = token_create(actor=None, user=User.objects.get(username="officer_olivia"))
    client.post(f"/staff/tokens/{token.pk}/revoke/")
    response = client.post(f"/staff/tokens/{token.pk}/revoke/", follow=True)
    assert "already revoked" in response.content.decode()
    assert AuditEvent.objects.filter(verb="api_token.revoked").count() == 1


def test_service_lets_only_the_owner_or_a_staff_manager_act(officer_olivia: User, dpo_daniel: User, admin_ada) -> None:
    with pytest.raises(PermissionDenied):
        token_create(actor=dpo_daniel, user=officer_olivia)
    token, _ = token_create(actor=officer_olivia, user=officer_olivia)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=dpo_daniel, token=token)
    token_revoke(actor=admin_ada, token=token)
    with pytest.raises(DomainError):
        token_revoke(actor=officer_olivia, token=token)
