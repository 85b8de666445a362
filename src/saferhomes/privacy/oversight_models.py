"""The DPO's oversight records (issue 19 part 5; ADR 0020). Imported by `privacy/models.py`, so the app registers them.

- `DpoAccessGrant`: a manager or administrator gave the data protection officer time-limited access to one case's
  contents, with a reason. The access itself is a `cases.AccessGrant` (the one thing `cases_visible_to` reads); this
  row says who gave it, so oversight can tell it from a manager breaking glass for themselves.
- `AnomalyAlert`: the DPO was emailed about one anomaly (a burst of reads, reads out of hours): one row per anomaly
  key, inserted before the email goes (`core.mail.claim_and_send`), so a rerun or a second worker sends nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class DpoAccessGrant(models.Model):
    """Who gave the DPO the `access_grant` (time-limited access to one case), when, and who ended it early if anyone."""

    access_grant = models.OneToOneField("cases.AccessGrant", on_delete=models.CASCADE, related_name="dpo_grant")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        permissions = [
            ("view_oversight", "Can see who read restricted and DA cases, break-glass uses and anomalies"),
            ("grant_dpo_access", "Can give the data protection officer time-limited access to one case"),
        ]

    def __str__(self) -> str:
        return f"DPO access grant {self.access_grant_id} by {self.granted_by_id}"


class AnomalyKind(models.TextChoices):
    BURST = "burst", "Many restricted or DA cases read in a short time"
    OUT_OF_HOURS = "out_of_hours", "Restricted or DA cases read outside working hours"
    UNUSED_BREAK_GLASS = "unused_break_glass", "Broke glass but did nothing on the case"


class AnomalyAlert(models.Model):
    """The DPO was emailed about the anomaly with this key: at most once per key."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=AnomalyKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_at = models.DateTimeField(help_text="When the first read of the anomaly happened.")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-first_at", "-id"]

    def __str__(self) -> str:
        return f"Anomaly alert {self.key}"
