"""The configuration admin: administrators only, with the second factor; role edits keep groups in step."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django_otp.admin import OTPAdminSite

from saferhomes.accounts.models import ApiToken, Team, User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import staff_totp_device_create, token_create
from saferhomes.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_site_requires_otp() -> None:
    assert isinstance(admin.site, OTPAdminSite)


def test_changing_a_role_in_admin_moves_groups_and_admin_access(staff_client, officer_olivia: User) -> None:
    client = staff_client(Role.ADMIN)
    page = client.get(f"/staff/admin/accounts/user/{officer_olivia.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="groups"' not in html
    form = {
        "username": officer_olivia.username,
        "first_name": officer_olivia.first_name,
        "last_name": officer_olivia.last_name,
        "email": officer_olivia.email,
        "job_title": "",
        "phone": "",
        "role": Role.ADMIN,
        "team": officer_olivia.team_id or "",
        "is_active": "on",
    }
    response = client.post(f"/staff/admin/accounts/user/{officer_olivia.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    officer_olivia.refresh_from_db()
    assert officer_olivia.role == Role.ADMIN
    assert officer_olivia.is_staff
    assert list(officer_olivia.groups.values_list("name", flat=True)) == [Role.ADMIN]
    event = AuditEvent.objects.get(verb="staff.updated", object_id=str(officer_olivia.pk))
    assert event.before is not None
    assert event.after is not None
    assert event.before["role"] == Role.OFFICER
    assert event.after["role"] == Role.ADMIN


def test_adding_a_team_in_admin_is_audited(staff_client) -> None:
    client = staff_client(Role.ADMIN)
    response = client.post("/staff/admin/accounts/team/add/", {"name": "East team"})
    assert response.status_code == 302
    team = Team.objects.get(name="East team")
    assert AuditEvent.objects.filter(verb="team.created", object_id=str(team.pk)).exists()


def test_revoke_action_in_admin(staff_client, officer_olivia: User) -> None:
    client = staff_client(Role.ADMIN)
    token, _ = token_create(actor=None, user=officer_olivia)
    response = client.post(
        "/staff/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert not token.is_active
    assert AuditEvent.objects.filter(verb="api_token.revoked", actor__username="admin_ada").exists()


def test_admin_cannot_add_or_delete_tokens(staff_client, officer_olivia: User) -> None:
    client = staff_client(Role.ADMIN)
    token, _ = token_create(actor=None, user=officer_olivia)
    assert client.get("/staff/admin/accounts/apitoken/add/").status_code == 403
    assert client.get(f"/staff/admin/accounts/apitoken/{token.pk}/delete/").status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_admin_never_sees_anyones_totp_secret(staff_client, officer_olivia: User) -> None:
    client = staff_client(Role.ADMIN)
    device = staff_totp_device_create(officer_olivia)
    html = client.get(f"/staff/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in html
    assert device.key not in client.get("/staff/admin/otp_totp/totpdevice/").content.decode()
