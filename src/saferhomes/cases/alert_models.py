"""The worker's response-alert claims (DESIGN.md §4.1, `cases/notifications.py`): one row per case, deadline and kind,
inserted before any email goes. Imported by `cases/models.py`, so the app registers them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ResponseAlertKind(models.TextChoices):
    DUE_SOON = "due_soon", "Response due soon"
    OVERDUE = "overdue", "Response overdue"


class ResponseAlert(models.Model):
    """Staff were emailed that a case's response is due soon or overdue: at most once per (case, deadline, kind).

    The row is claimed (inserted) before any email goes, so a rerun or a second worker never sends again; a
    recalculated deadline is a new `due_at`, so it may be alerted afresh. `sent_at` stays empty if sending failed.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="response_alerts")
    due_at = models.DateTimeField(help_text="The response deadline this alert was about.")
    kind = models.CharField(max_length=10, choices=ResponseAlertKind.choices)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True, help_text="Ids of the staff emailed.")

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "due_at", "kind"], name="response_alert_once_per_deadline"),
            models.CheckConstraint(condition=Q(kind__in=ResponseAlertKind.values), name="response_alert_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for case {self.case_id}"
