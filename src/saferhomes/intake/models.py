"""Reports from every channel, the private status link and diary, inbound email, and the triage that turns a report
into a case or adds it to an open one (DESIGN.md §2 "Report", issue 6).

A report is what one person told us once. It carries its own reference and response deadline from the moment it is
received; triage opens a case for it (the case keeps the report's received time and deadline) or adds it to an open
case — a repeat report on an open case is not a new case (TSM NM01).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhomes.cases.models import CaseType
from saferhomes.cases.storage import evidence_storage, evidence_upload_to
from saferhomes.housing.models import ContactMethod, PreferredFormat

REPORT_PREFIX = "RPT"  # RPT-2026-000123: gap-free per year, numbered like cases (cases/references.py)


class Channel(models.TextChoices):
    WEB = "web", "Online form"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    PARTNER = "partner", "Partner agency"
    OUT_OF_HOURS = "out_of_hours", "Out-of-hours service"
    API = "api", "API"
    IMPORT = "import", "Import"


STAFF_CHANNELS = [
    Channel.PHONE,
    Channel.IN_PERSON,
    Channel.LETTER,
    Channel.EMAIL,
    Channel.PARTNER,
    Channel.OUT_OF_HOURS,
]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft (from email, to be completed)"
    NEW = "new", "Awaiting triage"
    CASE_OPENED = "case_opened", "Case opened"
    ADDED_TO_CASE = "added_to_case", "Added to an open case"
    NOT_PROCEEDED = "not_proceeded", "Not taken forward"


class ReporterRelationship(models.TextChoices):
    SELF = "self", "It happened to me"
    ON_BEHALF = "on_behalf", "I am reporting for someone else"
    WITNESS = "witness", "I saw or heard it happen to someone else"


class Frequency(models.TextChoices):
    ONCE = "once", "Once"
    A_FEW_TIMES = "a_few_times", "A few times"
    WEEKLY = "weekly", "About every week"
    DAILY = "daily", "Every day or nearly every day"
    ONGOING = "ongoing", "It is happening all the time"


class UrgencyReason(models.TextChoices):
    """DESIGN.md §4.1: a report is urgent if any of these is true (overridable at triage with a reason)."""

    DANGER = "danger", "Risk to someone's safety"
    VIOLENCE = "violence", "Violence or threats of violence"
    HATE = "hate", "Hate crime"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    DAMAGE = "damage", "Damage happening now"
    VULNERABLE = "vulnerable", "The person affected is vulnerable"


class ConsentToShare(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    ASK = "ask", "Ask me first"


class Report(models.Model):
    """One report from one person through one channel, with everything they told us and the answers that set urgency."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    channel = models.CharField(max_length=15, choices=Channel.choices)
    status = models.CharField(max_length=15, choices=ReportStatus.choices, default=ReportStatus.NEW, db_index=True)
    received_at = models.DateTimeField(db_index=True, help_text="When it reached us (staff may back-date it).")
    response_due_at = models.DateTimeField(null=True, blank=True, help_text="From received_at and urgency.")

    # What happened
    case_type = models.CharField(max_length=10, choices=CaseType.choices)
    problem = models.CharField(max_length=30, blank=True, help_text="The plain-words answer chosen (intake/rules.py).")
    category = models.CharField(max_length=20, blank=True)
    sub_types = models.JSONField(default=list, blank=True)
    hate_strands = models.JSONField(default=list, blank=True)
    description = models.TextField()
    occurred_at = models.DateTimeField(null=True, blank=True, help_text="When it happened (the latest time, if many).")
    occurred_text = models.CharField(max_length=250, blank=True, help_text="When, in the reporter's words.")
    frequency = models.CharField(max_length=15, choices=Frequency.choices, blank=True)
    home = models.ForeignKey(
        "housing.Property",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        help_text="Where it happened, when it is one of our homes (the field is not called 'property': that shadows "
        "the builtin in the class body).",
    )
    location_text = models.CharField(max_length=250, blank=True)
    people_involved = models.TextField(blank=True, help_text="Who was involved, in the reporter's words.")
    people_known = models.CharField(max_length=10, blank=True, help_text="yes / no / dont_know")

    # Impact and urgency (DESIGN.md §4.1)
    danger_now = models.BooleanField(default=False, help_text="Answered 'someone is in danger now' (shown 999).")
    urgency_answers = models.JSONField(default=dict, blank=True, help_text="UrgencyReason value -> bool.")
    impact = models.TextField(blank=True, help_text="How it is affecting them, in their words.")
    urgent = models.BooleanField(default=False)
    urgent_reasons = models.JSONField(default=list, blank=True, help_text="UrgencyReason values that made it urgent.")
    urgent_override_reason = models.TextField(blank=True, help_text="Why triage changed the urgency.")

    # The reporter
    anonymous = models.BooleanField(default=False)
    relationship = models.CharField(
        max_length=15, choices=ReporterRelationship.choices, default=ReporterRelationship.SELF
    )
    on_behalf_name = models.CharField(
        max_length=200, blank=True, help_text="Who it happened to, when not the reporter."
    )
    on_behalf_consent = models.BooleanField(default=False, help_text="They agreed to the report being made.")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=250, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    person = models.ForeignKey(
        "housing.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    contact_methods = models.JSONField(default=list, blank=True, help_text="cases.ContactMethod values safe to use.")
    safe_times = models.CharField(max_length=250, blank=True)
    safe_contact_notes = models.TextField(blank=True, help_text="Anything we must do or avoid to contact them safely.")
    preferred_language = models.CharField(max_length=60, blank=True)
    preferred_format = models.CharField(max_length=20, blank=True, help_text="housing.PreferredFormat value.")
    accessibility_needs = models.TextField(blank=True)
    reasonable_adjustments = models.TextField(blank=True)
    consent_to_share = models.CharField(max_length=5, choices=ConsentToShare.choices, blank=True)

    # Triage
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="reports")
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    triage_note = models.TextField(blank=True)
    follows_closed_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The closed case this report follows (a diary entry added after it closed): consider reopening it.",
    )

    # Provenance
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member who took it (None for the public form and email).",
    )
    idempotency_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="API: the client's Idempotency-Key; public form: the form's own submission token.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock for triage.")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "response_due_at"], name="report_triage_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="report_idempotency_key_unique",
            ),
            # The public form's own token (no member of staff, so created_by is null and the constraint above,
            # NULLs being distinct, would not hold): one report per sent form, however often it is sent again.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(created_by__isnull=True) & ~Q(idempotency_key=""),
                name="report_public_submission_unique",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(status__in=["case_opened", "added_to_case"]),
                name="report_case_only_when_triaged_to_one",
            ),
        ]
        permissions = [
            ("take_report", "Can take reports by phone, in person, letter, email or from partners"),
            ("triage_report", "Can triage reports into cases"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reporter_name(self) -> str:
        if self.anonymous:
            return "Anonymous"
        return " ".join(part for part in (self.first_name, self.last_name) if part) or "Not given"

    @property
    def contact_methods_display(self) -> str:
        """The ways of contact the reporter chose as safe, in words ('' when none)."""
        return ", ".join(str(ContactMethod(m).label) for m in self.contact_methods or [] if m in ContactMethod.values)

    @property
    def preferred_format_display(self) -> str:
        return (
            str(PreferredFormat(self.preferred_format).label) if self.preferred_format in PreferredFormat.values else ""
        )


class ReportAttachment(models.Model):
    """A file sent with a report or a diary entry; copied onto the case as evidence when the case is opened."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        help_text="Empty while the public form is still being filled in (tied to the report when it is sent).",
    )
    diary_entry = models.ForeignKey(
        "DiaryEntry", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=evidence_upload_to, storage=evidence_storage, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="Detected from the content, not the name.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    evidence = models.ForeignKey(
        "cases.EvidenceFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class StatusLink(models.Model):
    """A reporter's private status page link: only the SHA-256 of the token is kept; revocable."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="status_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=250, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Status link for {self.report_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class DiaryEntry(models.Model):
    """Something the reporter added on their status page: when it happened and what happened."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="diary_entries")
    occurred_at = models.DateTimeField()
    description = models.TextField()
    incident = models.ForeignKey(
        "cases.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The incident on the case this entry became.",
    )
    new_report = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The new report this entry became, when it was added after the case closed.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "diary entries"

    def __str__(self) -> str:
        return f"Diary entry on {self.report_id}"


class InboundEmail(models.Model):
    """A message read from the intake mailbox (IMAP) or posted by a provider's webhook, kept once per Message-ID."""

    message_id = models.CharField(max_length=255, unique=True)
    source = models.CharField(max_length=10, help_text="imap or webhook")
    from_address = models.CharField(max_length=255)
    from_name = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body_text = models.TextField(blank=True)
    received_at = models.DateTimeField()
    report = models.OneToOneField(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_email"
    )
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"


class OutboundMessage(models.Model):
    """An acknowledgement (email sent, or SMS-ready text) to a reporter, or why none was sent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=30, help_text="acknowledgement, status_link ...")
    channel = models.CharField(max_length=10, help_text="email or sms")
    to = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True)
    withheld_reason = models.CharField(max_length=250, blank=True, help_text="Why it was not sent (e.g. not safe).")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} for {self.report_id}"


class IntakeAttempt(models.Model):
    """A public submission attempt, for rate limits: keyed by a salted hash of the IP or email, never the value."""

    kind = models.CharField(max_length=10, help_text="ip or email")
    key_hash = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kind", "key_hash", "at"], name="intake_attempt_window")]

    def __str__(self) -> str:
        return f"{self.kind} attempt at {self.at:%Y-%m-%d %H:%M}"
