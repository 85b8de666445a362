"""Staff users, teams and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from saferhomes.accounts.roles import Role


class Team(models.Model):
    """A group of staff who share a caseload (e.g. 'North neighbourhood team')."""

    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff (or a partner agency user). Residents never have accounts."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    job_title = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["username"]
        permissions = [("manage_staff", "Can create and change staff accounts")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


TOKEN_PREFIX = "shk_"  # noqa: S105 - a public marker, not a secret


def hash_token(raw: str) -> str:
    """The stored form of an API token: its SHA-256 hex digest (tokens are high-entropy, so no salt is needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    """A fresh token string, shown once to its owner and never stored."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_prefix = models.CharField(max_length=12, help_text="First characters, to tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user.username})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
