"""Staff users, teams and API tokens."""

from __future__ import annotations

import datetime as dt
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


# --- Staff training records (issue 18 part 5): read by the one case-visibility filter (cases.selectors.case) ---
class TrainingCourse(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse awareness"
    HATE_CRIME = "hate_crime", "Hate crime awareness"
    ASB_POWERS = "asb_powers", "Anti-social behaviour powers and tools"
    SAFEGUARDING = "safeguarding", "Safeguarding adults and children"
    DATA_PROTECTION = "data_protection", "Data protection"
    OTHER = "other", "Other"


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def current(self, *, on: dt.date) -> TrainingRecordQuerySet:
        """Records in force on London date `on`: completed by then and not yet run out (the expiry day counts)."""
        return self.filter(completed_on__lte=on).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=on)
        )


class TrainingRecord(models.Model):
    """A course a member of staff completed, and when it runs out ("all colleagues ... are appropriately trained")."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_records")
    course = models.CharField(max_length=30, choices=TrainingCourse.choices)
    title = models.CharField(max_length=200, blank=True, help_text="The course's own name, if it has one.")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Empty: the course does not run out.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "course", "-completed_on"]
        indexes = [models.Index(fields=["user", "course", "expires_on"], name="training_current_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("completed_on")),
                name="training_expires_after_completed",
            ),
            models.CheckConstraint(
                condition=models.Q(course__in=TrainingCourse.values),
                name="training_course_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_course_display()} ({self.completed_on:%d %b %Y})"
