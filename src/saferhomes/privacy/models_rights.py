"""Data protection rights requests (issue 19 part 4; UK GDPR Articles 12 and 15-21): who asked, about whom, what
they asked for, the one-month deadline (extendable once by two months with a reason), the decision with its reason,
and, for subject access, the exports produced. Imported at the end of `privacy/models.py`.

Deadlines are worked out by `privacy.rights_rules` (pure); writes live in `privacy/services/rights.py` and
`privacy/services/subject_access.py`."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhomes.cases.storage import evidence_storage


class RightsKind(models.TextChoices):
    ACCESS = "access", "Subject access (Article 15)"
    ERASURE = "erasure", "Erasure (Article 17)"
    RECTIFICATION = "rectification", "Rectification (Article 16)"
    RESTRICTION = "restriction", "Restriction of processing (Article 18)"
    OBJECTION = "objection", "Objection to processing (Article 21)"
    PORTABILITY = "portability", "Data portability (Article 20)"


class RightsStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    IDENTITY_CHECKED = "identity_checked", "Identity checked"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    REFUSED = "refused", "Refused"


class RightsDecision(models.TextChoices):
    COMPLIED = "complied", "Complied in full"
    PARTLY = "partly", "Complied in part"
    REFUSED = "refused", "Refused"


OPEN_STATUSES = (RightsStatus.RECEIVED, RightsStatus.IDENTITY_CHECKED, RightsStatus.IN_PROGRESS)


class RightsRequest(models.Model):
    """One request from a data subject (or someone acting for them) to exercise a data protection right."""

    kind = models.CharField(max_length=15, choices=RightsKind.choices)
    # Who asked
    requester_name = models.CharField(max_length=200)
    requester_email = models.EmailField(blank=True)
    requester_phone = models.CharField(max_length=30, blank=True)
    requester_address = models.CharField(max_length=250, blank=True)
    acting_for_subject = models.BooleanField(
        default=False, help_text="The requester acts for the data subject (a solicitor, an advocate, a parent)."
    )
    authority = models.TextField(blank=True, help_text="When acting for them: the authority seen (consent, a power).")
    identity_verified_how = models.TextField(blank=True, help_text="How identity (and authority) was checked.")
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    # About whom: a register person and/or the identifiers searched
    person = models.ForeignKey(
        "housing.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="rights_requests"
    )
    subject_names = models.JSONField(default=list, blank=True, help_text="Full names the subject is known by.")
    subject_dob = models.DateField(null=True, blank=True)
    subject_emails = models.JSONField(default=list, blank=True)
    subject_phones = models.JSONField(default=list, blank=True)
    subject_postcodes = models.JSONField(default=list, blank=True)
    details = models.TextField(
        blank=True,
        help_text="What they asked for, in their words (for rectification: what is wrong and what it should say).",
    )
    # Deadline (Article 12(3))
    received_on = models.DateField()
    due_on = models.DateField()
    extended_due_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extended_at = models.DateTimeField(null=True, blank=True)
    # Progress and decision
    status = models.CharField(max_length=20, choices=RightsStatus.choices, default=RightsStatus.RECEIVED)
    decision = models.CharField(max_length=10, choices=RightsDecision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    action_taken = models.TextField(
        blank=True, help_text="What was done (rectification: what was corrected and where; erasure: what happens)."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    # Subject access review: records left out (false matches) and extra words to redact
    excluded_keys = models.JSONField(default=list, blank=True, help_text="Found records the reviewer left out.")
    extra_redactions = models.JSONField(default=list, blank=True, help_text="More words to redact, one per item.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        permissions = [("handle_rights_request", "Can record and handle data protection rights requests")]
        indexes = [models.Index(fields=["status", "due_on"], name="rights_request_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RightsKind.values), name="rights_request_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RightsStatus.values), name="rights_request_status_valid"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="rights_request_due_after"),
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True) | ~Q(extension_reason=""),
                name="rights_request_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", "complied"]) | ~Q(decision_reason=""),
                name="rights_request_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"RR-{self.pk:05d}" if self.pk else "RR-new"

    @property
    def current_due_on(self) -> dt.date:
        """The deadline in force: the extended one when extended."""
        due: dt.date = self.extended_due_on or self.due_on
        return due

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due in 7 days"
    OVERDUE = "overdue", "Overdue"


class RightsRequestReminder(models.Model):
    """The DPO was emailed that a request is due in 7 days, or overdue: once per request, kind and deadline (a new
    deadline after an extension may remind again). Claimed before the email goes (`core.mail.claim_and_send`)."""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    recipients = models.JSONField(default=list, help_text="The staff told (user ids).")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "due_on"], name="rights_request_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.request_id}"


def subject_access_upload_to(instance: SubjectAccessExport, filename: str) -> str:
    """Random names under subject-access/<year>/ in private storage (no URL)."""
    return f"subject-access/{timezone.now():%Y}/{uuid.uuid4().hex}.zip"


class SubjectAccessExport(models.Model):
    """A subject access export as produced: the ZIP (records.json, summary.pdf, the subject's own files) kept in
    private storage and downloaded only by rights-request handlers. It is also the record that the data was
    disclosed to the data subject: the DPO's disclosure log lists it."""

    request = models.ForeignKey(RightsRequest, on_delete=models.PROTECT, related_name="exports")
    file = models.FileField(storage=evidence_storage, upload_to=subject_access_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    record_counts = models.JSONField(default=dict, help_text="Records included, by kind.")
    files_included = models.PositiveIntegerField(default=0)
    files_withheld = models.PositiveIntegerField(default=0)
    disclosed_to = models.CharField(max_length=200, help_text="Who it is for: the requester's name.")
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-produced_at", "-id"]

    def __str__(self) -> str:
        return f"Subject access export {self.pk} for {self.request_id}"
