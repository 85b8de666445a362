"""Interventions on cases (issue 16): the versioned catalogue of kinds, interventions against a party, milestones.

A catalogue version is immutable once loaded (like a risk instrument): every intervention points at the version
whose kinds and milestones it was proposed under, so a new version of the ladder never changes an old record.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhomes.core.models import VersionedFile


class Catalogue(VersionedFile):
    """One version of the intervention catalogue, loaded from a YAML file and validated (interventions/schema.py)."""

    definition = models.JSONField(help_text="The validated file as data: kinds, rungs, milestones, statutes.")

    class Meta(VersionedFile.Meta):
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="intervention_catalogue_key_version_unique"),
        ]

    def kind(self, key: str) -> dict[str, Any] | None:
        return next((k for k in self.definition["kinds"] if k["key"] == key), None)


class InterventionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    ACTIVE = "active", "Active"
    CONCLUDED = "concluded", "Concluded"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (
    InterventionStatus.PROPOSED,
    InterventionStatus.AWAITING_APPROVAL,
    InterventionStatus.APPROVED,
    InterventionStatus.ACTIVE,
)


class Intervention(models.Model):
    """An intervention (a rung of the ladder) against one party on a case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="interventions")
    party = models.ForeignKey("cases.Party", on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(max_length=60, help_text="A kind key of the catalogue version.")
    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="interventions")
    formal = models.BooleanField(help_text="Copied from the catalogue: formal action needs a manager's approval.")
    rung = models.PositiveSmallIntegerField(help_text="Copied from the catalogue: its place on the ladder.")
    proportionality = models.TextField(blank=True, help_text="Why this is necessary and proportionate.")
    status = models.CharField(max_length=20, choices=InterventionStatus.choices, default=InterventionStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refused_at = models.DateTimeField(null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refused_reason = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change (optimistic locking).")

    class Meta:
        ordering = ["rung", "proposed_at", "id"]
        indexes = [models.Index(fields=["case", "status"], name="intervention_case_status")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InterventionStatus.values), name="intervention_status_valid"),
            models.CheckConstraint(
                condition=Q(formal=False) | ~Q(proportionality=""), name="intervention_formal_needs_proportionality"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["active", "concluded"]) | Q(started_on__isnull=False),
                name="intervention_started_has_date",
            ),
            models.CheckConstraint(
                condition=Q(formal=False)
                | ~Q(status__in=["approved", "active", "concluded"])
                | Q(approved_at__isnull=False),
                name="intervention_formal_started_only_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status="concluded") | (Q(outcome_on__isnull=False) & ~Q(outcome="")),
                name="intervention_concluded_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | (~Q(withdrawn_reason="") & Q(withdrawn_at__isnull=False)),
                name="intervention_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(refused_at__isnull=True) | ~Q(refused_reason=""), name="intervention_refusal_has_reason"
            ),
        ]
        permissions = [
            ("record_intervention", "Can propose interventions and record their milestones"),
            ("approve_formal_action", "Can approve or refuse formal action (injunctions, closure, possession)"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_name} against {self.party.display_name}"

    @property
    def kind_definition(self) -> dict[str, Any]:
        return self.catalogue.kind(self.kind) or {"key": self.kind, "name": self.kind, "milestones": []}

    @property
    def kind_name(self) -> str:
        return str(self.kind_definition["name"])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Milestone(models.Model):
    """A step of an intervention that happened (occurred_on) or is expected (due_on), with its rule data."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(max_length=60, help_text="A milestone key of the intervention's kind.")
    occurred_on = models.DateField(null=True, blank=True)
    occurred_time = models.TimeField(null=True, blank=True, help_text="London time, when the hour matters.")
    due_on = models.DateField(null=True, blank=True, help_text="For an expected milestone: when it is due.")
    notes = models.TextField(blank=True)
    document = models.ForeignKey(
        "cases.EvidenceFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones"
    )
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text="Rule data: absolute-ground condition, order length in months, youth offending team consultation.",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["intervention", "occurred_on", "due_on", "id"]
        indexes = [models.Index(fields=["due_on"], name="milestone_due_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_on__isnull=False) | Q(due_on__isnull=False), name="milestone_has_a_date"
            ),
            models.CheckConstraint(
                condition=Q(occurred_time__isnull=True) | Q(occurred_on__isnull=False),
                name="milestone_time_needs_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} of intervention {self.intervention_id}"

    @property
    def name(self) -> str:
        """The milestone's name in the catalogue version of its intervention ("Time to comply ends")."""
        names = {m["key"]: m["name"] for m in self.intervention.kind_definition["milestones"]}
        return str(names.get(self.key, self.key))


class MilestoneReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class MilestoneReminder(models.Model):
    """A reminder to the assigned officer that an expected milestone is due soon or overdue: one per milestone, due
    date and kind, claimed before the email goes (a rerun or a second worker sends nothing twice; a new due date may be
    reminded afresh)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    kind = models.CharField(max_length=10, choices=MilestoneReminderKind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["milestone", "due_on", "kind"], name="milestone_reminded_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for milestone {self.milestone_id} due {self.due_on}"
