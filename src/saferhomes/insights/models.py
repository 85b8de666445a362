"""Insights and governance (issue 18): reads every other app and is read by none (.importlinter)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


# --- Registers, publication and equality monitoring (issue 18 parts 4 and 5) ---
class InitiativeKind(models.TextChoices):
    PREVENTION = "prevention", "Prevention initiative"
    PUBLICITY = "publicity", "Publicity campaign"


class Initiative(models.Model):
    """A prevention initiative or publicity campaign: what, where, when, with whom, how many it reached, its cost."""

    kind = models.CharField(max_length=12, choices=InitiativeKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # SET_NULL: a register entry outlives a change to the housing register's areas and estates.
    area = models.ForeignKey("housing.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    estate = models.ForeignKey("housing.Estate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    partners = models.ManyToManyField("referrals.Agency", blank=True, related_name="+")
    reach = models.PositiveIntegerField(null=True, blank=True, help_text="People reached, as counted.")
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True, help_text="Pounds.")
    published = models.BooleanField(default=True, help_text="Listed on the public 'action we've taken' page.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "title"]
        permissions = [
            ("manage_registers", "Can keep the initiative, training and policy review registers"),
            ("view_hotspots", "Can see hotspots, trends and repeat locations and victims"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=InitiativeKind.values), name="initiative_kind_valid"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="initiative_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="initiative_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PolicyReviewKind(models.TextChoices):
    ANNUAL = "annual", "Annual review"
    FULL = "full", "Full three-yearly review"


class PolicyReview(models.Model):
    """A review of the community safety policy that is due ("reviewed annually, with a full review every three
    years"), and, once done, who approved it and when."""

    kind = models.CharField(max_length=10, choices=PolicyReviewKind.choices)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="What the review found and changed.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_body = models.CharField(max_length=200, blank=True, help_text="E.g. the board, on the minute's date.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PolicyReviewKind.values), name="policy_review_kind_valid"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | (Q(completed_on__isnull=False) & Q(approved_by__isnull=False)),
                name="policy_review_approved_when_completed",
            ),
            models.UniqueConstraint(fields=["kind", "due_on"], name="policy_review_unique_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on:%d %B %Y}"


class ReminderStep(models.TextChoices):
    DUE = "due", "Due soon"
    OVERDUE = "overdue", "Overdue"


class PolicyReviewReminder(models.Model):
    """The claim that managers were emailed about a review at one step (once each: due soon, then overdue)."""

    review = models.ForeignKey(PolicyReview, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=10, choices=ReminderStep.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "step"], name="policy_review_reminder_once")]

    def __str__(self) -> str:
        return f"Reminder ({self.step}) for policy review {self.review_id}"


class ActionTakenSnapshot(models.Model):
    """The figures of one quarter's "action we've taken" as a manager approved them. The public page shows only
    these, exactly as approved: later changes to cases do not alter a published quarter (ADR 0016)."""

    quarter_start = models.DateField(unique=True, help_text="The first day of the quarter (1 Jan, Apr, Jul or Oct).")
    figures = models.JSONField(help_text="True counts: {'areas': [{'area': name, 'counts': {heading: n}}]}.")
    threshold = models.PositiveSmallIntegerField(help_text="The suppression threshold when it was approved.")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-quarter_start"]
        permissions = [("publish_action_taken", "Can approve a quarter's 'action we've taken' for publication")]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter_start__month__in=[1, 4, 7, 10]) & Q(quarter_start__day=1),
                name="action_taken_quarter_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Action taken from {self.quarter_start:%d %B %Y}"


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", "Under 18"
    FROM_18 = "18_24", "18 to 24"
    FROM_25 = "25_34", "25 to 34"
    FROM_35 = "35_44", "35 to 44"
    FROM_45 = "45_54", "45 to 54"
    FROM_55 = "55_64", "55 to 64"
    FROM_65 = "65_74", "65 to 74"
    FROM_75 = "75_plus", "75 or over"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class YesNoPreferNot(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class EthnicGroup(models.TextChoices):
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Another ethnic group"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Another religion"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class EqualityMonitoring(models.Model):
    """A reporter's, victim's or alleged perpetrator's answers to the optional equality questions (Equality Act
    2010 protected characteristics). Blank: not asked or not answered. Seen only by managers and the DPO."""

    party = models.OneToOneField("cases.Party", on_delete=models.CASCADE, related_name="equality_monitoring")
    age_band = models.CharField(max_length=12, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=12, choices=Sex.choices, blank=True)
    gender_same_as_birth = models.CharField(
        max_length=12, choices=YesNoPreferNot.choices, blank=True, help_text="Is their gender the same as at birth?"
    )
    disability = models.CharField(max_length=12, choices=YesNoPreferNot.choices, blank=True)
    ethnic_group = models.CharField(max_length=12, choices=EthnicGroup.choices, blank=True)
    religion = models.CharField(max_length=12, choices=Religion.choices, blank=True)
    sexual_orientation = models.CharField(max_length=12, choices=SexualOrientation.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        permissions = [("view_equality", "Can record and see equality monitoring and the equality report")]

    def __str__(self) -> str:
        return f"Equality monitoring for party {self.party_id}"


# --- end of registers, publication and equality monitoring ---
# --- Performance report and Tenant Satisfaction Measures (issue 18 parts 1, 2 and 6) ------------------------------


class MeasureSettings(models.Model):
    """How the landlord counts its Tenant Satisfaction Measures (one row; ADR 0015)."""

    SINGLETON_ID = 1

    count_domestic_abuse_in_nm01 = models.BooleanField(
        default=False,
        help_text=(
            "Count domestic abuse cases that are not also ASB or hate cases in NM01. Off (the default): only ASB "
            "and hate cases count, as the regulator's definition of anti-social behaviour does not include them."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "measure settings"
        verbose_name_plural = "measure settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="insights_measure_settings_single_row")]

    def __str__(self) -> str:
        return "Tenant Satisfaction Measure settings"


class HomeSale(models.Model):
    """A home that left the landlord's ownership on a date (sold, transferred or demolished): NM01 counts homes owned
    at the end of a year, so a home sold during a year is not counted for that year, but is for the years before."""

    property = models.OneToOneField("housing.Property", on_delete=models.CASCADE, related_name="sale")
    sold_on = models.DateField(help_text="The date the landlord stopped owning the home.")
    note = models.CharField(max_length=250, blank=True, help_text="Right to buy, stock transfer, demolition...")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sold_on", "property_id"]

    def __str__(self) -> str:
        return f"{self.property_id} sold {self.sold_on:%Y-%m-%d}"


class MonthlyReportRun(models.Model):
    """The worker's run of one month's performance report: claimed by inserting the row (one per month), so the
    report is emailed once however often the job runs."""

    month = models.DateField(unique=True, help_text="The first day of the month the report is about.")
    built_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list, blank=True, help_text="Ids of the managers emailed.")
    figures = models.JSONField(default=dict, blank=True, help_text="The report's figures as the API gives them.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        permissions = [("view_performance", "Can see the performance report and Tenant Satisfaction Measures")]

    def __str__(self) -> str:
        return f"Monthly report {self.month:%Y-%m}"
