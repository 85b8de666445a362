"""ASB Case Review (Community Trigger; ASB, Crime and Policing Act 2014 s104; DESIGN.md §4.3; issue 17).

An application is what one person asked for once: a review of how the landlord and its partners answered
complaints about anti-social behaviour. It carries its own reference (CR-2026-000001, gap-free per year like
cases) and its threshold decision deadline from the moment it is received. The threshold rules are versioned
configuration (`ThresholdRuleSet`, immutable once loaded): a decision keeps the version it used, so editing the
rules never changes a decision already made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhomes.cases.storage import evidence_storage
from saferhomes.core.models import VersionedFile

APPLICATION_PREFIX = "CR"  # CR-2026-000123, numbered by cases.references.reference_next


class ThresholdRuleSet(VersionedFile):
    """One version of the local partnership's threshold rules, loaded from a data file and validated."""

    definition = models.JSONField(help_text="The validated file as data: the rules and the timescales.")

    class Meta(VersionedFile.Meta):
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="case_review_ruleset_key_version_unique"),
        ]


class ApplicationChannel(models.TextChoices):
    WEB = "web", "Online form"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    PARTNER = "partner", "Partner agency"
    API = "api", "API"


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", "Awaiting threshold decision"
    THRESHOLD_NOT_MET = "threshold_not_met", "Threshold not met"
    REVIEW = "review", "Threshold met: review under way"
    OUTCOME_SENT = "outcome_sent", "Review concluded: outcome sent"
    APPEAL = "appeal", "Appeal under way"
    APPEAL_CONCLUDED = "appeal_concluded", "Appeal concluded"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (ApplicationStatus.RECEIVED, ApplicationStatus.REVIEW, ApplicationStatus.APPEAL)


class Application(models.Model):
    """One application for an ASB Case Review, from the applicant or on a victim's behalf (with their consent)."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    channel = models.CharField(max_length=15, choices=ApplicationChannel.choices)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED, db_index=True
    )
    received_at = models.DateTimeField(db_index=True, help_text="When it reached us (staff may back-date it).")

    # The applicant
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=250, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    person = models.ForeignKey(
        "housing.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="case_review_applications"
    )
    preferred_format = models.CharField(max_length=20, blank=True, help_text="housing.PreferredFormat value.")
    preferred_language = models.CharField(max_length=60, blank=True)
    reasonable_adjustments = models.TextField(blank=True)
    contact_methods = models.JSONField(default=list, blank=True, help_text="housing.ContactMethod values safe to use.")
    safe_contact_notes = models.TextField(blank=True)

    # On a victim's behalf (the victim must have consented: a database constraint too)
    on_behalf = models.BooleanField(default=False)
    victim_first_name = models.CharField(max_length=100, blank=True)
    victim_last_name = models.CharField(max_length=100, blank=True)
    victim_email = models.EmailField(blank=True)
    victim_phone = models.CharField(max_length=30, blank=True)
    victim_address = models.CharField(max_length=250, blank=True)
    victim_postcode = models.CharField(max_length=10, blank=True)
    victim_person = models.ForeignKey(
        "housing.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    victim_consent = models.BooleanField(null=True, blank=True, help_text="Only for applications on a victim's behalf.")

    # What it is about
    description = models.TextField(help_text="The behaviour and why the applicant asks for a review, in their words.")
    location_text = models.CharField(max_length=250, blank=True)
    home = models.ForeignKey(
        "housing.Property", on_delete=models.SET_NULL, null=True, blank=True, related_name="case_review_applications"
    )
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="case_review_applications")

    # Threshold decision (the engine suggests; an officer decides, with reasons, under one rule-set version)
    decision_due_at = models.DateTimeField(
        null=True, blank=True, help_text="received_at + the configured working days."
    )
    rule_set = models.ForeignKey(
        ThresholdRuleSet, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    rule_key = models.CharField(max_length=60, blank=True, help_text="Which rule of the rule set was applied.")
    threshold_suggested_met = models.BooleanField(null=True, blank=True)
    threshold_met = models.BooleanField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applicant_told_at = models.DateTimeField(null=True, blank=True, help_text="When the decision letter was sent.")

    # The review (when the threshold is met)
    spoc = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_reviews_led",
        help_text="The single point of contact for the applicant.",
    )
    review_due_at = models.DateTimeField(null=True, blank=True)
    review_held_at = models.DateTimeField(null=True, blank=True, help_text="When the review panel met.")
    recommendations_made = models.BooleanField(null=True, blank=True)
    outcome_due_at = models.DateTimeField(null=True, blank=True)
    outcome_sent_at = models.DateTimeField(null=True, blank=True)

    # Provenance
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock.")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "decision_due_at"], name="case_review_decision_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(on_behalf=False) | Q(victim_consent=True),
                name="case_review_on_behalf_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(threshold_met__isnull=True) | Q(decided_at__isnull=False),
                name="case_review_decision_has_a_time",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_review_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(created_by__isnull=True) & ~Q(idempotency_key=""),
                name="case_review_public_submission_unique",
            ),
        ]
        permissions = [
            ("take_case_review", "Can take Case Review applications by phone, letter or from partners"),
            ("decide_case_review", "Can decide Case Review thresholds and run reviews"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def applicant_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class StatusLink(models.Model):
    """The applicant's private status link: only the SHA-256 of the token is kept; revocable."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Status link for {self.application_id}"


