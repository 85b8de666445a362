"""The privacy lifecycle (issue 19; DESIGN.md §6): how long records are kept, holds that stop the clock, and the
anonymisation runs the DPO approves before the worker carries them out.

Writes live in `services/`, reads in `selectors/`. A case that has been anonymised carries `Case.anonymised_at`;
what was done to it is one audit event (`privacy.case_anonymised`), which records what was done, not what was there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RetentionRecord(models.TextChoices):
    """The kinds of record a retention rule can govern."""

    CASE = "case", "Case"
    REPORT_NOT_TAKEN_FORWARD = "report_not_taken_forward", "Report never made into a case"
    STATUS_LINK = "status_link", "Reporter's status link"
    CASE_REVIEW = "case_review", "Case Review application"


class OutcomeGroup(models.TextChoices):
    """Which closed cases a case rule covers: any, those without legal action, those with it."""

    ANY = "any", "Any outcome"
    NO_LEGAL_ACTION = "no_legal_action", "Closed without legal action"
    LEGAL_ACTION = "legal_action", "Closed after legal action"


class RetentionStart(models.TextChoices):
    """The event a retention period counts from."""

    CLOSURE = "closure", "the case is closed"
    ORDER_END = "order_end", "the last court order or legal action ends"
    RECEIVED = "received", "it is received"
    DECIDED = "decided", "the last decision or outcome letter"
    ISSUED = "issued", "it is issued"


class RetentionRule(models.Model):
    """How long one kind of record is kept after an event. The DPO changes it with a reason (audited)."""

    record = models.CharField(max_length=30, choices=RetentionRecord.choices)
    case_type = models.CharField(max_length=10, blank=True, help_text="cases.CaseType value; empty for any type.")
    outcome_group = models.CharField(max_length=20, choices=OutcomeGroup.choices, default=OutcomeGroup.ANY)
    starts_from = models.CharField(max_length=20, choices=RetentionStart.choices)
    months = models.PositiveIntegerField(help_text="Whole months after the start event (0 for days-only rules).")
    days = models.PositiveIntegerField(default=0, help_text="Extra days after the months (short-lived records).")
    basis = models.TextField(help_text="Why this period: the law, guidance or business need it rests on.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    change_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["record", "case_type", "outcome_group"]
        constraints = [
            models.UniqueConstraint(fields=["record", "case_type", "outcome_group"], name="retention_rule_unique"),
            models.CheckConstraint(condition=Q(months__gt=0) | Q(days__gt=0), name="retention_rule_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_display()} {self.case_type or 'any'} {self.outcome_group}: {self.months} months"


class LegalHold(models.Model):
    """A hold on a case (litigation, a complaint to the ICO, an inquiry): while any hold is active the case is never
    anonymised, whatever its retention date."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        permissions = [("manage_legal_hold", "Can place and lift legal holds")]
        indexes = [models.Index(fields=["case", "lifted_at"], name="legal_hold_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lifted_at__isnull=True) & Q(lifted_by__isnull=True))
                | (Q(lifted_at__isnull=False) & Q(lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="legal_hold_lifted_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk} on case {self.case_id}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for the DPO's approval"
    APPROVED = "approved", "Approved: waiting for the worker"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    CANCELLED = "cancelled", "Cancelled"


class RetentionRun(models.Model):
    """One anonymisation run: first a dry-run list of the cases due (proposed), then the DPO's approval, then the
    worker (or `saferhomes retention run`) anonymises each approved item in its own transaction."""

    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.PROPOSED, db_index=True)
    as_of = models.DateField(help_text="The day the retention dates were compared with.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("manage_retention", "Can change the retention schedule and approve anonymisation runs"),
        ]

    def __str__(self) -> str:
        return f"Retention run {self.pk} ({self.status})"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "To anonymise"
    EXCLUDED = "excluded", "Excluded by the DPO"
    ANONYMISED = "anonymised", "Anonymised"
    SKIPPED_HELD = "skipped_held", "Skipped: on legal hold"
    SKIPPED_NOT_DUE = "skipped_not_due", "Skipped: no longer due"


class RetentionItem(models.Model):
    """One case in a run. Items are done one at a time, each in its own transaction, so a run stopped half-way
    resumes where it stopped and never does a case twice."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=20, help_text="The case reference, kept for the run's list.")
    due_on = models.DateField(help_text="The retention date the case passed.")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    excluded_reason = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "case"], name="retention_item_once_per_run")]
        indexes = [models.Index(fields=["run", "status", "id"], name="retention_item_todo_idx")]

    def __str__(self) -> str:
        return f"{self.reference} in run {self.run_id}: {self.status}"


# --- Issue 19 part H2: the weekly planning job's email, claimed once per run ---


class RunNotice(models.Model):
    """The email telling the DPOs a run waits for approval: one row per run, inserted before the email goes
    (`core.mail.claim_and_send`), so a rerun of the weekly job or a second worker never sends it twice."""

    run = models.OneToOneField(RetentionRun, on_delete=models.CASCADE, related_name="notice")
    recipients = models.JSONField(default=list, help_text="The ids of the DPOs emailed.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Notice of run {self.run_id}"


from saferhomes.privacy.models_rights import *  # noqa: E402, F403  (issue 19 part 4: rights requests)

# Issue 19 part 5 (H4, DPO oversight): registered here so the app finds them.
from saferhomes.privacy.oversight_models import AnomalyAlert as AnomalyAlert  # noqa: E402
from saferhomes.privacy.oversight_models import AnomalyKind as AnomalyKind  # noqa: E402
from saferhomes.privacy.oversight_models import DpoAccessGrant as DpoAccessGrant  # noqa: E402
