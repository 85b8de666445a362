"""Staff account services: every change to a staff account, second factor or token goes through here and is audited."""

from __future__ import annotations

import math
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhomes.accounts.models import TOKEN_PREFIX, ApiToken, Team, User, hash_token, new_raw_token
from saferhomes.accounts.roles import ROLE_PERMISSIONS, Role
from saferhomes.accounts.selectors import totp_device_confirmed
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require

USER_AUDIT_FIELDS = ["username", "email", "first_name", "last_name", "role", "team_id", "is_active", "is_staff"]
TOKEN_AUDIT_FIELDS = ["user_id", "name", "key_prefix", "created_at", "revoked_at"]
TOTP_DEVICE_NAME = "Authenticator app"
TOKEN_PREFIX_LENGTH = 12  # "shk_" and 8 random characters: enough to tell tokens apart, useless to an attacker


def roles_sync() -> None:
    """Create one group per role holding exactly the permissions in ROLE_PERMISSIONS."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is None:
                raise LookupError(f"Role {role} names unknown permission {dotted}")
            wanted.append(permission)
        group.permissions.set(wanted)


def _apply_role(user: User) -> None:
    user.groups.set(Group.objects.filter(name=user.role))


@transaction.atomic
def team_get_or_create(*, actor: User | None, name: str) -> Team:
    """The team called `name`, created (and audited) if it does not exist yet."""
    name = name.strip()
    if not name:
        raise DomainError(field_errors={"team": "Enter a team name."})
    team = Team.objects.filter(name__iexact=name).first()
    if team is None:
        team = Team.objects.create(name=name)
        audit(actor=actor, verb=AuditVerb.TEAM_CREATED, obj=team, after=snapshot(team, ["name"]))
    return team


@transaction.atomic
def team_admin_saved(
    *, actor: User | None, team: Team, before: dict[str, Any] | None, request: HttpRequest | None = None
) -> Team:
    """Audit a team created or renamed in the configuration admin."""
    after = snapshot(team, ["name"])
    if before != after:
        verb = AuditVerb.TEAM_CREATED if before is None else AuditVerb.TEAM_UPDATED
        audit(actor=actor, verb=verb, obj=team, before=before, after=after, request=request)
    return team


@transaction.atomic
def team_delete(*, actor: User | None, team: Team, request: HttpRequest | None = None) -> None:
    """Delete a team; its members stay, without a team."""
    before = snapshot(team, ["name"])
    audit(actor=actor, verb=AuditVerb.TEAM_DELETED, obj=team, before=before, request=request)
    team.delete()


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    username: str,
    role: str,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    team: Team | None = None,
) -> User:
    """Create a staff account in a role. `actor` None means the command line or seed."""
    if role not in Role.values:
        raise DomainError(field_errors={"role": f"Unknown role '{role}'. Choose one of: {', '.join(Role.values)}."})
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(field_errors={"username": f"A staff account called '{username}' already exists."})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        team=team,
        is_staff=role == Role.ADMIN,
        is_superuser=False,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    _apply_role(user)
    audit(actor=actor, verb=AuditVerb.STAFF_CREATED, obj=user, after=snapshot(user, USER_AUDIT_FIELDS))
    return user


@transaction.atomic
def staff_admin_saved(
    *, actor: User | None, user: User, before: dict[str, Any] | None, request: HttpRequest | None = None
) -> User:
    """After an edit in the configuration admin: keep groups and admin access in step with the role, and audit."""
    is_staff = user.role == Role.ADMIN
    if user.is_staff != is_staff or user.is_superuser:
        user.is_staff, user.is_superuser = is_staff, False
        user.save(update_fields=["is_staff", "is_superuser"])
    _apply_role(user)
    after = snapshot(user, USER_AUDIT_FIELDS)
    if before != after:
        verb = AuditVerb.STAFF_CREATED if before is None else AuditVerb.STAFF_UPDATED
        audit(actor=actor, verb=verb, obj=user, before=before, after=after, request=request)
    return user


# --- Signing in -------------------------------------------------------------------------------------------------


def staff_sign_in_failed(*, username: str, reason: str, request: HttpRequest | None = None) -> None:
    """Record a failed sign-in: the username typed and why, never the password or code."""
    audit(
        actor=None,
        verb=AuditVerb.STAFF_SIGN_IN_FAILED,
        object_type="accounts.user",
        object_label=username[:150],
        reason=reason,
        request=request,
    )


def staff_signed_in(*, user: User, request: HttpRequest | None = None) -> None:
    """Record a completed sign-in (password and second factor both passed)."""
    audit(actor=user, verb=AuditVerb.STAFF_SIGNED_IN, obj=user, request=request)


def staff_signed_out(*, user: User, reason: str = "", request: HttpRequest | None = None) -> None:
    """Record a sign-out, by the person or by the idle timeout."""
    audit(actor=user, verb=AuditVerb.STAFF_SIGNED_OUT, obj=user, reason=reason, request=request)


@transaction.atomic
def staff_totp_device_create(user: User, *, key: str | None = None, confirmed: bool = True) -> TOTPDevice:
    """Give a staff member an authenticator-app device; confirmed by default (the demo seeder's shortcut)."""
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=confirmed)
    if key is not None:
        device.key = key
    device.full_clean(exclude=["user"])
    device.save()
    if confirmed:
        audit(
            actor=None,
            verb=AuditVerb.STAFF_TWO_FACTOR_ENROLLED,
            obj=user,
            reason="Device created without a code check.",
        )
    return device


