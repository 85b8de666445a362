"""Staff account services: every change to a staff account or token goes through here and is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from saferhomes.accounts.models import Team, User
from saferhomes.accounts.roles import ROLE_PERMISSIONS, Role
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.errors import DomainError

USER_AUDIT_FIELDS = ["username", "email", "first_name", "last_name", "role", "team_id", "is_active", "is_staff"]


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
def staff_create(
    *,
    actor: Any | None,
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
    audit(actor=actor, verb="staff.created", obj=user, after=snapshot(user, USER_AUDIT_FIELDS))
    return user
