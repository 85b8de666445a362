"""Risk instruments (versioned data), assessments on cases, and MARAC decisions (DESIGN.md §4.2, issue 7).

An instrument version is immutable once loaded: its definition is the validated file as data, and every assessment
points at the exact version it used, so an old score never changes when a landlord publishes a new one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhomes.core.models import VersionedFile


class InstrumentKind(models.TextChoices):
    MATRIX = "matrix", "Risk matrix (weighted answers, banded score)"
    CHECKLIST = "checklist", "Checklist (counts yes answers, DASH-aligned)"
    FACTORS = "factors", "Perpetrator and household factors (recorded, not banded)"


class InstrumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class Instrument(VersionedFile):
    """One version of a risk instrument, loaded from a YAML/JSON file and validated against the schema."""

    key = models.SlugField(max_length=60, help_text="Stable name across versions, e.g. asb-hate-matrix.")
    kind = models.CharField(max_length=12, choices=InstrumentKind.choices)
    applies_to = models.JSONField(default=list, help_text="Case types (cases.CaseType values) it is offered for.")
    definition = models.JSONField(help_text="The validated file as data: questions, options, bands, rules.")
    source_name = models.CharField(max_length=255, blank=True, help_text="The file's name when it was loaded.")
    status = models.CharField(max_length=10, choices=InstrumentStatus.choices, default=InstrumentStatus.DRAFT)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta(VersionedFile.Meta):
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="instrument_key_version_unique"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(status="published"), name="instrument_one_published_version"
            ),
        ]
        permissions = [
            ("publish_instrument", "Can load and publish risk instrument versions"),
        ]


class Assessment(models.Model):
    """One completed risk assessment on a case: answers, score, band (and any override), reassessment date."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="risk_assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    # SET_NULL, not PROTECT: deleting a case (retention) deletes its parties and its assessments together, and the
    # collector refuses a PROTECT between two rows of the same cascade.
    subject = models.ForeignKey(
        "cases.Party",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_assessments",
        help_text="The person at risk (usually the victim or reporter).",
    )
    answers = models.JSONField(help_text="Answer values keyed by question id, exactly as given.")
    score = models.IntegerField()
    yes_count = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Checklists: 'yes' answers.")
    computed_band = models.CharField(max_length=30, blank=True, help_text="The band the score gives.")
    band = models.CharField(max_length=30, blank=True, help_text="The band in force: computed, or overridden.")
    reasons = models.JSONField(default=list, help_text="Plain-English lines explaining the score and band.")
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    reassess_by = models.DateField(null=True, blank=True, help_text="From the band's reassessment interval.")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now, db_index=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["case", "-assessed_at"], name="assessment_case_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(overridden_at__isnull=True) | ~Q(override_reason=""),
                name="assessment_override_needs_reason",
            ),
        ]
        permissions = [
            ("assess_risk", "Can complete and override risk assessments"),
            ("decide_marac_not_referred", "Can record why a required MARAC referral will not be made"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.name} on {self.case.reference}: {self.band or self.score}"

    @property
    def overridden(self) -> bool:
        return self.overridden_at is not None


class MaracGround(models.TextChoices):
    """DESIGN.md §4.2: why a MARAC referral is required."""

    VISIBLE_HIGH_RISK = "visible_high_risk", "14 or more 'yes' answers (visible high risk)"
    PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement"
    POTENTIAL_ESCALATION = "potential_escalation", "Potential escalation (police call-outs in the last 12 months)"


class MaracConsent(models.TextChoices):
    """The victim's position on their information being shared with MARAC (asked when the DA checklist is done)."""

    GIVEN = "given", "Consented to sharing with MARAC"
    REFUSED = "refused", "Refused consent"
    NOT_ASKED = "not_asked", "Not asked yet (or not safe to ask)"


class MaracDecision(models.Model):
    """The MARAC decision an assessment produced, and what happened to it (the referral itself is issue 'partners')."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="marac_decisions")
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="marac_decision")
    required = models.BooleanField()
    grounds = models.JSONField(default=list, help_text="MaracGround values that apply.")
    professional_judgement_reason = models.TextField(blank=True)
    police_callouts_12m = models.PositiveSmallIntegerField(null=True, blank=True)
    consent = models.CharField(
        max_length=10,
        choices=MaracConsent.choices,
        default=MaracConsent.NOT_ASKED,
        help_text="The victim's consent position; a high-risk referral may be made without consent.",
    )
    repeat = models.BooleanField(default=False, help_text="The last MARAC referral was within 12 months.")
    previous_referral_on = models.DateField(null=True, blank=True)
    referral_made_on = models.DateField(null=True, blank=True)
    referral_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_referred_reason = models.TextField(blank=True, help_text="A manager's reason a required referral is not made.")
    not_referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_referred_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(not_referred_at__isnull=True) | ~Q(not_referred_reason=""),
                name="marac_not_referred_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"MARAC {'required' if self.required else 'not required'} on {self.case.reference}"

    @property
    def outstanding(self) -> bool:
        """Required, and neither made nor declined by a manager: blocks closure."""
        return self.required and self.referral_made_on is None and self.not_referred_at is None


class ChecklistWaiver(models.Model):
    """A manager's recorded reason a DA case may close without the DA checklist ever done (issue 14 item 8)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="da_checklist_waiver")
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="checklist_waiver_needs_reason")]
        permissions = [
            ("waive_da_checklist", "Can record why a domestic abuse case closes without the DA checklist"),
        ]

    def __str__(self) -> str:
        return f"DA checklist not done on case {self.case_id}"


class ReassessmentReminder(models.Model):
    """The assigned officer was emailed that an assessment's reassessment is overdue: at most once per assessment.

    Claimed (inserted) before the email goes, so a rerun or a second worker never sends it again; a new assessment
    is a new row to remind about. `sent_at` stays empty if sending failed.
    """

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="reminder")
    reason = models.CharField(max_length=200, help_text="Why it was due: the date passed, or a new incident.")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-id"]

    def __str__(self) -> str:
        return f"Reassessment reminder for assessment {self.assessment_id}"
