"""What management commands of every app share about staff: who `--actor` names."""

from __future__ import annotations

from django.core.management.base import CommandError

from saferhomes.accounts.models import User
from saferhomes.accounts.selectors import staff_member_by_username
from saferhomes.core.errors import DomainError


def command_actor(username: str | None, *, returncode: int = 1) -> User | None:
    """The member of staff a command acts as: None (the system) when no username is given, else the active account
    with exactly that username; CommandError (exit `returncode`) if there is none."""
    if not username:
        return None
    try:
        return staff_member_by_username(username=username)
    except DomainError:
        raise CommandError(f"There is no active staff account called '{username}'.", returncode=returncode) from None
