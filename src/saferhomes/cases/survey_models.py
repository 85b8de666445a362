"""The satisfaction survey sent on closure (DESIGN.md §4.4, TP12): its scale, how the link is delivered, and the
invitation answered through a private link. Imported by `cases/models.py`, so the app registers it."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone


class SatisfactionScore(models.IntegerChoices):
    """TP12's 5-point scale (DESIGN.md §4.4)."""

    VERY_SATISFIED = 5, "Very satisfied"
    FAIRLY_SATISFIED = 4, "Fairly satisfied"
    NEITHER = 3, "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = 2, "Fairly dissatisfied"
    VERY_DISSATISFIED = 1, "Very dissatisfied"


class SurveyDelivery(models.TextChoices):
    """How the private survey link reaches the reporter."""

    EMAIL = "email", "Emailed to the reporter"
    OFFICER = "officer", "To be given by the officer"


SURVEY_VALID_FOR = dt.timedelta(days=90)


def survey_expiry_default() -> dt.datetime:
    """A survey link works for 90 days from when it is made."""
    return timezone.now() + SURVEY_VALID_FOR


class SurveyInvitation(models.Model):
    """Sent on closure; answered through a private link (only the token's hash is stored)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="surveys")
    party = models.ForeignKey("cases.Party", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=survey_expiry_default)
    delivery = models.CharField(max_length=10, choices=SurveyDelivery.choices, default=SurveyDelivery.EMAIL)
    delivery_note = models.CharField(
        max_length=250, blank=True, help_text="Why the officer must give the link, e.g. safe-contact instructions."
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(choices=SatisfactionScore.choices, null=True, blank=True)
    could_do_better = models.TextField(blank=True, help_text="'What could we have done better?'")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(satisfaction__isnull=False), name="survey_answer_has_score"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="survey_score_range",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("sent_at")), name="survey_expires_after_sent"),
        ]

    def __str__(self) -> str:
        return f"Survey for {self.case_id}"