# --- Threshold complaints (helper A) ---


class ComplaintSource(models.TextChoices):
    REPORT = "report", "Report to us"
    CASE = "case", "Case (no report on it)"
    AGENCY = "agency", "Complaint to another agency"


class ComplaintReason(models.TextChoices):
    """Why a complaint found for an application does not count (blank: it counts)."""

    OUTSIDE_WINDOW = "outside_window", "Outside the 6 months before the application"
    LATE = "late", "Made more than a month after the behaviour"
    DIFFERENT_PROBLEM = "different_problem", "About a different problem"
    DUPLICATE = "duplicate", "A duplicate of a complaint already counted"
    NOT_COVERED = "not_covered", "A kind of problem the rule does not cover"


class ThresholdComplaint(models.Model):
    """One complaint considered for an application's threshold: found by the engine (a report or a case) or added by
    an officer (a complaint made to another agency), with whether it counts under the rule and why not."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="complaints")
    source = models.CharField(max_length=10, choices=ComplaintSource.choices)
    report = models.ForeignKey("intake.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    report_reference = models.CharField(max_length=20, blank=True)
    case_reference = models.CharField(max_length=20, blank=True)
    agency = models.ForeignKey("referrals.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    agency_name = models.CharField(max_length=200, blank=True)
    complainant = models.CharField(max_length=200, blank=True, help_text="Who complained (for 'different people').")
    problem = models.CharField(max_length=20, blank=True, help_text="cases.CaseType value, where known.")
    location = models.CharField(max_length=250, blank=True, help_text="Where: a home reference or the words given.")
    problem_group = models.CharField(
        max_length=40, blank=True, help_text="Which problem: its case and linked cases ('' when not known)."
    )
    received_on = models.DateField(help_text="The London date the complaint was made.")
    occurred_on = models.DateField(null=True, blank=True, help_text="The London date of the behaviour.")
    summary = models.CharField(max_length=250, blank=True)
    counts = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, choices=ComplaintReason.choices, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(counts=False) | Q(reason=""), name="case_review_counting_complaint_has_no_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} received {self.received_on:%d %b %Y}"


class CaseReviewTold(models.Model):
    """That an officer told a case's reporter about the ASB Case Review, when the case page prompted them."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="case_review_told")
    told_at = models.DateTimeField(default=timezone.now)
    told_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prompt = models.CharField(max_length=250, blank=True, help_text="The prompt's words when they were told.")

    class Meta:
        ordering = ["-told_at", "-id"]

    def __str__(self) -> str:
        return f"Case Review explained on {self.case_id}"


class DecisionAlertKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class DecisionAlert(models.Model):
    """A claimed staff alert that a threshold decision is due soon or overdue: one per (application, due, kind)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decision_alerts")
    due_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=DecisionAlertKind.choices)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "due_at", "kind"], name="case_review_decision_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} alert for {self.application_id}"


# --- Review, panel, recommendations, appeal (helper B) ---
# The threshold met, the review runs (DESIGN.md §4.3; ADR 0014): a single point of contact (Application.spoc), the
# agencies invited, one panel meeting record, recommendations as an action plan tracked to completion, the outcome
# letter; then perhaps an appeal, chaired by someone other than the review panel's chair, with its own outcome.


class ReviewInvitation(models.Model):
    """An agency invited to the review: from the agency directory, or by name when it is not listed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(
        "referrals.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="case_review_invitations"
    )
    name = models.CharField(max_length=200, help_text="The agency's name as invited (the directory's, or typed).")
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="case_review_invitation_named"),
            models.UniqueConstraint(
                fields=["application", "agency"],
                condition=Q(agency__isnull=False),
                name="case_review_invitation_agency_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AccountHow(models.TextChoices):
    """How the panel heard the applicant's own account."""

    ATTENDED = "attended", "The applicant spoke at the meeting"
    MET_SPOC = "met_spoc", "The single point of contact met them before the meeting"
    PHONE = "phone", "By phone before the meeting"
    WRITTEN = "written", "In writing (letter, email or the application)"
    REPRESENTATIVE = "representative", "Through someone representing them"
    DECLINED = "declined", "They chose not to give one"


class ReviewPanel(models.Model):
    """The review panel's meeting: when, who, what it considered, the applicant's own account, and its outcome."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="panel")
    held_on = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    information_considered = models.TextField()
    applicant_account = models.TextField(help_text="What the applicant told the panel, in their words or a summary.")
    applicant_account_how = models.CharField(max_length=20, choices=AccountHow.choices)
    outcome = models.TextField(blank=True, help_text="What the panel concluded, in plain English (on concluding).")
    concluded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_at__isnull=True) | ~Q(outcome=""), name="case_review_panel_outcome_on_conclude"
            )
        ]

    def __str__(self) -> str:
        return f"Review panel for {self.application_id}"


class PanelAttendee(models.Model):
    """Someone at the panel meeting: their name, their agency (directory or typed) and their role."""

    panel = models.ForeignKey(ReviewPanel, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    agency = models.ForeignKey("referrals.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Completed"
    NOT_DONE = "not_done", "Could not be completed"


RECOMMENDATION_OPEN = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)


class Stage(models.TextChoices):
    REVIEW = "review", "Review"
    APPEAL = "appeal", "Appeal"


class Recommendation(models.Model):
    """One action of the plan: what, who owns it (an agency, a member of staff, or both), by when; tracked to done."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recommendations")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.REVIEW)
    text = models.TextField(help_text="What will be done, in plain English (the outcome letter quotes it).")
    owner_agency = models.ForeignKey(
        "referrals.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_agency_name = models.CharField(max_length=200, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=15, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="case_review_recs_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_agency__isnull=False) | ~Q(owner_agency_name="") | Q(owner_user__isnull=False),
                name="case_review_recommendation_owned",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress"], completed_on__isnull=True)
                | Q(status__in=["done", "not_done"], completed_on__isnull=False),
                name="case_review_recommendation_completed_on",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def owner_in_words(self) -> str:
        agency = self.owner_agency.name if self.owner_agency_id and self.owner_agency else self.owner_agency_name
        person = (self.owner_user.get_full_name() or self.owner_user.get_username()) if self.owner_user else ""
        return ", ".join(part for part in (agency, person) if part)


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "Upheld: the review is changed"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld: the review's outcome stands"


class Appeal(models.Model):
    """The applicant's appeal against the review's outcome: heard by a different chair, with its own outcome."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="appeal")
    requested_on = models.DateField()
    grounds = models.TextField(help_text="Why the applicant is unhappy with the outcome, in their words.")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The review panel's chair, kept here so the database can refuse them as the appeal's chair.",
    )
    held_on = models.DateField(null=True, blank=True)
    information_considered = models.TextField(blank=True)
    result = models.CharField(max_length=15, choices=AppealResult.choices, blank=True)
    outcome = models.TextField(blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    outcome_sent_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(chair=models.F("original_chair")), name="case_review_appeal_different_chair"
            ),
            models.CheckConstraint(
                condition=Q(concluded_at__isnull=True) | (~Q(result="") & ~Q(outcome="") & Q(held_on__isnull=False)),
                name="case_review_appeal_concluded_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal for {self.application_id}"


class LetterKind(models.TextChoices):
    DECISION = "decision", "Threshold decision letter"
    OUTCOME = "outcome", "Review outcome letter"
    APPEAL_OUTCOME = "appeal_outcome", "Appeal outcome letter"


def case_review_letter_upload_to(instance: ApplicationLetter, filename: str) -> str:
    return f"case-review-letters/{timezone.now():%Y/%m}/{instance.sha256[:32] or 'letter'}.pdf"


class ApplicationLetter(models.Model):
    """A letter to the applicant as sent: the template version, the merged words, the PDF and how it went."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    recipient_name = models.CharField(max_length=250)
    template = models.ForeignKey("documents.LetterTemplate", on_delete=models.PROTECT, related_name="+")
    template_version = models.ForeignKey("documents.LetterTemplateVersion", on_delete=models.PROTECT, related_name="+")
    variant = models.CharField(max_length=15, help_text="documents.Variant value (large print, easy read...).")
    language = models.CharField(max_length=10, default="en", help_text="en, or the translation used (cy: Welsh).")
    text = models.TextField(help_text="The merged text as sent.")
    pdf = models.FileField(upload_to=case_review_letter_upload_to, storage=evidence_storage, max_length=200)
    sha256 = models.CharField(max_length=64)
    emailed_to = models.EmailField(blank=True)
    email_withheld_reason = models.CharField(max_length=200, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_name}"


class DeadlineAlertKind(models.TextChoices):
    REVIEW = "review", "Review overdue"
    OUTCOME = "outcome", "Outcome letter overdue"


class DeadlineAlert(models.Model):
    """Staff were emailed that a review or an outcome letter is overdue: at most once per application and kind.

    Claimed (inserted) before the email goes, so a rerun or a second worker never sends it again; `sent_at` stays
    empty if sending failed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="deadline_alerts")
    kind = models.CharField(max_length=10, choices=DeadlineAlertKind.choices)
    due_at = models.DateTimeField()
    recipients = models.JSONField(default=list, help_text="The staff told (user ids).")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="case_review_deadline_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} alert for {self.application_id}"