@transaction.atomic
def staff_totp_enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device a user is setting up (kept across page loads so the QR code stays the same)."""
    if totp_device_confirmed(user=user) is not None:
        raise DomainError("You have already set up an authenticator app.")
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _throttle_message(device: TOTPDevice) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (info or {}).get("locked_until")
    seconds = (locked_until - timezone.now()).total_seconds() if locked_until else 60
    minutes = max(1, math.ceil(seconds / 60))
    wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return f"You have entered too many codes that are not correct. Wait {wait}, then try again with a new code."


def staff_totp_verify(*, user: User, token: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Check a 6-digit code against the user's confirmed device; DomainError (and an audit record) if wrong."""
    device = totp_device_confirmed(user=user)
    if device is None:
        raise DomainError("You have not set up an authenticator app yet.")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        throttled = _throttle_message(device)
        if throttled is None and device.verify_token(token):
            return device
    staff_sign_in_failed(
        username=user.get_username(),
        reason="Two-factor code refused while throttled." if throttled else "Two-factor code not correct.",
        request=request,
    )
    raise DomainError(field_errors={"otp_token": throttled or "The code is not correct or has expired."})


def staff_totp_enrol(*, user: User, device: TOTPDevice, token: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Confirm a new authenticator app with a code from it; DomainError if the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        throttled = _throttle_message(device)
        if throttled is None and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            audit(actor=user, verb=AuditVerb.STAFF_TWO_FACTOR_ENROLLED, obj=user, request=request)
            return device
    staff_sign_in_failed(
        username=user.get_username(), reason="Two-factor code not correct during set-up.", request=request
    )
    raise DomainError(field_errors={"otp_token": throttled or "The code is not correct or has expired."})


# --- Password reset ---------------------------------------------------------------------------------------------


def staff_password_reset_requested(*, users: list[User], request: HttpRequest | None = None) -> None:
    """Record that a reset link was sent to each matching account (nothing is recorded for unknown addresses)."""
    for user in users:
        audit(actor=None, verb=AuditVerb.STAFF_PASSWORD_RESET_REQUESTED, obj=user, request=request)


@transaction.atomic
def staff_password_reset(*, user: User, password: str, request: HttpRequest | None = None) -> User:
    """Set a new password from a reset link, and lift any sign-in lockout for the account."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(actor=user, verb=AuditVerb.STAFF_PASSWORD_RESET, obj=user, request=request)
    axes_reset(username=user.get_username())
    return user


# --- API tokens -------------------------------------------------------------------------------------------------


def _require_token_owner_or_manager(actor: User | None, user: User) -> None:
    if actor is None:  # the command line
        return
    if actor.pk == user.pk and actor.is_active:
        return
    require(actor, "accounts.manage_staff")


@transaction.atomic
def token_create(
    *, actor: User | None, user: User, name: str = "", request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Create an API token for `user`; returns it with the raw token, which is shown once and never stored."""
    _require_token_owner_or_manager(actor, user)
    if not user.is_active:
        raise DomainError(f"The account '{user.get_username()}' is deactivated, so it cannot have API tokens.")
    name = name.strip()
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise DomainError(field_errors={"name": "Token name must be 100 characters or fewer."})
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name, key_prefix=raw[:TOKEN_PREFIX_LENGTH], key_hash=hash_token(raw)
    )
    audit(
        actor=actor,
        verb=AuditVerb.API_TOKEN_CREATED,
        obj=token,
        after=snapshot(token, TOKEN_AUDIT_FIELDS),
        request=request,
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    """Revoke an API token so it no longer works; DomainError if it was already revoked."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _require_token_owner_or_manager(actor, token.user)
    if token.revoked_at is not None:
        raise DomainError(f"Token {token.key_prefix}… was already revoked.")
    before = snapshot(token, TOKEN_AUDIT_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    after = snapshot(token, TOKEN_AUDIT_FIELDS)
    audit(actor=actor, verb=AuditVerb.API_TOKEN_REVOKED, obj=token, before=before, after=after, request=request)
    return token


def token_find(*, prefix_or_id: str) -> ApiToken:
    """One token by database id or by the start of its key (as printed by `saferhomes tokens list`)."""
    value = prefix_or_id.strip().rstrip("…").rstrip(".")
    if value.isdigit():
        token = ApiToken.objects.filter(pk=int(value)).first()
        if token is None:
            raise DomainError(f"No API token has id {value}.")
        return token
    if not value.startswith(TOKEN_PREFIX) or len(value) < len(TOKEN_PREFIX) + 4:
        raise DomainError(f"Give a token id or the first characters of the token, like {TOKEN_PREFIX}AbCd1234.")
    matches = list(ApiToken.objects.filter(key_prefix__startswith=value[:TOKEN_PREFIX_LENGTH]))
    if len(value) > TOKEN_PREFIX_LENGTH:  # a whole token was pasted: match it exactly
        matches = [t for t in matches if t.key_hash == hash_token(value)]
    if not matches:
        raise DomainError(f"No API token starts with {value}.")
    if len(matches) > 1:
        ids = ", ".join(str(t.pk) for t in matches)
        raise DomainError(f"More than one token starts with {value} (ids {ids}): give the id instead.")
    return matches[0]
